// Heartbeats between our sockets and the real libzmq 4.3 (same process; the libzmq side goes
// through tests/interop's wrappers), with a wire_tap in the middle that records the PINGs and
// PONGs each side sends and can cut the line. Everything is awaited, nothing slept for.
#include "tests/heartbeat/heartbeat_support.hpp"
#include "tests/heartbeat/wire_tap.hpp"
#include "tests/interop/interop_support.hpp"
#include "tests/support/catch.hpp"
#include "tests/support/transports.hpp"

#include <zmq.h>

#include <optional>

using namespace zmtp;
using zmtp::interop::role;
using zmtp::interop::role_name;
using zmtp::interop::zctx;
using zmtp::interop::zmonitor;
using zmtp::interop::zsock;
using zmtp::test::event_log;
using zmtp::test::hb_wait;
using zmtp::test::heartbeat_pair;
using zmtp::test::wire_tap;

namespace {

/// Enough PING/PONG pairs that a connection kept only by them outlived every deadline.
constexpr std::size_t cycles = 8;

} // namespace

TEST_CASE("Our PINGs are answered by libzmq's PONGs and keep the connection (C-HB-1, C-HB-3)",
          "[heartbeat][libzmq]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    INFO(transport << ", " << role_name(r));
    zmtp::context ctx;
    zctx zc;
    // IVL + TIMEOUT = 700 ms < the 800 ms the cycles take: unanswered, we would have dropped.
    auto ours = heartbeat_pair(ctx, {100, 2000, 600});
    event_log events(ours);
    zsock theirs(zc);

    std::optional<wire_tap> tap;
    if (r == role::zmtp_binds) {
        ours.bind(zmtp::test::bind_endpoint(transport));
        tap.emplace(transport, ours.get(opt::last_endpoint));
        theirs.connect(tap->endpoint());
    } else {
        theirs.bind(zmtp::test::bind_endpoint(transport));
        tap.emplace(transport, theirs.last_endpoint());
        ours.connect(tap->endpoint());
    }
    const auto our_side = r == role::zmtp_binds ? wire_tap::from::server : wire_tap::from::client;
    const auto their_side = r == role::zmtp_binds ? wire_tap::from::client : wire_tap::from::server;

    REQUIRE(tap->wait_commands(our_side, "PING", cycles, hb_wait));
    REQUIRE(tap->wait_commands(their_side, "PONG", cycles, hb_wait));
    for (const auto& ping : tap->commands(our_side, "PING"))
        CHECK(ping.data == zmtp::test::ping_data(20)); // TTL 2000 ms, no context
    for (const auto& pong : tap->commands(their_side, "PONG"))
        CHECK(pong.data.empty()); // our empty context, echoed
    CHECK(events.count(socket_event::disconnected) == 0);
    CHECK(tap->ended() == 0);
    zmtp::interop::round_trip(ours, theirs, "still connected");
}

TEST_CASE("libzmq's PINGs (with a TTL) get our PONGs and keep the connection (C-HB-4)",
          "[heartbeat][libzmq]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    INFO(transport);
    zmtp::context ctx;
    zctx zc;
    auto ours = heartbeat_pair(ctx, {}); // answering is all we do
    event_log events(ours);
    ours.bind(zmtp::test::bind_endpoint(transport));
    wire_tap tap(transport, ours.get(opt::last_endpoint));

    zsock theirs(zc);
    theirs.set_int(ZMQ_HEARTBEAT_IVL, 100);
    theirs.set_int(ZMQ_HEARTBEAT_TTL, 500);     // we drop libzmq if it is silent for 500 ms
    theirs.set_int(ZMQ_HEARTBEAT_TIMEOUT, 600); // libzmq drops us if we never answer
    zmonitor their_events(zc, theirs, "hb-libzmq-pings", ZMQ_EVENT_DISCONNECTED);
    theirs.connect(tap.endpoint());

    REQUIRE(tap.wait_commands(wire_tap::from::client, "PING", cycles, hb_wait));
    REQUIRE(tap.wait_commands(wire_tap::from::server, "PONG", cycles, hb_wait));
    for (const auto& ping : tap.commands(wire_tap::from::client, "PING"))
        CHECK(ping.data == zmtp::test::ping_data(5)); // libzmq: TTL in ds, empty context
    for (const auto& pong : tap.commands(wire_tap::from::server, "PONG"))
        CHECK(pong.data.empty());
    // Each PING re-armed our 500 ms TTL deadline and the next one cancelled it; libzmq got a
    // PONG within its 600 ms each time (the cycles outlast both). Neither side dropped.
    CHECK(events.count(socket_event::disconnected) == 0);
    CHECK(their_events.next_event(0) == 0);
    CHECK(tap.ended() == 0);
    zmtp::interop::round_trip(ours, theirs, "still connected");
}

