// The stream engine's I/O error paths over the in-memory test stream: the peer closes in the
// middle of a frame, a write fails in the middle of a batch, and a read or write cut short at
// every position of a handshake + message exchange delivers exactly the same messages.
#include "tests/engine/engine_rig.hpp"

#include "core/wire/frame.hpp"

#include <asio/error.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace zmtp;
using namespace zmtp::test;

namespace {

std::vector<std::uint8_t> message_bytes(std::initializer_list<std::pair<std::string, bool>> frames) {
    std::vector<std::uint8_t> out;
    for (const auto& [body, more] : frames)
        append_message_frame(out, body, more);
    return out;
}

} // namespace

TEST_CASE("engine: the peer closes in the middle of a frame header", "[engine][faults]") {
    engine_rig rig;
    rig.start();
    rig.handshake();
    auto bytes = message_bytes({{"whole", false}});
    bytes.push_back(0x02); // a long-frame flag byte, its size never comes
    rig.stream->peer_send(bytes);
    rig.stream->peer_close();
    rig.run();
    CHECK(rig.app_receives() == std::vector<std::string>{"whole"});
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == asio::error::eof);
    CHECK_FALSE(rig.host->protocol_error); // a lost connection: the session redials
    CHECK(rig.stream->closed());
}

TEST_CASE("engine: the peer closes in the middle of a multipart message (C-FRM-6)",
          "[engine][faults]") {
    engine_rig rig;
    rig.start();
    rig.handshake();
    auto bytes = message_bytes({{"one", false}, {"two-a", true}, {"two-b", true}});
    const auto tail = message_bytes({{"two-c", false}});
    bytes.insert(bytes.end(), tail.begin(), tail.begin() + 4); // half of the last frame
    rig.stream->peer_send(bytes);
    rig.stream->peer_close();
    rig.run();
    // The whole message arrives; the half-received one is rolled back, none of its parts.
    CHECK(rig.app_receives() == std::vector<std::string>{"one"});
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == asio::error::eof);
    CHECK_FALSE(rig.host->protocol_error);
}

TEST_CASE("engine: the peer closes in the middle of a large body read straight into its message",
          "[engine][faults]") {
    engine_rig rig;
    rig.start();
    rig.handshake();
    const std::string big(100 * 1000, 'x'); // above the direct-read threshold and in_buf_
    auto bytes = message_bytes({{"before", false}, {big, false}});
    bytes.resize(bytes.size() - 1000); // the last 1000 octets never come
    rig.stream->limit_reads(16 * 1024);
    rig.stream->peer_send(bytes);
    rig.stream->peer_close();
    rig.run();
    CHECK(rig.app_receives() == std::vector<std::string>{"before"});
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == asio::error::eof);
}

TEST_CASE("engine: a read error ends the connection as lost", "[engine][faults]") {
    engine_rig rig;
    rig.start();
    rig.handshake();
    rig.stream->fault_read(rig.stream->reads_started() + 1, {asio::error::connection_reset});
    rig.stream->peer_send(message_bytes({{"x", false}})); // to the read in progress
    rig.run();
    CHECK(rig.app_receives() == std::vector<std::string>{"x"}); // then the next read fails
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == asio::error::connection_reset);
    CHECK_FALSE(rig.host->protocol_error);
}

TEST_CASE("engine: a write error in the middle of a batch", "[engine][faults]") {
    engine_rig rig;
    rig.start();
    rig.handshake();
    const auto writes = rig.stream->writes_started();
    // One batch of several frames: its first write_some goes out short, the next one fails.
    rig.stream->fault_write(writes + 1, {{}, 10});
    rig.stream->fault_write(writes + 2, {asio::error::broken_pipe});
    for (int i = 0; i < 5; ++i)
        rig.app_sends("message " + std::to_string(i));
    rig.app.flush();
    rig.run();
    REQUIRE(rig.host->stops == 1);
    CHECK(rig.host->reason == asio::error::broken_pipe);
    CHECK_FALSE(rig.host->protocol_error);
    CHECK(rig.stream->closed());
    CHECK(rig.stream->writes_started() == writes + 2); // nothing written after the failure
    CHECK(rig.stream->written().size() == 10);
    // The peer keeps sending: nothing is read from a stopped engine.
    CHECK_FALSE(rig.stream->read_pending());
}

