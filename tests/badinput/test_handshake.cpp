// Bad NULL handshakes (RFC 23/37 §The NULL Security Mechanism, §The Socket-Type Property):
// wrong or malformed READY, traffic before READY, ERROR, silence past HANDSHAKE_IVL. A good PAIR
// peer keeps exchanging messages with the server throughout.
#include "tests/badinput/fixture.hpp"
#include "tests/support/catch.hpp"

using namespace zmtp;
using namespace zmtp::test;

namespace {

/// greeting + `after`, rejected while a good peer is served; returns what the server sent.
rejection handshake_rejected(const bytes& after, const server_options& opts = {}) {
    context ctx;
    bound_server srv(ctx, opts);
    good_peer good(ctx, srv);
    const auto r = expect_rejected(srv, good, cat({greeting(), after}));
    REQUIRE(r.closed);
    CHECK(starts_with_our_greeting(r.seen));
    good.finish();
    return r;
}

/// READY data built by hand: Socket-Type PAIR plus `tail`.
bytes ready_with(const std::string& data) {
    return command("READY", data);
}

std::string pair_property() {
    return properties({{"Socket-Type", "PAIR"}});
}

/// Checks the server's bytes are: greeting, READY (PAIR), ERROR with a printable reason.
void check_error_sent(const bytes& seen) {
    INFO("server sent: " << hex(seen, 200));
    REQUIRE(starts_with_our_greeting(seen));
    const auto frames = split_frames(seen, 64);
    REQUIRE(frames.size() == 2);
    CHECK(frames[0].command_name() == "READY");
    REQUIRE(frames[1].command());
    REQUIRE(frames[1].command_name() == "ERROR");
    const auto data = frames[1].command_data();
    REQUIRE(!data.empty());
    CHECK(data[0] + 1u == data.size()); // error-reason = length octet + reason (C-TYPE-4)
    CHECK(data[0] > 0);
}

} // namespace

TEST_CASE("C-TYPE-2 READY with Socket-Type PUB to a PAIR: ERROR then close",
          "[badinput][handshake]") {
    context ctx;
    bound_server srv(ctx);
    good_peer good(ctx, srv);
    // Repeated: the ERROR must go out every time, whatever the timing of our own writes.
    for (int i = 0; i < 20; ++i) {
        INFO("iteration " << i);
        const auto r = expect_rejected(srv, good, cat({greeting(), ready("PUB")}));
        REQUIRE(r.closed);
        check_error_sent(r.seen);
    }
    good.finish();
}

TEST_CASE("C-TYPE-1 C-HS-7 other invalid Socket-Type values: ERROR then close",
          "[badinput][handshake]") {
    std::string type;
    SECTION("SUB") {
        type = "SUB";
    }
    SECTION("XPUB") {
        type = "XPUB";
    }
    SECTION("DEALER") {
        type = "DEALER";
    }
    SECTION("lower-case value pair (values are case-sensitive)") {
        type = "pair";
    }
    SECTION("unknown type FOO") {
        type = "FOO";
    }
    SECTION("empty value") {
        type = "";
    }
    const auto r = handshake_rejected(ready_with(properties({{"Socket-Type", type}})));
    check_error_sent(r.seen);
}

TEST_CASE("C-HS-7 READY with trailing garbage after the properties is closed",
          "[badinput][handshake]") {
    std::string data = pair_property();
    SECTION("three stray octets") {
        data += std::string{'\x05', 'a', 'b'};
    }
    SECTION("a name without value length") {
        data += std::string{'\x03', 'F', 'o', 'o'};
    }
    SECTION("a name and half a value length") {
        data += std::string{'\x03', 'F', 'o', 'o', '\0', '\0'};
    }
    SECTION("one stray octet") {
        data += "Z";
    }
    handshake_rejected(ready_with(data));
}

