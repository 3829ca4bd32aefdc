// engine_rig: one stream_engine over a test_stream with virtual time, and the peer played by
// the test (its own null_handshake parses what the engine writes). The socket's end of the
// engine's pipe is `app`. Nothing here waits in real time: everything runs in clock.advance()
// or clock.run_ready() on the calling thread.
#pragma once

#include "core/pipe.hpp"
#include "core/wire/handshake.hpp"
#include "tests/support/test_stream.hpp"
#include "transports/stream/engine.hpp"
#include "transports/stream/engine_timer.hpp"

#include <asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

namespace zmtp::test {

using namespace std::chrono_literals;

/// What the engine's host heard.
struct recording_host final : detail::engine_host {
    void engine_stopped(detail::stream_engine&, std::error_code reason,
                        bool protocol_error) override {
        ++stops;
        this->reason = reason;
        this->protocol_error = protocol_error;
    }
    int stops = 0;
    std::error_code reason;
    bool protocol_error = false;
};

/// A frame as the peer decoded it from the engine's output.
struct peer_frame {
    std::string body;
    bool more = false;
    bool command = false;
    bool operator==(const peer_frame& o) const {
        return body == o.body && more == o.more && command == o.command;
    }
};

/// The peer's view of the engine's byte stream: the greeting and READY, then frames.
class peer_reader {
public:
    explicit peer_reader(wire::socket_kind peer_kind) : handshake_(peer_kind) {}
    /// Consumes `bytes`; returns the whole frames after the handshake.
    std::vector<peer_frame> feed(const std::vector<std::uint8_t>& bytes);
    bool handshake_done() const { return handshake_.status() == wire::parse_status::done; }
    bool failed() const { return handshake_.status() == wire::parse_status::failed; }

private:
    wire::null_handshake handshake_;
    std::vector<std::uint8_t> buf_;
};

/// Peer-side encoding helpers.
std::vector<std::uint8_t> peer_greeting_and_ready(wire::socket_kind peer_kind);
void append_message_frame(std::vector<std::uint8_t>& out, const std::string& body, bool more);
std::vector<std::uint8_t> ping_bytes(std::uint16_t ttl_ds, const std::string& context = {});

struct rig_options {
    wire::socket_kind kind = wire::socket_kind::pair;
    int handshake_ivl = 30000;
    int heartbeat_ivl = 0;
    int heartbeat_ttl = 0;
    int heartbeat_timeout = -1;
};

class engine_rig {
public:
    explicit engine_rig(rig_options o = {});
    ~engine_rig();

    /// Starts the engine (connect side: it uses `app`'s pipe, as a session's).
    void start();
    /// The peer sends its greeting and READY (a PAIR).
    void peer_greets() { stream->peer_send(peer_greeting_and_ready(peer_kind_)); }
    /// Completes the handshake both ways and clears what the engine wrote so far.
    void handshake();
    /// Everything the engine wrote since the last call, as frames (handshake bytes consumed).
    std::vector<peer_frame> peer_reads() { return reader_.feed(stream->take_written()); }
    /// Messages (frames) the socket has received, metadata markers skipped.
    std::vector<std::string> app_receives();
    /// The socket sends a frame.
    void app_sends(const std::string& body, bool more = false);
    void run() { clock.run_ready(); }
    void advance(std::chrono::milliseconds d) { clock.advance(d); }
    bool stopped() const { return host->stops > 0; }

    asio::io_context io;
    detail::virtual_clock clock{io};
    std::shared_ptr<test_stream> stream = std::make_shared<test_stream>(io);
    std::shared_ptr<recording_host> host = std::make_shared<recording_host>();
    detail::pipe_end app;
    detail::pipe_end engine_side;
    std::shared_ptr<detail::stream_engine> engine;

private:
    wire::socket_kind peer_kind_;
    peer_reader reader_;
};

} // namespace zmtp::test
