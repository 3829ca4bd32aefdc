// Heartbeats against a hand-driven peer (C-HB-1..C-HB-5, RFC 37 §Connection Heartbeating):
// every PING we send is checked byte for byte, and the peer's silence, traffic and TTLs are
// under the test's control. Drops are awaited (monitor events, EOF), never slept for; the only
// time checks are lower bounds, which a slow machine cannot break.
#include "tests/heartbeat/heartbeat_support.hpp"
#include "tests/support/catch.hpp"
#include "tests/support/raw_acceptor.hpp"
#include "tests/support/transports.hpp"

#include <algorithm>

using namespace zmtp;
using namespace zmtp::test;
using clock_type = std::chrono::steady_clock;

namespace {

/// The next data frame's text; PINGs and other commands on the way are skipped.
std::string expect_message(raw_peer& peer) {
    const auto deadline = clock_type::now() + hb_wait;
    for (;;) {
        raw_frame f;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
        REQUIRE(peer.read_frame(f, std::max(left, std::chrono::milliseconds(1))) ==
                read_status::ok);
        if (!f.command())
            return f.text();
    }
}

/// Our socket bound on `transport` and a raw peer that completed the handshake with it.
struct bound_with_raw_peer {
    bound_with_raw_peer(zmtp::context& ctx, const std::string& transport,
                        const heartbeat_options& hb)
        : server(heartbeat_pair(ctx, hb)), events(server) {
        server.bind(bind_endpoint(transport));
        endpoint = server.get(opt::last_endpoint);
        REQUIRE(raw.connect(endpoint));
        start = clock_type::now();
        REQUIRE(raw.handshake(greeting(), ready("PAIR")));
    }
    zmtp::socket server;
    event_log events;
    std::string endpoint;
    raw_peer raw;
    clock_type::time_point start; ///< before the handshake could complete
};

bool contains_ping(const bytes& b) {
    const std::string needle = "\x04PING";
    return std::search(b.begin(), b.end(), needle.begin(), needle.end()) != b.end();
}

} // namespace

TEST_CASE("A silent peer is dropped HEARTBEAT_TIMEOUT after our PING, and the socket serves "
          "the next peer (C-HB-3, C-HB-5)",
          "[heartbeat][raw]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    zmtp::context ctx;
    bound_with_raw_peer b(ctx, transport, {100, 2500, 200});

    // PING = TTL 2500 ms as 25 deciseconds, big-endian, and an empty context (C-HB-1).
    const auto ping = expect_command(b.raw);
    CHECK(ping.command_name() == "PING");
    CHECK(ping.command_data() == ping_data(25));

    // The peer says nothing from here on: the first unanswered PING's deadline closes it.
    REQUIRE(b.raw.wait_closed(hb_wait));
    CHECK(clock_type::now() - b.start >= std::chrono::milliseconds(100 + 200));
    REQUIRE(b.events.wait_for(socket_event::disconnected));
    // A lost connection, not a failed handshake (C-MON-2).
    CHECK(b.events.count(socket_event::handshake_failed_no_detail) == 0);
    CHECK(b.events.count(socket_event::handshake_failed_protocol) == 0);

    auto next = heartbeat_pair(ctx, {});
    next.connect(b.endpoint);
    round_trip(next, b.server, "next peer");
    round_trip(b.server, next, "served");
}

TEST_CASE("A connecting socket drops a silent peer and redials, as after any lost connection "
          "(C-HB-5)",
          "[heartbeat][raw]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    zmtp::context ctx;
    raw_acceptor acceptor(transport);
    auto client = heartbeat_pair(ctx, {100, 0, 200});
    client.set(opt::reconnect_ivl, 50);
    event_log events(client);
    client.connect(acceptor.endpoint());

    raw_peer first = acceptor.accept(hb_wait);
    REQUIRE(first.connected());
    REQUIRE(first.handshake(greeting(), ready("PAIR")));
    CHECK(expect_command(first).command_name() == "PING");
    REQUIRE(first.wait_closed(hb_wait));
    REQUIRE(events.wait_for(socket_event::disconnected));

    // Not a protocol error (which would stop reconnection): the socket dials again.
    raw_peer second = acceptor.accept(hb_wait);
    REQUIRE(second.connected());
    REQUIRE(second.handshake(greeting(), ready("PAIR")));
    REQUIRE(client.send("after redial"));
    CHECK(expect_message(second) == "after redial");
    CHECK(events.count(socket_event::connect_retried) >= 1);
}