TEST_CASE("C-HS-2 malformed READY properties are closed", "[badinput][handshake]") {
    std::string data;
    SECTION("zero-length name") {
        data = std::string("\x00\x00\x00\x00\x00", 5) + pair_property();
    }
    SECTION("value length beyond the body") {
        data = std::string("\x0bSocket-Type\x00\x00\x00\x10PAIR", 20);
    }
    SECTION("value length 2^31 (above the grammar's maximum)") {
        data = std::string("\x0bSocket-Type\x80\x00\x00\x00PAIR", 20);
    }
    SECTION("value length 0xFFFFFFFF") {
        data = std::string("\x0bSocket-Type\xff\xff\xff\xffPAIR", 20);
    }
    SECTION("name length beyond the body") {
        data = "\xffSocket-Type";
    }
    handshake_rejected(ready_with(data));
}

TEST_CASE("C-FRM-5 malformed command frames during the handshake are closed",
          "[badinput][handshake]") {
    bytes bad;
    SECTION("empty command body") {
        bad = {0x04, 0x00};
    }
    SECTION("command name length beyond the body") {
        bad = {0x04, 0x03, 0x0a, 'R', 'E'};
    }
    SECTION("zero-length command name") {
        bad = {0x04, 0x01, 0x00};
    }
    SECTION("ERROR with reason length beyond the body") {
        bad = command("ERROR", std::string{'\x10', 'o', 'o', 'p', 's'});
    }
    handshake_rejected(bad);
}

TEST_CASE("C-HS-8 a data frame before READY is closed", "[badinput][handshake]") {
    SECTION("single frame") {
        handshake_rejected(message_frame("too early"));
    }
    SECTION("frame with MORE") {
        handshake_rejected(message_frame("part", true));
    }
    SECTION("empty frame") {
        handshake_rejected(bytes{0x00, 0x00});
    }
    SECTION("data frame, then a valid READY") {
        handshake_rejected(cat({message_frame("x"), ready("PAIR")}));
    }
}

TEST_CASE("C-HS-8 a command other than READY during the handshake is closed",
          "[badinput][handshake]") {
    SECTION("PING") {
        handshake_rejected(command("PING", std::string("\x00\x00", 2)));
    }
    SECTION("SUBSCRIBE") {
        handshake_rejected(command("SUBSCRIBE", "A"));
    }
    SECTION("unknown HELLO") {
        handshake_rejected(command("HELLO", "world"));
    }
    SECTION("lower-case ready") {
        handshake_rejected(command("ready", pair_property()));
    }
}

TEST_CASE("C-TYPE-4 an ERROR from the peer during the handshake is closed",
          "[badinput][handshake]") {
    handshake_rejected(command("ERROR", "\x04oops"));
}

TEST_CASE("C-FRM-2 READY with a declared size of 2^63 or 2^64-1 is closed",
          "[badinput][handshake]") {
    SECTION("2^63") {
        handshake_rejected(long_header(0x04, 1ull << 63));
    }
    SECTION("2^64-1") {
        handshake_rejected(long_header(0x04, ~0ull));
    }
    SECTION("2^63 on a data frame") {
        handshake_rejected(long_header(0x00, 1ull << 63));
    }
}

TEST_CASE("C-HS-9 greeting then silence past HANDSHAKE_IVL is closed",
          "[badinput][handshake][timeout]") {
    constexpr int ivl = 200;
    context ctx;
    bound_server srv(ctx, server_options{ivl, {}});
    good_peer good(ctx, srv); // its handshake completes at once; the timer must not touch it
    bytes bad;
    SECTION("nothing at all") {}
    SECTION("half a greeting") {
        bad = greeting();
        bad.resize(20);
    }
    SECTION("a full greeting") {
        bad = greeting();
    }
    SECTION("greeting and half a READY") {
        bad = cat({greeting(), ready("PAIR")});
        bad.resize(64 + 10);
    }
    // A READY header declaring more than 64 KiB is no longer left to time out: it is dropped
    // on its header (test_hostile_handshake.cpp).
    const auto r = expect_rejected(srv, good, bad);
    REQUIRE(r.closed);
    // The timer starts at accept, after our connect began: it cannot fire earlier than ivl.
    CHECK(r.elapsed.count() >= ivl - 20);
    good.finish(); // the established peer outlived several HANDSHAKE_IVLs
}

