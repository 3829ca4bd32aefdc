// The stream engine's timeouts in virtual time: HANDSHAKE_IVL (C-HS-9), HEARTBEAT_TIMEOUT after
// our PING (C-HB-3, C-HB-5) and the TTL the peer announces in its PING (C-HB-4). Each deadline
// is checked one millisecond before (alive) and at the deadline (dropped), without real waits.
#include "tests/engine/engine_rig.hpp"

#include "core/wire/command_frame.hpp"
#include "core/wire/error.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace zmtp;
using namespace zmtp::test;

namespace {

bool is_command(const peer_frame& f, std::string_view name) {
    if (!f.command)
        return false;
    const auto cmd = wire::parse_command(reinterpret_cast<const std::uint8_t*>(f.body.data()),
                                         f.body.size());
    return cmd && cmd->name == name;
}

std::size_t count_commands(const std::vector<peer_frame>& frames, std::string_view name) {
    std::size_t n = 0;
    for (const auto& f : frames)
        n += is_command(f, name) ? 1 : 0;
    return n;
}

std::vector<std::uint8_t> one_frame(const std::string& body) {
    std::vector<std::uint8_t> out;
    append_message_frame(out, body, false);
    return out;
}

} // namespace

TEST_CASE("engine: HANDSHAKE_IVL drops a peer that never greets (C-HS-9)", "[engine][timers]") {
    rig_options o;
    o.handshake_ivl = 500;
    engine_rig rig(o);
    rig.start();
    rig.stream->peer_send(std::vector<std::uint8_t>{0xFF, 0, 0}); // a greeting that stalls
    rig.advance(499ms);
    CHECK_FALSE(rig.stopped());
    rig.advance(1ms);
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == wire::make_error_code(wire::wire_errc::handshake_timeout));
    CHECK_FALSE(rig.host->protocol_error);
    CHECK(rig.stream->closed());
}

TEST_CASE("engine: a completed handshake cancels HANDSHAKE_IVL", "[engine][timers]") {
    rig_options o;
    o.handshake_ivl = 500;
    engine_rig rig(o);
    rig.start();
    rig.handshake();
    rig.advance(10000ms);
    CHECK_FALSE(rig.stopped());
    CHECK(rig.clock.pending() == 0); // no timer left behind
}

TEST_CASE("engine: HEARTBEAT_TIMEOUT drops a peer silent after our PING (C-HB-3, C-HB-5)",
          "[engine][timers]") {
    rig_options o;
    o.heartbeat_ivl = 100;
    o.heartbeat_timeout = 300;
    engine_rig rig(o);
    rig.start();
    rig.handshake();
    rig.advance(99ms);
    CHECK(count_commands(rig.peer_reads(), wire::ping_command) == 0);
    rig.advance(1ms); // IVL: the first PING, and HEARTBEAT_TIMEOUT starts
    CHECK(count_commands(rig.peer_reads(), wire::ping_command) == 1);
    rig.advance(299ms);
    CHECK_FALSE(rig.stopped());
    rig.advance(1ms);
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == std::errc::timed_out);
    CHECK_FALSE(rig.host->protocol_error); // a lost connection: the session redials
}

TEST_CASE("engine: any traffic from the peer answers our PING", "[engine][timers]") {
    rig_options o;
    o.heartbeat_ivl = 100;
    o.heartbeat_timeout = 300;
    engine_rig rig(o);
    rig.start();
    rig.handshake();
    for (int round = 0; round < 20; ++round) {
        rig.advance(250ms);
        rig.stream->peer_send(one_frame("alive")); // a data frame, not a PONG
        rig.run();
    }
    CHECK_FALSE(rig.stopped());
    CHECK(rig.app_receives().size() == 20);
    CHECK(count_commands(rig.peer_reads(), wire::ping_command) >= 20);
}

TEST_CASE("engine: HEARTBEAT_TIMEOUT defaults to HEARTBEAT_IVL", "[engine][timers]") {
    rig_options o;
    o.heartbeat_ivl = 200;
    engine_rig rig(o);
    rig.start();
    rig.handshake();
    rig.advance(200ms + 199ms);
    CHECK_FALSE(rig.stopped());
    rig.advance(1ms);
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == std::errc::timed_out);
}

TEST_CASE("engine: the TTL in the peer's PING drops it when nothing follows (C-HB-4)",
          "[engine][timers]") {
    engine_rig rig; // no heartbeats of our own: only the peer's TTL counts
    rig.start();
    rig.handshake();
    rig.stream->peer_send(ping_bytes(5, "ctx")); // TTL 5 ds = 500 ms
    rig.run();
    const auto answer = rig.peer_reads();
    REQUIRE(count_commands(answer, wire::pong_command) == 1);
    rig.advance(499ms);
    CHECK_FALSE(rig.stopped());
    rig.advance(1ms);
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == std::errc::timed_out);
    CHECK_FALSE(rig.host->protocol_error);
}

TEST_CASE("engine: a frame after the peer's PING cancels its TTL, the next PING re-arms it",
          "[engine][timers]") {
    engine_rig rig;
    rig.start();
    rig.handshake();
    rig.stream->peer_send(ping_bytes(5));
    rig.advance(400ms);
    rig.stream->peer_send(one_frame("data"));
    rig.advance(5000ms);
    CHECK_FALSE(rig.stopped());
    rig.stream->peer_send(ping_bytes(2)); // 200 ms
    rig.advance(199ms);
    CHECK_FALSE(rig.stopped());
    rig.advance(1ms);
    CHECK(rig.host->stops == 1);
}

TEST_CASE("engine: a PING with TTL 0 sets no deadline", "[engine][timers]") {
    engine_rig rig;
    rig.start();
    rig.handshake();
    rig.stream->peer_send(ping_bytes(0));
    rig.advance(60000ms);
    CHECK_FALSE(rig.stopped());
    CHECK(count_commands(rig.peer_reads(), wire::pong_command) == 1);
}

TEST_CASE("engine: no PING piles up behind a write the peer does not take", "[engine][timers]") {
    rig_options o;
    o.heartbeat_ivl = 100;
    o.heartbeat_timeout = 0;
    engine_rig rig(o);
    rig.start();
    rig.handshake();
    rig.stream->stall_writes(true);
    rig.app_sends("stuck");
    rig.app.flush();
    rig.advance(1000ms); // ten intervals while the write is stuck
    CHECK(rig.stream->write_pending());
    rig.stream->stall_writes(false);
    rig.run();
    const auto frames = rig.peer_reads();
    CHECK(count_commands(frames, wire::ping_command) == 1);
    CHECK_FALSE(rig.stopped());
}
