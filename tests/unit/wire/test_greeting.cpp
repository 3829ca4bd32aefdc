// Tests for core/wire/greeting: our encoder and the incremental peer-greeting parser (C-GRT,
// C-VER).
#include "core/wire/error.hpp"
#include "core/wire/greeting.hpp"
#include "tests/support/catch.hpp"
#include "tests/unit/wire/hex.hpp"

#include <algorithm>
#include <iterator>

using namespace zmtp::wire;
using namespace zmtp::wire::test;

namespace {

greeting_result feed_all(greeting_parser &p, const byte_vec &v) {
    return p.feed(v.data(), v.size());
}

} // namespace

TEST_CASE("C-GRT-1 our greeting is the 3.1 NULL golden vector", "[wire]") {
    std::uint8_t g[greeting_size];
    encode_greeting(g);
    const byte_vec expected = cat(bytes("ff 00 00 00 00 00 00 00 00 7f 03 01 4e 55 4c 4c"),
                                  repeat(0, 16), bytes("00"), repeat(0, 31));
    REQUIRE(expected.size() == greeting_size);
    CHECK(hex(byte_vec(g, g + greeting_size)) == hex(expected));
}

TEST_CASE("C-GRT-1 encode_greeting writes the requested minor version", "[wire]") {
    std::uint8_t g[greeting_size];
    std::fill(std::begin(g), std::end(g), std::uint8_t{0xAA});
    encode_greeting(g, 0);
    CHECK(g[10] == 3);
    CHECK(g[11] == 0);
    CHECK(g[32] == 0); // C-GRT-6 as-server 0
    for (std::size_t i = 1; i <= 8; ++i) {
        CHECK(g[i] == 0);
    }
    CHECK(g[63] == 0);
}

TEST_CASE("C-GRT-1 our own greeting parses back", "[wire]") {
    std::uint8_t g[greeting_size];
    encode_greeting(g);
    greeting_parser p;
    const auto r = p.feed(g, greeting_size);
    CHECK(r.status == parse_status::done);
    CHECK(r.consumed == greeting_size);
    CHECK(p.peer().major == 3);
    CHECK(p.peer().minor == 1);
    CHECK(p.peer().mechanism == "NULL");
    CHECK_FALSE(p.peer().as_server);
}

TEST_CASE("C-GRT-2 V-1 libzmq padding 00..01 is accepted", "[wire]") {
    greeting_parser p;
    const auto r = feed_all(p, libzmq_greeting());
    CHECK(r.status == parse_status::done);
    CHECK_FALSE(r.error);
}

TEST_CASE("C-GRT-2 padding is never validated", "[wire]") {
    auto g = libzmq_greeting();
    for (std::size_t i = 1; i <= 8; ++i) {
        g[i] = static_cast<std::uint8_t>(0x5A + i);
    }
    greeting_parser p;
    CHECK(feed_all(p, g).status == parse_status::done);
}

TEST_CASE("C-GRT-6 as-server=1 and garbage filler are accepted", "[wire]") {
    auto g = libzmq_greeting();
    g[32] = 1;
    for (std::size_t i = 33; i < greeting_size; ++i) {
        g[i] = 0xEE;
    }
    greeting_parser p;
    CHECK(feed_all(p, g).status == parse_status::done);
    CHECK(p.peer().as_server);
}

TEST_CASE("C-GRT-7 byte 0 other than 0xFF fails after one byte", "[wire]") {
    auto g = libzmq_greeting();
    g[0] = 0x01; // a ZMTP 1.0 length octet
    greeting_parser p;
    const auto r = feed_all(p, g);
    CHECK(r.status == parse_status::failed);
    CHECK(r.error == wire_errc::bad_signature);
    CHECK(r.consumed == 1);
}

TEST_CASE("C-GRT-7 byte 9 with LSB clear fails at byte 9", "[wire]") {
    auto g = libzmq_greeting();
    g[9] = 0x7E;
    greeting_parser p;
    const auto r = feed_all(p, g);
    CHECK(r.status == parse_status::failed);
    CHECK(r.error == wire_errc::bad_signature);
    CHECK(r.consumed == 10);
}

TEST_CASE("C-GRT-7 only the LSB of byte 9 is checked", "[wire]") {
    auto g = libzmq_greeting();
    g[9] = 0x01;
    greeting_parser p;
    CHECK(feed_all(p, g).status == parse_status::done);
}

TEST_CASE("C-VER-3 ZMTP 1.0 and 2.0 peers are refused at byte 10", "[wire]") {
    for (std::uint8_t major : {0, 1, 2}) {
        greeting_parser p;
        const auto r = feed_all(p, libzmq_greeting(major, 1));
        CHECK(r.status == parse_status::failed);
        CHECK(r.error == wire_errc::unsupported_version);
        CHECK(r.consumed == 11);
    }
}

