// Bad greetings (RFC 23/37 §Greeting, §Version Negotiation): a raw client sends a broken
// signature, an old version or another mechanism while a good PAIR peer keeps talking to the
// server. The server must close that connection, and only that one.
#include "core/wire/frame.hpp"
#include "core/wire/greeting.hpp"
#include "core/wire/heartbeat.hpp"
#include "core/wire/ready.hpp"
#include "tests/badinput/fixture.hpp"
#include "tests/support/catch.hpp"

using namespace zmtp;
using namespace zmtp::test;

namespace {

/// Runs one rejected greeting against a server with a good peer, checks the server had sent
/// its own greeting first (C-GRT-4: ours goes out whole, before we hear the peer).
void greeting_rejected(const bytes& bad) {
    context ctx;
    bound_server srv(ctx);
    good_peer good(ctx, srv);
    const auto r = expect_rejected(srv, good, bad);
    REQUIRE(r.closed);
    CHECK(starts_with_our_greeting(r.seen));
    good.finish();
}

} // namespace

TEST_CASE("C-GRT-7 signature octet 0 not 0xFF is closed", "[badinput][greeting]") {
    auto g = greeting();
    g[0] = 0x00;
    greeting_rejected(g);
}

TEST_CASE("C-GRT-7 signature octet 9 with LSB 0 is closed", "[badinput][greeting]") {
    auto g = greeting();
    g[9] = 0x7E;
    greeting_rejected(g);
}

TEST_CASE("C-GRT-7 octet 9 checked alone: only the 10-octet signature sent",
          "[badinput][greeting]") {
    // Refused as soon as octet 9 arrives; the server must not wait for the rest.
    bytes sig = {0xFF, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00};
    greeting_rejected(sig);
}

TEST_CASE("C-VER-3 an unversioned ZMTP 1.0 peer (identity frame first) is closed",
          "[badinput][greeting]") {
    // A ZMTP/1.0 peer starts with its identity frame: length 1, flags 0, no body.
    greeting_rejected(bytes{0x01, 0x00});
}

TEST_CASE("C-VER-3 versioned signature with major 0 (ZMTP 1.0) is closed", "[badinput][greeting]") {
    auto g = greeting(0, 0);
    g.resize(11); // a 1.0-speaking peer stops after the revision octet
    greeting_rejected(g);
}

TEST_CASE("C-VER-3 ZMTP 2.0 peer (revision 1, socket-type octet) is closed",
          "[badinput][greeting]") {
    // RFC 15: signature, revision 0x01, socket type (PAIR = 0), then an identity frame.
    auto g = greeting(1, 0);
    g.resize(12);
    g.push_back(0x00);
    g.push_back(0x00);
    greeting_rejected(g);
}

TEST_CASE("C-VER-1 full greeting announcing version 2.0 is closed", "[badinput][greeting]") {
    // Our choice: major < 3 is refused. libzmq treats major 2 as 3.1 (C-VER-2, C-DISC-17).
    greeting_rejected(greeting(2, 0));
}

TEST_CASE("C-GRT-3 mechanism PLAIN is closed", "[badinput][greeting]") {
    greeting_rejected(greeting(3, 1, "PLAIN"));
}

TEST_CASE("C-GRT-3 lower-case mechanism null is closed", "[badinput][greeting]") {
    greeting_rejected(greeting(3, 1, "null"));
}

TEST_CASE("C-GRT-3 mechanism compared on all 20 octets: NULLX and CURVE are closed",
          "[badinput][greeting]") {
    SECTION("NULLX") {
        greeting_rejected(greeting(3, 1, "NULLX"));
    }
    SECTION("NULL then a stray octet at 31") {
        auto g = greeting();
        g[31] = 'X';
        greeting_rejected(g);
    }
    SECTION("CURVE") {
        greeting_rejected(greeting(3, 1, "CURVE"));
    }
    SECTION("empty mechanism") {
        greeting_rejected(greeting(3, 1, ""));
    }
}

TEST_CASE("C-GRT-7 a bad signature with lots of data behind it is closed", "[badinput][greeting]") {
    // 64 KiB after a bad first octet: the server must not keep reading it.
    bytes bad(64 * 1024, 0xAB);
    greeting_rejected(bad);
}

TEST_CASE("C-GRT-2 C-GRT-6 C-VER-1 legal greeting variants are accepted",
          "[badinput][greeting][legal]") {
    // Not bad input: padding, as-server, filler and higher versions must not be refused.
    context ctx;
    bound_server srv(ctx);
    bytes g = greeting();
    SECTION("libzmq padding 00..01") {
        g[8] = 0x01;
    }
    SECTION("garbage padding") {
        for (std::size_t i = 1; i <= 8; ++i)
            g[i] = static_cast<std::uint8_t>(0xA0 + i);
    }
    SECTION("as-server 1") {
        g[32] = 0x01;
    }
    SECTION("garbage filler") {
        for (std::size_t i = 33; i < 64; ++i)
            g[i] = 0xEE;
    }
    SECTION("version 3.0") {
        g[11] = 0x00;
    }
    SECTION("version 4.7") {
        g[10] = 4;
        g[11] = 7;
    }
    SECTION("signature octet 9 = 0x01 (only the LSB matters)") {
        g[9] = 0x01;
    }
    raw_peer raw;
    REQUIRE(raw.connect(srv.port));
    INFO(raw.last_error());
    REQUIRE(raw.handshake(g, ready("PAIR")));
    REQUIRE(raw.send(message_frame("legal")));
    REQUIRE(recv_text(srv.sock) == "legal");
    REQUIRE(srv.sock.send(std::string("back")));
    raw_frame f;
    REQUIRE(raw.read_frame(f) == read_status::ok);
    CHECK(f.text() == "back");
}

TEST_CASE("the raw peer's good bytes match the zmtp::wire codec", "[badinput][greeting]") {
    // The suite's hand-built GOOD bytes must be exactly what a correct peer sends, or the
    // "bad" cases would test the wrong thing.
    std::uint8_t g[wire::greeting_size];
    wire::encode_greeting(g, 1);
    CHECK(greeting() == bytes(g, g + sizeof g));
    std::vector<std::uint8_t> r;
    wire::append_ready(r, "PAIR");
    CHECK(ready("PAIR") == r);
    // Golden V-5 (READY from PAIR) and V-12 (message "hi").
    CHECK(ready("PAIR") == bytes{0x04, 0x1a, 0x05, 'R',  'E', 'A', 'D', 'Y', 0x0b, 'S',
                                 'o',  'c',  'k',  'e',  't', '-', 'T', 'y', 'p',  'e',
                                 0x00, 0x00, 0x00, 0x04, 'P', 'A', 'I', 'R'});
    CHECK(message_frame("hi") == bytes{0x00, 0x02, 'h', 'i'});
    std::vector<std::uint8_t> f;
    const std::string body(300, 'x');
    wire::append_frame(f, reinterpret_cast<const std::uint8_t*>(body.data()), body.size(), true,
                       false);
    CHECK(frame(0x01, body) == f);
    std::vector<std::uint8_t> ping;
    wire::append_ping(ping, 0, "ctx");
    CHECK(command("PING", std::string("\x00\x00", 2) + "ctx") == ping);
}