TEST_CASE("Any traffic, not only PONG, keeps the peer alive (C-HB-2)", "[heartbeat][raw]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    zmtp::context ctx;
    bound_with_raw_peer b(ctx, transport, {50, 0, 600});

    // The peer answers every PING with a message instead of a PONG. 16 PINGs 50 ms apart span
    // more than IVL + TIMEOUT, so only the messages can have kept the connection.
    constexpr int pings = 16;
    for (int i = 0; i < pings; ++i) {
        INFO("PING " << i);
        REQUIRE(expect_command(b.raw).command_name() == "PING");
        REQUIRE(b.raw.send(message_frame("alive-" + std::to_string(i))));
    }
    for (int i = 0; i < pings; ++i) {
        message m;
        REQUIRE(b.server.recv(m));
        CHECK(m.to_string() == "alive-" + std::to_string(i));
    }
    CHECK(b.events.count(socket_event::disconnected) == 0);
}

TEST_CASE("While we do not read (RCVHWM reached), the peer's unread bytes keep it alive",
          "[heartbeat][raw]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    zmtp::context ctx;
    zmtp::socket server = heartbeat_pair(ctx, {100, 0, 200});
    server.set(opt::rcvhwm, 1);
    event_log events(server);
    server.bind(bind_endpoint(transport));
    raw_peer raw;
    REQUIRE(raw.connect(server.get(opt::last_endpoint)));
    REQUIRE(raw.handshake(greeting(), ready("PAIR")));

    // ~100 KB: more than one 64 KiB read, so after the pipe fills (the application does not
    // receive) the rest waits in the kernel, where a PONG would wait too. It fits the kernel
    // buffers, so the send completes although nobody reads.
    constexpr int count = 100;
    bytes flood;
    for (int i = 0; i < count; ++i)
        flood = cat({flood, message_frame(std::to_string(i) + std::string(1000, 'x'))});
    REQUIRE(raw.send(flood));
    // The peer is silent from here on, yet its bytes are there: several deadlines pass.
    CHECK(raw.stays_open(std::chrono::milliseconds(800)));
    CHECK(events.count(socket_event::disconnected) == 0);

    // Once everything is read, the silence is real: the next unanswered PING drops the peer.
    for (int i = 0; i < count; ++i) {
        message m;
        REQUIRE(server.recv(m));
        CHECK(m.to_string().rfind(std::to_string(i) + "x", 0) == 0);
    }
    REQUIRE(raw.wait_closed(hb_wait));
    REQUIRE(events.wait_for(socket_event::disconnected));
}

TEST_CASE("HEARTBEAT_TIMEOUT 0 sends PINGs but never drops the peer (C-HB-3)", "[heartbeat][raw]") {
    zmtp::context ctx;
    bound_with_raw_peer b(ctx, "tcp", {50, 0, 0});
    // With the default timeout (= IVL) the silent peer would be gone after about 100 ms.
    for (int i = 0; i < 12; ++i)
        REQUIRE(expect_command(b.raw).command_name() == "PING");
    CHECK(b.events.count(socket_event::disconnected) == 0);
}

TEST_CASE("Our PING carries HEARTBEAT_TTL in deciseconds, capped for libzmq (C-HB-3, C-HB-4)",
          "[heartbeat][raw]") {
    const auto [ttl_ms, ttl_ds] = GENERATE(table<int, std::uint16_t>({
        {0, 0},
        {150, 1},       // rounded down to whole deciseconds, as libzmq stores it
        {65500, 655},   // the largest TTL libzmq computes without wrapping
        {65600, 655},   // 656 ds would wrap to 64 ms in libzmq: capped
        {6553599, 655}, // the largest value the option takes
    }));
    INFO("HEARTBEAT_TTL " << ttl_ms);
    zmtp::context ctx;
    bound_with_raw_peer b(ctx, "tcp", {50, ttl_ms, 0});
    const auto ping = expect_command(b.raw);
    CHECK(ping.command_name() == "PING");
    CHECK(ping.command_data() == ping_data(ttl_ds));
}

