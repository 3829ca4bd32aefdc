// Bad and unusual frames after a valid handshake (RFC 23/37 §Framing, §Connection
// Heartbeating). These need an accepted connection, so the raw client is the server's only peer;
// after it is gone a good PAIR must be accepted and served.
#include "tests/badinput/fixture.hpp"
#include "tests/support/catch.hpp"

using namespace zmtp;
using namespace zmtp::test;

namespace {

/// After `raw` misbehaved: the server closes it within the bound, delivered nothing more, and
/// a new good peer is accepted and served.
void expect_closed_then_recover(context& ctx, bound_server& srv, raw_peer& raw,
                                bool half_close = false) {
    if (half_close)
        raw.shutdown_write();
    bytes seen;
    REQUIRE(raw.wait_closed(io_timeout, &seen));
    INFO("server sent after the bad frame: " << hex(seen));
    CHECK(seen.empty());
    // Whatever the engine decoded was handed over before it closed: nothing may be pending.
    CHECK(nothing_pending(srv.sock));
    check_new_good_peer(ctx, srv);
}

std::string repeat(char c, std::size_t n) {
    return std::string(n, c);
}

} // namespace

TEST_CASE("C-FRM-7 a frame above MAXMSGSIZE closes the connection", "[badinput][framing]") {
    context ctx;
    bound_server srv(ctx, server_options{{}, 1000});
    auto raw = accept_raw(srv);
    // Exactly the limit passes (per frame), in both encodings.
    REQUIRE(raw.send(message_frame(repeat('a', 1000))));
    REQUIRE(recv_text(srv.sock) == repeat('a', 1000));
    REQUIRE(raw.send(frame(0x00, "short", /*long_form=*/true)));
    REQUIRE(recv_text(srv.sock) == "short");
    SECTION("1001-octet frame") {
        (void)raw.send(message_frame(repeat('b', 1001)));
    }
    SECTION("header declaring 1001, no body") {
        (void)raw.send(long_header(0x00, 1001));
    }
    SECTION("1001-octet command") {
        (void)raw.send(command("X-BIG", repeat('c', 1001 - 6)));
    }
    SECTION("second part of a multipart message: the first part is never delivered") {
        // C-FRM-6: a half-received message is discarded with the connection.
        (void)raw.send(cat({message_frame("part-1", true), message_frame(repeat('d', 1001))}));
    }
    expect_closed_then_recover(ctx, srv, raw);
}

TEST_CASE("C-FRM-7 MAXMSGSIZE also bounds the peer's READY", "[badinput][framing]") {
    context ctx;
    bound_server srv(ctx, server_options{{}, 20});
    SECTION("READY PAIR (26 octets) is refused") {
        raw_peer raw;
        REQUIRE(raw.connect(srv.port));
        (void)raw.send(cat({greeting(), ready("PAIR")}));
        bytes seen;
        REQUIRE(raw.wait_closed(io_timeout, &seen));
        CHECK(starts_with_our_greeting(seen));
    }
    SECTION("READY without properties (6 octets) passes") {
        // A zmtp PAIR's own READY is 26 octets, so only raw peers can talk to this server.
        {
            auto raw = accept_raw(srv, ready(""));
            (void)raw.send(message_frame(repeat('e', 21)));
            bytes seen;
            REQUIRE(raw.wait_closed(io_timeout, &seen));
            CHECK(seen.empty());
            CHECK(nothing_pending(srv.sock));
        }
        auto again = accept_raw(srv, ready("")); // the socket takes the next peer
    }
}

TEST_CASE("C-FRM-6 a truncated frame then close: nothing delivered, socket recovers",
          "[badinput][framing]") {
    context ctx;
    bound_server srv(ctx);
    auto raw = accept_raw(srv);
    SECTION("short frame, 10 of 100 octets") {
        REQUIRE(raw.send(cat({bytes{0x00, 100}, bytes(10, 'x')})));
    }
    SECTION("long frame, 5000 of 20000 octets (body read straight into the message)") {
        REQUIRE(raw.send(cat({long_header(0x00, 20000), bytes(5000, 'y')})));
    }
    SECTION("long frame, 100000 of 1000000 octets") {
        REQUIRE(raw.send(cat({long_header(0x00, 1000000), bytes(100000, 'y')})));
    }
    SECTION("half a long header") {
        REQUIRE(raw.send(bytes{0x02, 0x00, 0x00, 0x00}));
    }
    SECTION("a flags octet alone") {
        REQUIRE(raw.send(bytes{0x00}));
    }
    SECTION("complete first part of a multipart message") {
        REQUIRE(raw.send(message_frame("first", true)));
    }
    SECTION("complete part, then a truncated last part") {
        REQUIRE(raw.send(cat({message_frame("first", true), bytes{0x00, 50, 'z'}})));
    }
    expect_closed_then_recover(ctx, srv, raw, /*half_close=*/true);
}

