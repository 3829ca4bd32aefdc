// Golden vectors V-4..V-11 from the conformance file (Appendix A), byte for byte. V-1..V-3 are
// in test_greeting.cpp, V-6..V-9 also in test_subscription.cpp, V-12..V-14 in test_frame.cpp.
#include "core/wire/command.hpp"
#include "core/wire/frame.hpp"
#include "tests/support/catch.hpp"
#include "tests/unit/wire/hex.hpp"

using namespace zmtp::wire;
using namespace zmtp::wire::test;

TEST_CASE("C-HS-4 V-4 READY from PUB", "[wire]") {
    byte_vec out;
    append_ready(out, "PUB");
    CHECK(hex(out) ==
          "04 19 05 52 45 41 44 59 0b 53 6f 63 6b 65 74 2d 54 79 70 65 00 00 00 03 50 55 42");
}

TEST_CASE("C-HS-4 V-5 READY from PAIR", "[wire]") {
    byte_vec out;
    append_ready(out, "PAIR");
    CHECK(hex(out) ==
          "04 1a 05 52 45 41 44 59 0b 53 6f 63 6b 65 74 2d 54 79 70 65 00 00 00 04 50 41 49 52");
}

TEST_CASE("C-SUBW-2 V-6 V-7 V-8 SUBSCRIBE/CANCEL commands", "[wire]") {
    byte_vec out;
    append_subscription(out, true, "A", 1);
    CHECK(hex(out) == "04 0b 09 53 55 42 53 43 52 49 42 45 41");
    out.clear();
    append_subscription(out, true, "", 1);
    CHECK(hex(out) == "04 0a 09 53 55 42 53 43 52 49 42 45");
    out.clear();
    append_subscription(out, false, "A", 1);
    CHECK(hex(out) == "04 08 06 43 41 4e 43 45 4c 41");
}

TEST_CASE("C-SUBW-1 V-9 legacy subscriptions", "[wire]") {
    byte_vec out;
    append_subscription(out, true, "A", 0);
    append_subscription(out, true, "", 0);
    append_subscription(out, false, "A", 0);
    CHECK(hex(out) == "00 02 01 41 00 01 01 00 02 00 41");
}

TEST_CASE("C-HB-3 V-10 PING with TTL 1500 ms", "[wire]") {
    byte_vec out;
    append_ping(out, 15);
    CHECK(hex(out) == "04 07 04 50 49 4e 47 00 0f");
    const auto cmd = parse_command(out.data() + 2, out.size() - 2);
    REQUIRE(cmd);
    CHECK(cmd->name == "PING");
    CHECK(parse_ping(*cmd).ttl_ds == 15);
    CHECK(parse_ping(*cmd).context.empty());
}

TEST_CASE("C-HB-1 V-11 PONG for context ctx", "[wire]") {
    byte_vec out;
    append_pong(out, "ctx");
    CHECK(hex(out) == "04 08 04 50 4f 4e 47 63 74 78");
}

TEST_CASE("C-VER-4 V-10/V-11 decode back through the frame decoder", "[wire]") {
    const auto stream = bytes("04 07 04 50 49 4e 47 00 0f 04 08 04 50 4f 4e 47 63 74 78");
    const auto h1 = decode_frame_header(stream.data(), stream.size(), -1);
    REQUIRE(h1.status == header_status::ok);
    const std::size_t second = h1.header.header_size + static_cast<std::size_t>(h1.header.size);
    const auto h2 = decode_frame_header(stream.data() + second, stream.size() - second, -1);
    REQUIRE(h2.status == header_status::ok);
    const auto pong =
        parse_command(stream.data() + second + 2, static_cast<std::size_t>(h2.header.size));
    REQUIRE(pong);
    CHECK(pong->name == "PONG");
    CHECK(parse_pong(*pong) == "ctx");
}
