// Tests for core/wire/frame: header decoding limits and tolerance, encoding edges (C-FRM).
#include "core/wire/error.hpp"
#include "core/wire/frame.hpp"
#include "tests/support/catch.hpp"
#include "tests/unit/wire/hex.hpp"

#include <limits>

using namespace zmtp::wire;
using namespace zmtp::wire::test;

namespace {

header_result decode(const byte_vec &v, std::int64_t max_size = -1) {
    return decode_frame_header(v.data(), v.size(), max_size);
}

byte_vec encode(std::uint64_t size, bool more, bool command) {
    std::uint8_t out[max_header_size];
    const std::size_t n = encode_frame_header(out, size, more, command);
    return byte_vec(out, out + n);
}

} // namespace

TEST_CASE("C-FRM-2 short frame header", "[wire]") {
    const auto r = decode(bytes("00 02 68 69"));
    REQUIRE(r.status == header_status::ok);
    CHECK(r.header.size == 2);
    CHECK(r.header.header_size == 2);
    CHECK_FALSE(r.header.more());
    CHECK_FALSE(r.header.command());
}

TEST_CASE("C-FRM-2 empty frame 00 00", "[wire]") {
    const auto r = decode(bytes("00 00"));
    REQUIRE(r.status == header_status::ok);
    CHECK(r.header.size == 0);
}

TEST_CASE("C-FRM-1 MORE and COMMAND flags", "[wire]") {
    auto r = decode(bytes("01 06"));
    REQUIRE(r.status == header_status::ok);
    CHECK(r.header.more());
    r = decode(bytes("04 19"));
    REQUIRE(r.status == header_status::ok);
    CHECK(r.header.command());
    CHECK_FALSE(r.header.more());
}

TEST_CASE("C-FRM-4 MORE on a command is ignored", "[wire]") {
    const auto r = decode(bytes("05 04"));
    REQUIRE(r.status == header_status::ok);
    CHECK(r.header.command());
    CHECK_FALSE(r.header.more());
    CHECK(r.header.flags == flag_command);
}

TEST_CASE("C-FRM-4 reserved flag bits are tolerated and cleared", "[wire]") {
    auto r = decode(bytes("f8 03"));
    REQUIRE(r.status == header_status::ok);
    CHECK(r.header.flags == 0);
    CHECK(r.header.size == 3);
    r = decode(bytes("fb 00 00 00 00 00 00 00 05"));
    REQUIRE(r.status == header_status::ok);
    CHECK(r.header.flags == (flag_more | flag_long));
    CHECK(r.header.size == 5);
}

TEST_CASE("C-FRM-3 long-encoded small frame is accepted", "[wire]") {
    const auto r = decode(bytes("02 00 00 00 00 00 00 00 03 'abc'"));
    REQUIRE(r.status == header_status::ok);
    CHECK(r.header.size == 3);
    CHECK(r.header.header_size == 9);
    const auto c = decode(bytes("06 00 00 00 00 00 00 00 00"));
    REQUIRE(c.status == header_status::ok);
    CHECK(c.header.command());
    CHECK(c.header.size == 0);
}

TEST_CASE("C-FRM-2 truncated headers need more", "[wire]") {
    CHECK(decode_frame_header(nullptr, 0, -1).status == header_status::need_more);
    CHECK(decode(bytes("00")).status == header_status::need_more);
    const auto long_hdr = bytes("02 00 00 00 00 00 00 01 34");
    for (std::size_t k = 0; k < long_hdr.size(); ++k) {
        CHECK(decode_frame_header(long_hdr.data(), k, -1).status == header_status::need_more);
    }
    CHECK(decode(long_hdr).status == header_status::ok);
}

TEST_CASE("C-FRM-2 size 2^63 and 2^64-1 are invalid", "[wire]") {
    auto r = decode(bytes("02 80 00 00 00 00 00 00 00"));
    CHECK(r.status == header_status::failed);
    CHECK(r.error == wire_errc::invalid_frame_size);
    r = decode(bytes("02 ff ff ff ff ff ff ff ff"));
    CHECK(r.error == wire_errc::invalid_frame_size);
    r = decode(bytes("06 ff ff ff ff ff ff ff ff"));
    CHECK(r.error == wire_errc::invalid_frame_size);
    // even with a "no limit" max
    r = decode(bytes("02 80 00 00 00 00 00 00 01"), std::numeric_limits<std::int64_t>::max());
    CHECK(r.error == wire_errc::invalid_frame_size);
}

TEST_CASE("C-FRM-2 size 2^63-1 is accepted without a limit", "[wire]") {
    const auto r = decode(bytes("02 7f ff ff ff ff ff ff ff"));
    REQUIRE(r.status == header_status::ok);
    CHECK(r.header.size == 0x7FFFFFFFFFFFFFFFull);
}