TEST_CASE("C-FRM-6 peer resets mid-frame: socket recovers", "[badinput][framing]") {
    context ctx;
    bound_server srv(ctx);
    {
        auto raw = accept_raw(srv);
        REQUIRE(raw.send(
            cat({message_frame("p1", true), long_header(0x00, 50000), bytes(20000, 'r')})));
        raw.close(/*reset=*/true);
    }
    // The RST is seen by the engine some time later; nothing of that message may appear.
    check_new_good_peer(ctx, srv);
    CHECK(nothing_pending(srv.sock));
}

TEST_CASE("C-FRM-2 a frame declaring 2^63 or 2^64-1 octets closes the connection",
          "[badinput][framing]") {
    context ctx;
    bound_server srv(ctx);
    auto raw = accept_raw(srv);
    SECTION("data 2^63") {
        (void)raw.send(long_header(0x00, 1ull << 63));
    }
    SECTION("data 2^64-1") {
        (void)raw.send(long_header(0x00, ~0ull));
    }
    SECTION("data with MORE 2^63") {
        (void)raw.send(long_header(0x01, 1ull << 63));
    }
    SECTION("command 2^64-1") {
        (void)raw.send(long_header(0x04, ~0ull));
    }
    SECTION("after a good message") {
        (void)raw.send(cat({message_frame("ok"), long_header(0x00, 1ull << 63)}));
        REQUIRE(recv_text(srv.sock) == "ok");
    }
    expect_closed_then_recover(ctx, srv, raw);
}

// A declared size that cannot be allocated drops that connection (the engine catches the
// allocation failure), never the process.
TEST_CASE("C-FRM-2 a legal but huge declared size (no MAXMSGSIZE) does not crash the server",
          "[badinput][framing][hugesize]") {
    // 2^63-1 is the largest size the grammar allows; nobody can send it. The server must not
    // trust it (DESIGN: "avoid a decoder that trusts a peer's 64-bit length"): either close the
    // connection or wait for the body without reserving it up front.
    context ctx;
    bound_server srv(ctx);
    std::uint64_t size = 0;
    SECTION("2^63-1") {
        size = (1ull << 63) - 1;
    }
    SECTION("2^40") {
        size = 1ull << 40;
    }
    {
        auto raw = accept_raw(srv);
        (void)raw.send(cat({long_header(0x00, size), bytes(16, 'h')}));
        raw.shutdown_write();
        CHECK(raw.wait_closed(io_timeout)); // EOF in the middle of the body ends it either way
    }
    check_new_good_peer(ctx, srv);
}