TEST_CASE("C-VER-1 versions 3.0, 3.1, 3.9 and 4.7 are accepted", "[wire]") {
    const std::pair<std::uint8_t, std::uint8_t> versions[] = {{3, 0}, {3, 1}, {3, 9}, {4, 7}};
    for (const auto &[major, minor] : versions) {
        greeting_parser p;
        const auto r = feed_all(p, libzmq_greeting(major, minor));
        CHECK(r.status == parse_status::done);
        CHECK(p.peer().major == major);
        CHECK(p.peer().minor == minor);
    }
}

TEST_CASE("C-GRT-3 mechanism is compared on all 20 bytes, case-sensitively", "[wire]") {
    SECTION("lower-case null") {
        auto g = libzmq_greeting();
        g[12] = 'n';
        g[13] = 'u';
        g[14] = 'l';
        g[15] = 'l';
        greeting_parser p;
        const auto r = feed_all(p, g);
        CHECK(r.error == wire_errc::mechanism_mismatch);
        CHECK(r.consumed == 32);
        CHECK(p.peer().mechanism == "null");
    }
    SECTION("NULL with trailing garbage") {
        auto g = libzmq_greeting();
        g[31] = 'X';
        greeting_parser p;
        const auto r = feed_all(p, g);
        CHECK(r.error == wire_errc::mechanism_mismatch);
        CHECK(r.consumed == 32);
        CHECK(p.peer().mechanism == "NULL");
    }
    SECTION("CURVE") {
        auto g =
            cat(bytes("ff 00 00 00 00 00 00 00 01 7f 03 01 'CURVE'"), repeat(0, 15), repeat(0, 32));
        greeting_parser p;
        CHECK(feed_all(p, g).error == wire_errc::mechanism_mismatch);
        CHECK(p.peer().mechanism == "CURVE");
    }
    SECTION("20 non-NUL bytes") {
        auto g = libzmq_greeting();
        for (std::size_t i = 12; i < 32; ++i) {
            g[i] = 'A';
        }
        greeting_parser p;
        CHECK(feed_all(p, g).error == wire_errc::mechanism_mismatch);
        CHECK(p.peer().mechanism == std::string(20, 'A'));
    }
}

TEST_CASE("C-GRT-4 greeting truncated at every offset needs more", "[wire]") {
    const auto g = libzmq_greeting();
    for (std::size_t k = 0; k < greeting_size; ++k) {
        greeting_parser p;
        const auto r = p.feed(g.data(), k);
        CHECK(r.status == parse_status::need_more);
        CHECK(r.consumed == k);
        // the rest completes it
        const auto r2 = p.feed(g.data() + k, g.size() - k);
        CHECK(r2.status == parse_status::done);
        CHECK(r2.consumed == g.size() - k);
    }
}

TEST_CASE("C-GRT-4 V-1/V-2/V-3 staged libzmq greeting parses", "[wire]") {
    const auto v1 = bytes("ff 00 00 00 00 00 00 00 01 7f");
    const auto v2 = bytes("03");
    const auto v3 = cat(bytes("01 4e 55 4c 4c"), repeat(0, 16), bytes("00"), repeat(0, 31));
    greeting_parser p;
    CHECK(feed_all(p, v1).status == parse_status::need_more);
    CHECK(feed_all(p, v2).status == parse_status::need_more);
    const auto r = feed_all(p, v3);
    CHECK(r.status == parse_status::done);
    CHECK(r.consumed == v3.size());
}

TEST_CASE("C-GRT-1 consumed never exceeds 64 and trailing bytes stay", "[wire]") {
    const auto in = cat(libzmq_greeting(), bytes("04 19 05 'READY'"));
    greeting_parser p;
    const auto r = feed_all(p, in);
    CHECK(r.status == parse_status::done);
    CHECK(r.consumed == greeting_size);
    const auto again = feed_all(p, in);
    CHECK(again.status == parse_status::done);
    CHECK(again.consumed == 0);
}

TEST_CASE("C-GRT-1 byte-at-a-time feeding matches bulk feeding", "[wire]") {
    greeting_parser p;
    const auto g = libzmq_greeting(3, 0);
    for (std::size_t i = 0; i < g.size(); ++i) {
        const auto r = p.feed(&g[i], 1);
        CHECK(r.consumed == 1);
        CHECK(r.status == (i + 1 == g.size() ? parse_status::done : parse_status::need_more));
    }
    CHECK(p.peer().minor == 0);
}

TEST_CASE("C-GRT-1 a failed parser stays failed and consumes nothing", "[wire]") {
    greeting_parser p;
    const auto bad = bytes("00");
    CHECK(feed_all(p, bad).status == parse_status::failed);
    const auto g = libzmq_greeting();
    const auto r = feed_all(p, g);
    CHECK(r.status == parse_status::failed);
    CHECK(r.consumed == 0);
    CHECK(r.error == wire_errc::bad_signature);
    CHECK(p.status() == parse_status::failed);
}

TEST_CASE("C-GRT-1 empty feed needs more", "[wire]") {
    greeting_parser p;
    const auto r = p.feed(nullptr, 0);
    CHECK(r.status == parse_status::need_more);
    CHECK(r.consumed == 0);
}