TEST_CASE("The peer's PING TTL: silent afterwards, it is dropped after TTL (C-HB-4)",
          "[heartbeat][raw]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    zmtp::context ctx;
    bound_with_raw_peer b(ctx, transport, {}); // no heartbeats of our own

    const auto sent = clock_type::now();
    REQUIRE(b.raw.send(ping_command(3, "ctx-1"))); // TTL 300 ms
    const auto pong = expect_command(b.raw);
    CHECK(pong.command_name() == "PONG");
    CHECK(pong.text() == std::string("\x04PONG") + "ctx-1"); // the context echoed

    REQUIRE(b.raw.wait_closed(hb_wait));
    CHECK(clock_type::now() - sent >= std::chrono::milliseconds(300));
    REQUIRE(b.events.wait_for(socket_event::disconnected));

    auto next = heartbeat_pair(ctx, {});
    next.connect(b.endpoint);
    round_trip(next, b.server, "next peer");
}

TEST_CASE("A frame after the peer's PING cancels its TTL; the next PING arms it again (C-HB-4)",
          "[heartbeat][raw]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    zmtp::context ctx;
    bound_with_raw_peer b(ctx, transport, {});

    // One write, so the message cannot lag behind the PING by anything like its 200 ms TTL.
    REQUIRE(b.raw.send(cat({ping_command(2), message_frame("after the ping")})));
    CHECK(expect_command(b.raw).command_name() == "PONG");
    message m;
    REQUIRE(b.server.recv(m));
    CHECK(m.to_string() == "after the ping");
    // As libzmq: the message cancelled the TTL and nothing re-arms it (Observed O-14).
    CHECK(b.raw.stays_open(std::chrono::milliseconds(700)));
    CHECK(b.events.count(socket_event::disconnected) == 0);

    REQUIRE(b.raw.send(ping_command(2)));
    REQUIRE(b.raw.wait_closed(hb_wait));
    REQUIRE(b.events.wait_for(socket_event::disconnected));
}

TEST_CASE("Heartbeats start only after the handshake; HANDSHAKE_IVL bounds what comes before",
          "[heartbeat][raw]") {
    zmtp::context ctx;
    auto server = heartbeat_pair(ctx, {50, 0, 50});
    server.set(opt::handshake_ivl, 400);
    event_log events(server);
    server.bind("tcp://127.0.0.1:*");

    raw_peer raw;
    const auto start = clock_type::now(); // the server's handshake timer starts at its accept
    REQUIRE(raw.connect(server.get(opt::last_endpoint)));
    REQUIRE(raw.send(greeting())); // and never READY
    bytes seen;
    REQUIRE(raw.wait_closed(hb_wait, &seen));
    // Not the heartbeat's 100 ms: the handshake timer's 400 ms, and not a single PING sent.
    CHECK(clock_type::now() - start >= std::chrono::milliseconds(400));
    CHECK_FALSE(contains_ping(seen));
    REQUIRE(events.wait_for(socket_event::disconnected));
    CHECK(events.count(socket_event::handshake_failed_no_detail) == 1);
}

TEST_CASE("Heartbeat options: libzmq's defaults, ranges and TTL rounding (C-HB-3, C-OPT-1)",
          "[heartbeat][options]") {
    zmtp::context ctx;
    zmtp::socket s(ctx, socket_type::pair);
    CHECK(s.get(opt::heartbeat_ivl) == 0);
    CHECK(s.get(opt::heartbeat_ttl) == 0);
    CHECK(s.get(opt::heartbeat_timeout) == -1); // "same as IVL", but it cannot be set

    std::error_code ec;
    s.set(opt::heartbeat_timeout, -1, ec);
    CHECK(ec == std::errc::invalid_argument);
    s.set(opt::heartbeat_ivl, -1, ec);
    CHECK(ec == std::errc::invalid_argument);
    s.set(opt::heartbeat_ttl, 6553600, ec);
    CHECK(ec == std::errc::invalid_argument);

    s.set(opt::heartbeat_ttl, 1550);
    CHECK(s.get(opt::heartbeat_ttl) == 1500);
    s.set(opt::heartbeat_timeout, 0);
    CHECK(s.get(opt::heartbeat_timeout) == 0);
    s.set(opt::heartbeat_ivl, 250);
    CHECK(s.get(opt::heartbeat_ivl) == 250);
}