TEST_CASE("C-MON-2 peer half-closes in the middle of the greeting: closed",
          "[badinput][handshake]") {
    context ctx;
    bound_server srv(ctx);
    good_peer good(ctx, srv);
    auto g = greeting();
    g.resize(30);
    const auto r = expect_rejected(srv, good, g, /*half_close=*/true);
    REQUIRE(r.closed);
    good.finish();
}

TEST_CASE("C-HS-7 READY without Socket-Type is accepted", "[badinput][handshake][legal]") {
    context ctx;
    bound_server srv(ctx);
    SECTION("no properties: the raw client becomes the peer") {
        auto raw = accept_raw(srv, ready(""));
        // Both directions work a few more times.
        for (int i = 0; i < 3; ++i) {
            REQUIRE(raw.send(message_frame("m" + std::to_string(i))));
            REQUIRE(recv_text(srv.sock) == "m" + std::to_string(i));
        }
        close_and_wait(raw);
        check_new_good_peer(ctx, srv);
    }
    SECTION("only an unknown X- property") {
        auto raw = accept_raw(srv, command("READY", properties({{"X-Foo", "bar"}})));
        close_and_wait(raw);
        check_new_good_peer(ctx, srv);
    }
    SECTION("Socket-Type name in lower case (names are case-insensitive)") {
        auto raw = accept_raw(srv, command("READY", properties({{"socket-type", "PAIR"}})));
        close_and_wait(raw);
        check_new_good_peer(ctx, srv);
    }
    SECTION("extra properties and an empty value") {
        auto raw = accept_raw(
            srv,
            command("READY",
                    properties({{"X-Empty", ""}, {"Socket-Type", "PAIR"}, {"Identity", "id"}})));
        close_and_wait(raw);
        check_new_good_peer(ctx, srv);
    }
}

namespace {

/// A valid second peer connects while the good peer is attached; returns whether the server
/// kept that connection open (libzmq's black hole, C-PAIR-5) and checks that nothing was sent
/// to it and the good traffic is exactly-once and in order.
bool second_valid_peer(const bytes& ready_frame) {
    context ctx;
    bound_server srv(ctx);
    good_peer good(ctx, srv);
    good.round_trip(2);
    raw_peer raw;
    REQUIRE(raw.connect(srv.port));
    INFO(raw.last_error());
    REQUIRE(raw.handshake(greeting(), ready_frame)); // accepted: greeting and READY came back
    (void)raw.send(message_frame("intruder"));
    good.round_trip(3); // lets the server see (and refuse) the second pipe
    bytes seen;
    // Bounded observation of the black hole: nothing arrives, nothing closes it.
    const bool open = raw.stays_open(std::chrono::milliseconds(300), &seen);
    CHECK(seen.empty());
    good.round_trip(3); // the intruder's message never reached the server: order is intact
    good.finish();
    return open;
}

} // namespace

TEST_CASE("C-HS-7 C-PAIR-5 a valid second peer does not disturb the good peer",
          "[badinput][handshake][legal]") {
    SECTION("READY without Socket-Type") {
        second_valid_peer(ready(""));
    }
    SECTION("READY PAIR") {
        second_valid_peer(ready("PAIR"));
    }
}

TEST_CASE("C-PAIR-5 a valid second peer is kept open as a black hole",
          "[badinput][handshake][legal]") {
    SECTION("READY without Socket-Type") {
        CHECK(second_valid_peer(ready("")));
    }
    SECTION("READY PAIR") {
        CHECK(second_valid_peer(ready("PAIR")));
    }
}
