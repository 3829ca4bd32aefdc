// The stream engine's protocol-error and close paths over the test stream: a peer of the wrong
// socket type (C-TYPE-1, C-TYPE-2), an ERROR command (C-TYPE-4), an impossible frame size
// (C-FRM-2), and LINGER while the peer does not read. A protocol error is reported as such, so
// the session does not redial (C-TYPE-6).
#include "tests/engine/engine_rig.hpp"

#include "core/wire/command_frame.hpp"
#include "core/wire/error.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace zmtp;
using namespace zmtp::test;

TEST_CASE("engine: a peer of the wrong socket type gets an ERROR and is dropped (C-TYPE-2)",
          "[engine][protocol]") {
    engine_rig rig;
    rig.start();
    rig.stream->peer_send(peer_greeting_and_ready(wire::socket_kind::pub)); // PUB to a PAIR
    rig.run();
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == wire::make_error_code(wire::wire_errc::socket_type_mismatch));
    CHECK(rig.host->protocol_error);
    CHECK(rig.stream->closed());
    // After our greeting and READY: the ERROR, sent before closing.
    const auto frames = rig.peer_reads();
    REQUIRE(frames.size() == 1);
    REQUIRE(frames[0].command);
    const auto cmd = wire::parse_command(
        reinterpret_cast<const std::uint8_t*>(frames[0].body.data()), frames[0].body.size());
    REQUIRE(cmd);
    CHECK(cmd->name == wire::error_command);
}

TEST_CASE("engine: an ERROR command from the peer is a protocol error (C-TYPE-4)",
          "[engine][protocol]") {
    engine_rig rig;
    rig.start();
    rig.handshake();
    std::vector<std::uint8_t> error;
    const std::string reason = "go away";
    std::vector<std::uint8_t> data{static_cast<std::uint8_t>(reason.size())};
    data.insert(data.end(), reason.begin(), reason.end());
    wire::append_command(error, wire::error_command, data.data(), data.size());
    rig.stream->peer_send(error);
    rig.run();
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == wire::make_error_code(wire::wire_errc::error_received));
    CHECK(rig.host->protocol_error);
}

TEST_CASE("engine: a frame size with the top bit set is a protocol error (C-FRM-2)",
          "[engine][protocol]") {
    engine_rig rig;
    rig.start();
    rig.handshake();
    rig.stream->peer_send(std::vector<std::uint8_t>{0x02, 0x80, 0, 0, 0, 0, 0, 0, 1});
    rig.run();
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == wire::make_error_code(wire::wire_errc::invalid_frame_size));
    CHECK(rig.host->protocol_error);
    CHECK(rig.app_receives().empty());
}

TEST_CASE("engine: LINGER bounds the flush to a peer that does not read", "[engine][linger]") {
    engine_rig rig;
    rig.start();
    rig.handshake();
    rig.stream->stall_writes(true);
    rig.app_sends("never taken");
    rig.app.flush();
    rig.run();
    REQUIRE(rig.stream->write_pending());
    rig.app.close(detail::close_reason::normal, 200); // the socket closes with LINGER 200 ms
    rig.advance(199ms);
    CHECK_FALSE(rig.stopped());
    rig.advance(1ms);
    REQUIRE(rig.host->stops == 1);
    CHECK_FALSE(rig.host->reason); // a close, not a failure
    CHECK(rig.stream->closed());
}

TEST_CASE("engine: a socket closed with messages left flushes them, then closes",
          "[engine][linger]") {
    engine_rig rig;
    rig.start();
    rig.handshake();
    rig.stream->limit_writes(3); // slow: many short writes
    rig.app_sends("last words", true);
    rig.app_sends("end");
    rig.app.close(detail::close_reason::normal, -1);
    rig.run();
    CHECK(rig.peer_reads() ==
          std::vector<peer_frame>{{"last words", true, false}, {"end", false, false}});
    REQUIRE(rig.host->stops == 1);
    CHECK_FALSE(rig.host->reason);
    CHECK(rig.stream->closed());
}