TEST_CASE("When the line goes dead we drop libzmq's connection; it redials and works again "
          "(C-HB-5)",
          "[heartbeat][libzmq]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    INFO(transport);
    zmtp::context ctx;
    zctx zc;
    auto ours = heartbeat_pair(ctx, {100, 0, 300});
    event_log events(ours);
    ours.bind(zmtp::test::bind_endpoint(transport));
    wire_tap tap(transport, ours.get(opt::last_endpoint));
    zsock theirs(zc);
    theirs.set_int(ZMQ_RECONNECT_IVL, 50);
    theirs.connect(tap.endpoint());
    zmtp::interop::round_trip(ours, theirs, "before");

    tap.set_dead(true); // our PINGs vanish, and so would the PONGs
    REQUIRE(events.wait_for(socket_event::disconnected));
    REQUIRE(tap.wait_ended(1, hb_wait)); // our close reached libzmq
    tap.set_dead(false);

    REQUIRE(events.wait_for(socket_event::handshake_succeeded, 2));
    zmtp::interop::round_trip(ours, theirs, "after");
}

TEST_CASE("Heartbeat options are validated exactly as libzmq does (C-HB-3, C-OPT-1)",
          "[heartbeat][libzmq][options]") {
    const auto [option, value] = GENERATE(table<int, int>({
        {ZMQ_HEARTBEAT_IVL, -1},
        {ZMQ_HEARTBEAT_IVL, 0},
        {ZMQ_HEARTBEAT_IVL, 1000},
        {ZMQ_HEARTBEAT_TTL, -1}, // libzmq rounds first: accepted as 0
        {ZMQ_HEARTBEAT_TTL, -99},
        {ZMQ_HEARTBEAT_TTL, -100},
        {ZMQ_HEARTBEAT_TTL, 99},
        {ZMQ_HEARTBEAT_TTL, 1550},
        {ZMQ_HEARTBEAT_TTL, 6553599},
        {ZMQ_HEARTBEAT_TTL, 6553600},
        {ZMQ_HEARTBEAT_TIMEOUT, -1},
        {ZMQ_HEARTBEAT_TIMEOUT, 0},
        {ZMQ_HEARTBEAT_TIMEOUT, 5000},
    }));
    INFO("option " << option << " = " << value);
    zmtp::context ctx;
    zctx zc;
    zmtp::socket ours(ctx, socket_type::pair);
    zsock theirs(zc);

    const bool ours_ok = !ours.set_option_raw(option, &value, sizeof value);
    const bool theirs_ok = zmq_setsockopt(theirs.get(), option, &value, sizeof value) == 0;
    CHECK(ours_ok == theirs_ok);

    int ours_read = 0, theirs_read = 0;
    std::size_t size = sizeof ours_read;
    REQUIRE_FALSE(ours.get_option_raw(option, &ours_read, &size));
    size_t zsize = sizeof theirs_read;
    REQUIRE(zmq_getsockopt(theirs.get(), option, &theirs_read, &zsize) == 0);
    CHECK(ours_read == theirs_read);
}