TEST_CASE("C-FRM-7 MAXMSGSIZE is per frame and applies to commands", "[wire]") {
    CHECK(decode(bytes("00 1e"), 30).status == header_status::ok);
    auto r = decode(bytes("00 1f"), 30);
    CHECK(r.status == header_status::failed);
    CHECK(r.error == wire_errc::message_too_large);
    r = decode(bytes("04 1a"), 10); // a 26-byte READY with MAXMSGSIZE 10
    CHECK(r.error == wire_errc::message_too_large);
    r = decode(bytes("02 00 00 00 00 00 00 01 34"), 307);
    CHECK(r.error == wire_errc::message_too_large);
    CHECK(decode(bytes("02 00 00 00 00 00 00 01 34"), 308).status == header_status::ok);
    CHECK(decode(bytes("00 00"), 0).status == header_status::ok);
    CHECK(decode(bytes("00 01"), 0).error == wire_errc::message_too_large);
    CHECK(decode(bytes("00 ff"), -1).status == header_status::ok);
}

TEST_CASE("C-FRM-2 top bit is checked before MAXMSGSIZE", "[wire]") {
    CHECK(decode(bytes("02 80 00 00 00 00 00 00 00"), 10).error == wire_errc::invalid_frame_size);
}

TEST_CASE("C-FRM-3 encoder: short iff size <= 255", "[wire]") {
    CHECK(hex(encode(0, false, false)) == "00 00");
    CHECK(hex(encode(255, false, false)) == "00 ff");
    CHECK(hex(encode(256, false, false)) == "02 00 00 00 00 00 00 01 00");
    CHECK(hex(encode(255, true, false)) == "01 ff");
    CHECK(hex(encode(256, true, false)) == "03 00 00 00 00 00 00 01 00");
    CHECK(hex(encode(255, false, true)) == "04 ff");
    CHECK(hex(encode(256, false, true)) == "06 00 00 00 00 00 00 01 00");
    CHECK(frame_header_size(255) == 2);
    CHECK(frame_header_size(256) == 9);
}

TEST_CASE("C-FRM-1 encoder never sets MORE on a command", "[wire]") {
    CHECK(hex(encode(3, true, true)) == "04 03");
    CHECK(hex(encode(300, true, true)) == "06 00 00 00 00 00 00 01 2c");
}

TEST_CASE("C-FRM-2 encode/decode round trip at the edges", "[wire]") {
    const std::uint64_t sizes[] = {0,
                                   1,
                                   254,
                                   255,
                                   256,
                                   257,
                                   65535,
                                   65536,
                                   0xFFFFFFFFull,
                                   0x100000000ull,
                                   0x7FFFFFFFFFFFFFFFull};
    for (auto size : sizes) {
        for (int flags = 0; flags < 4; ++flags) {
            const bool more = (flags & 1) != 0;
            const bool command = (flags & 2) != 0;
            const auto h = encode(size, more, command);
            const auto r = decode(h);
            REQUIRE(r.status == header_status::ok);
            CHECK(r.header.size == size);
            CHECK(r.header.header_size == h.size());
            CHECK(r.header.command() == command);
            CHECK(r.header.more() == (more && !command));
        }
    }
}

TEST_CASE("C-FRM-6 V-12 and V-13 frames", "[wire]") {
    byte_vec out;
    const auto hi = text("hi");
    append_frame(out, hi.data(), hi.size(), false, false);
    CHECK(hex(out) == hex(bytes("00 02 68 69")));

    out.clear();
    const auto head = text("B-head");
    const auto tail = text("A-tail-not-matter");
    append_frame(out, head.data(), head.size(), true, false);
    append_frame(out, tail.data(), tail.size(), false, false);
    CHECK(hex(out) == hex(bytes("01 06 42 2d 68 65 61 64 00 11 41 2d 74 61 69 6c 2d 6e 6f 74 2d "
                                "6d 61 74 74 65 72")));
}

TEST_CASE("C-FRM-3 V-14 308-byte message header", "[wire]") {
    const auto body = repeat('x', 308);
    byte_vec out;
    append_frame(out, body.data(), body.size(), false, false);
    CHECK(hex(byte_vec(out.begin(), out.begin() + 9)) == "02 00 00 00 00 00 00 01 34");
    CHECK(out.size() == 9 + 308);
    const auto r = decode(out);
    REQUIRE(r.status == header_status::ok);
    CHECK(r.header.size == 308);
}

TEST_CASE("C-FRM-2 empty frame can be appended from a null pointer", "[wire]") {
    byte_vec out;
    append_frame(out, nullptr, 0, false, false);
    CHECK(hex(out) == "00 00");
}