TEST_CASE("C-HB-4 PING is answered by PONG echoing the context, truncated to 16 octets",
          "[badinput][framing][heartbeat]") {
    context ctx;
    bound_server srv(ctx);
    auto raw = accept_raw(srv);
    struct ping_case {
        bytes ping;
        std::string expected_context;
    };
    const std::string ctx20 = "0123456789abcdefGHIJ";
    const std::vector<ping_case> cases = {
        {command("PING", std::string("\x00\x00", 2) + "ctx"), "ctx"},
        {command("PING", std::string("\x00\x0f", 2)), ""},
        {command("PING", std::string("\x01\x00", 2) + ctx20), ctx20.substr(0, 16)},
        {command("PING", std::string("\x00\x00", 2) + std::string(16, 'q')), std::string(16, 'q')},
        // No TTL at all (libzmq would echo stale memory, C-HB-4): empty context.
        {command("PING"), ""},
        {command("PING", std::string("\x07", 1)), ""},
        // C-FRM-4: MORE on a command and reserved bits are ignored; long form is legal.
        {frame(0x05, std::string("\x04PING\x00\x00m", 8)), "m"},
        {frame(0xfc, std::string("\x04PING\x00\x00r", 8)), "r"},
        {frame(0x04, std::string("\x04PING\x00\x00l", 8), /*long_form=*/true), "l"},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        INFO("case " << i << ": " << hex(cases[i].ping));
        REQUIRE(raw.send(cases[i].ping));
        raw_frame pong;
        REQUIRE(raw.read_frame(pong) == read_status::ok);
        CHECK(pong.flags == 0x04);
        REQUIRE(pong.command_name() == "PONG");
        const auto data = pong.command_data();
        CHECK(std::string(data.begin(), data.end()) == cases[i].expected_context);
    }
    // Golden bytes (V-11): PONG for "ctx" is 04 08 04 'PONG' 'ctx'.
    REQUIRE(raw.send(command("PING", std::string("\x00\x00", 2) + "ctx")));
    bytes pong;
    REQUIRE(raw.read_exact(10, pong) == read_status::ok);
    CHECK(pong == bytes{0x04, 0x08, 0x04, 'P', 'O', 'N', 'G', 'c', 't', 'x'});
    // The connection is still the peer, both ways.
    REQUIRE(raw.send(message_frame("after-ping")));
    REQUIRE(recv_text(srv.sock) == "after-ping");
    REQUIRE(srv.sock.send(std::string("after-pong")));
    raw_frame f;
    REQUIRE(raw.read_frame(f) == read_status::ok);
    CHECK(f.text() == "after-pong");
    close_and_wait(raw);
    check_new_good_peer(ctx, srv);
}

TEST_CASE("C-FRM-3 C-FRM-4 legal-but-unusual frames are delivered", "[badinput][framing][legal]") {
    context ctx;
    bound_server srv(ctx);
    auto raw = accept_raw(srv);
    bool more = false;
    SECTION("long-encoded small frame (02 00..03 'abc')") {
        REQUIRE(raw.send(frame(0x00, "abc", /*long_form=*/true)));
        CHECK(recv_text(srv.sock, &more) == "abc");
        CHECK_FALSE(more);
    }
    SECTION("long-encoded empty frame, then a long-encoded multipart message") {
        REQUIRE(raw.send(
            cat({frame(0x00, "", true), frame(0x01, "m1", true), frame(0x00, "m2", true)})));
        CHECK(recv_text(srv.sock, &more) == "");
        CHECK_FALSE(more);
        CHECK(recv_text(srv.sock, &more) == "m1");
        CHECK(more);
        CHECK(recv_text(srv.sock, &more) == "m2");
        CHECK_FALSE(more);
    }
    SECTION("reserved flag bits are ignored (0xf8 frame is a normal message)") {
        REQUIRE(raw.send(
            cat({frame(0xf8, "reserved"), frame(0xf9, "r-more"), frame(0xfa, "r-long", true)})));
        CHECK(recv_text(srv.sock, &more) == "reserved");
        CHECK_FALSE(more);
        CHECK(recv_text(srv.sock, &more) == "r-more");
        CHECK(more);
        CHECK(recv_text(srv.sock, &more) == "r-long");
        CHECK_FALSE(more);
    }
    SECTION("unknown and malformed commands after the handshake are ignored") {
        REQUIRE(
            raw.send(cat({command("X-UNKNOWN", "data"), bytes{0x04, 0x00},
                          bytes{0x04, 0x02, 0x09, 'S'}, command("READY"), command("SUBSCRIBE", "A"),
                          command("PONG", "x"), message_frame("after-commands")})));
        CHECK(recv_text(srv.sock, &more) == "after-commands");
    }
    SECTION("a command between two parts of a message does not split it") {
        REQUIRE(raw.send(cat({message_frame("a", true), command("X-MID"), message_frame("b")})));
        CHECK(recv_text(srv.sock, &more) == "a");
        CHECK(more);
        CHECK(recv_text(srv.sock, &more) == "b");
        CHECK_FALSE(more);
    }
    CHECK(nothing_pending(srv.sock));
    // Still fully working both ways.
    REQUIRE(srv.sock.send(std::string("still-here")));
    raw_frame f;
    REQUIRE(raw.read_frame(f) == read_status::ok);
    CHECK(f.text() == "still-here");
}

TEST_CASE("C-TYPE-4 an ERROR after the handshake closes the connection", "[badinput][framing]") {
    context ctx;
    bound_server srv(ctx);
    auto raw = accept_raw(srv);
    (void)raw.send(command("ERROR", "\x04oops"));
    expect_closed_then_recover(ctx, srv, raw);
}