TEST_CASE("engine: a read or write cut short at any position delivers the same messages",
          "[engine][faults]") {
    // Greeting, READY and a mix of frames from the peer (short, multipart, empty, a body read
    // straight into its message); and messages from our socket, some sent from the message
    // itself (> 1 KiB), in one batch with the handshake's answer.
    auto input = peer_greeting_and_ready(wire::socket_kind::pair);
    const std::string large(9000, 'L');
    const auto frames = message_bytes(
        {{"a", false}, {"", false}, {"b1", true}, {"b2", true}, {"b3", false}, {large, false},
         {"tail", false}});
    input.insert(input.end(), frames.begin(), frames.end());
    const std::vector<std::string> expected_in{"a", "", "b1", "b2", "b3", large, "tail"};
    const std::string outgoing_large(1100, 'O'); // > 1 KiB: written from the message itself

    auto exchange = [&](std::size_t read_cut, std::size_t write_cut) {
        engine_rig rig;
        rig.stream->cut_reads_at(read_cut);
        rig.stream->cut_writes_at(write_cut);
        rig.app_sends("x1", true);
        rig.app_sends(outgoing_large);
        rig.app_sends("x2");
        rig.app.flush();
        rig.start();
        rig.stream->peer_send(input);
        rig.run();
        INFO("read cut at " << read_cut << ", write cut at " << write_cut);
        CHECK(rig.app_receives() == expected_in);
        CHECK_FALSE(rig.stopped());
        return rig.stream->take_written();
    };

    const auto reference = exchange(static_cast<std::size_t>(-1), static_cast<std::size_t>(-1));
    peer_reader peer(wire::socket_kind::pair);
    const auto out_frames = peer.feed(reference);
    REQUIRE(out_frames == std::vector<peer_frame>{{"x1", true, false},
                                                  {outgoing_large, false, false},
                                                  {"x2", false, false}});
    // Every position, except inside the large body (read straight into its message: all its
    // inner positions take the same path), where the first and last 64 and every 61st are cut.
    const std::size_t large_begin = input.size() - (large.size() + 6); // 6: "tail" frame
    const std::size_t large_end = large_begin + large.size();
    for (std::size_t cut = 1; cut < input.size(); ++cut) {
        const bool inner = cut > large_begin + 64 && cut + 64 < large_end;
        if (inner && cut % 61 != 0)
            continue;
        if (exchange(cut, static_cast<std::size_t>(-1)) != reference)
            FAIL("read cut at " << cut << " changed what the engine wrote");
    }
    for (std::size_t cut = 1; cut < reference.size(); ++cut) {
        if (exchange(static_cast<std::size_t>(-1), cut) != reference)
            FAIL("write cut at " << cut << " changed what the engine wrote");
    }
}

TEST_CASE("engine: one-octet reads and writes throughout", "[engine][faults]") {
    engine_rig rig;
    rig.stream->limit_reads(1);
    rig.stream->limit_writes(1);
    rig.app_sends("to the peer");
    rig.app.flush();
    rig.start();
    auto input = peer_greeting_and_ready(wire::socket_kind::pair);
    const auto frames = message_bytes({{"m1", true}, {std::string(300, 'q'), false}});
    input.insert(input.end(), frames.begin(), frames.end());
    rig.stream->peer_send(input);
    rig.run();
    CHECK(rig.app_receives() == std::vector<std::string>{"m1", std::string(300, 'q')});
    CHECK(rig.peer_reads() == std::vector<peer_frame>{{"to the peer", false, false}});
    CHECK(rig.stream->reads_started() > input.size());
    CHECK_FALSE(rig.stopped());
}
