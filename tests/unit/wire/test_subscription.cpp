// Tests for core/wire/subscription: both wire forms, version choice and LONG edges (C-SUBW).
#include "core/wire/command_frame.hpp"
#include "core/wire/frame.hpp"
#include "core/wire/subscription.hpp"
#include "tests/support/catch.hpp"
#include "tests/unit/wire/hex.hpp"

#include <string>

using namespace zmtp::wire;
using namespace zmtp::wire::test;

namespace {

// Decodes one whole frame and the subscription in it; checks the framing is exact.
std::optional<subscription> decode_whole(const byte_vec &frame) {
    const auto h = decode_frame_header(frame.data(), frame.size(), -1);
    REQUIRE(h.status == header_status::ok);
    REQUIRE(h.header.header_size + h.header.size == frame.size());
    return decode_subscription(h.header.flags, frame.data() + h.header.header_size,
                               static_cast<std::size_t>(h.header.size));
}

byte_vec encode(bool subscribe, std::string_view topic, std::uint8_t minor) {
    byte_vec out;
    append_subscription(out, subscribe, topic, minor);
    return out;
}

} // namespace

TEST_CASE("C-SUBW-2 V-6 V-7 V-8 command form for a 3.1 peer", "[wire]") {
    CHECK(hex(encode(true, "A", 1)) == hex(bytes("04 0b 09 53 55 42 53 43 52 49 42 45 41")));
    CHECK(hex(encode(true, "", 1)) == hex(bytes("04 0a 09 53 55 42 53 43 52 49 42 45")));
    CHECK(hex(encode(false, "A", 1)) == hex(bytes("04 08 06 43 41 4e 43 45 4c 41")));
}

TEST_CASE("C-SUBW-1 V-9 legacy form for a 3.0 peer", "[wire]") {
    CHECK(hex(encode(true, "A", 0)) == "00 02 01 41");
    CHECK(hex(encode(true, "", 0)) == "00 01 01");
    CHECK(hex(encode(false, "A", 0)) == "00 02 00 41");
}

TEST_CASE("C-SUBW-4 any minor >= 1 gets the command form", "[wire]") {
    CHECK(encode(true, "A", 7)[0] == flag_command);
}

TEST_CASE("C-SUBW-6 LONG follows the final body size (3.1 SUBSCRIBE)", "[wire]") {
    for (std::size_t len : {245u, 246u, 254u, 255u, 256u}) {
        const std::string topic(len, 'T');
        const auto frame = encode(true, topic, 1);
        const bool long_expected = 10 + len > 255;
        CHECK(frame[0] == (long_expected ? 0x06 : 0x04));
        CHECK(frame.size() == (long_expected ? 9u : 2u) + 10 + len);
        const auto sub = decode_whole(frame);
        REQUIRE(sub);
        CHECK(sub->subscribe);
        CHECK(sub->topic == topic);
    }
}

TEST_CASE("C-SUBW-6 LONG follows the final body size (3.1 CANCEL)", "[wire]") {
    for (std::size_t len : {245u, 246u, 248u, 249u, 254u, 255u, 256u}) {
        const std::string topic(len, 'c');
        const auto frame = encode(false, topic, 1);
        CHECK(frame[0] == (7 + len > 255 ? 0x06 : 0x04));
        const auto sub = decode_whole(frame);
        REQUIRE(sub);
        CHECK_FALSE(sub->subscribe);
        CHECK(sub->topic == topic);
    }
}

TEST_CASE("C-SUBW-6 LONG follows the final body size (3.0 legacy)", "[wire]") {
    for (std::size_t len : {245u, 246u, 254u, 255u, 256u}) {
        for (bool subscribe : {true, false}) {
            const std::string topic(len, 'L');
            const auto frame = encode(subscribe, topic, 0);
            CHECK(frame[0] == (1 + len > 255 ? 0x02 : 0x00));
            const auto sub = decode_whole(frame);
            REQUIRE(sub);
            CHECK(sub->subscribe == subscribe);
            CHECK(sub->topic == topic);
        }
    }
}

TEST_CASE("C-SUBW-7 300-octet topic in a long SUBSCRIBE", "[wire]") {
    const std::string topic(300, 'x');
    const auto frame = encode(true, topic, 1);
    CHECK(hex(byte_vec(frame.begin(), frame.begin() + 9)) == "06 00 00 00 00 00 00 01 36");
    CHECK(decode_whole(frame)->topic == topic);
}

TEST_CASE("C-SUBW-4 both forms decode on any version", "[wire]") {
    const auto sub_cmd = bytes("04 0b 09 'SUBSCRIBE' 'A'");
    auto sub = decode_whole(sub_cmd);
    REQUIRE(sub);
    CHECK(sub->subscribe);
    CHECK(sub->topic == "A");
    const auto cancel_cmd = bytes("04 08 06 'CANCEL' 'A'");
    sub = decode_whole(cancel_cmd);
    REQUIRE(sub);
    CHECK_FALSE(sub->subscribe);
    CHECK(sub->topic == "A");
    const auto legacy_sub = bytes("00 02 01 41");
    sub = decode_whole(legacy_sub);
    REQUIRE(sub);
    CHECK(sub->subscribe);
    CHECK(sub->topic == "A");
    const auto legacy_cancel = bytes("00 01 00");
    sub = decode_whole(legacy_cancel);
    REQUIRE(sub);
    CHECK_FALSE(sub->subscribe);
    CHECK(sub->topic.empty());
    // long-encoded small forms too (C-FRM-3)
    const auto long_legacy = bytes("02 00 00 00 00 00 00 00 02 01 'B'");
    sub = decode_whole(long_legacy);
    REQUIRE(sub);
    CHECK(sub->topic == "B");
    // MORE on the first frame does not matter
    const auto more_legacy = bytes("01 02 01 'C'");
    sub = decode_whole(more_legacy);
    REQUIRE(sub);
    CHECK(sub->topic == "C");
}

TEST_CASE("C-SUBW-5 other messages and commands are not subscriptions", "[wire]") {
    CHECK_FALSE(decode_whole(bytes("00 00")));
    CHECK_FALSE(decode_whole(bytes("00 02 02 41")));
    CHECK_FALSE(decode_whole(bytes("00 02 'hi'")));
    CHECK_FALSE(decode_whole(bytes("04 06 04 'PING' 00")));
    CHECK_FALSE(decode_whole(bytes("04 0a 09 'subscribe'")));
    CHECK_FALSE(decode_whole(bytes("04 00")));
    CHECK_FALSE(decode_whole(bytes("04 01 09")));
}

TEST_CASE("C-SUBW-6 libzmq 4.3.4's buggy 246-byte SUBSCRIBE is mis-framed, never trusted",
          "[wire]") {
    // V-17: flags 0x04 without LONG, then an 8-octet size. A conforming decoder sees an empty
    // command, which is malformed; the connection is closed instead of reading garbage.
    const auto v17 = cat(bytes("04 00 00 00 00 00 00 01 00 09 'SUBSCRIBE'"), repeat('T', 246));
    const auto h = decode_frame_header(v17.data(), v17.size(), -1);
    REQUIRE(h.status == header_status::ok);
    CHECK(h.header.size == 0);
    CHECK_FALSE(parse_command(v17.data() + 2, 0));
    CHECK_FALSE(decode_subscription(h.header.flags, v17.data() + 2, 0));
}
