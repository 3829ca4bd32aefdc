// stream_engine: ZMTP over one connected byte stream (tcp or ipc). Pumps the NULL handshake,
// decodes frames into the socket's pipe and encodes the pipe's messages into batched writes.
// Lives on one I/O thread; the pipe wakes it through asio::post.
#pragma once

#include "core/context_impl.hpp"
#include "transports/stream/engine_stream.hpp"
#include "transports/stream/engine_timer.hpp"
#include "transports/stream/handler_reserve.hpp"
#include "core/pipe.hpp"
#include "core/wire/command_frame.hpp"
#include "core/wire/frame_batch.hpp"
#include "core/wire/frame_decoder.hpp"
#include "core/wire/handshake.hpp"
#include "core/wire/subscription.hpp"

#include <asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace zmtp::detail {

class context_impl;
class socket_base;
class stream_engine;

/// Hears how an engine ended. Called on the engine's I/O thread.
class engine_host {
public:
    /// `protocol_error`: the peer broke the protocol, so reconnecting would not help (C-TYPE-6).
    virtual void engine_stopped(stream_engine& e, std::error_code reason,
                                bool protocol_error) = 0;

protected:
    ~engine_host() = default;
};

/// What an engine needs to know, fixed when the connection is made.
struct engine_config {
    context_impl* ctx = nullptr; ///< termination waits for every live engine
    std::string endpoint;        ///< for monitor events
    wire::socket_kind kind = wire::socket_kind::pair;
    std::int64_t maxmsgsize = -1;
    int handshake_ivl = 30000;
    std::string routing_id;
    /// Bind side: the engine makes the pipe after the handshake and hands it to `socket`.
    bool bind_side = false;
    /// Connect side with ZMQ_IMMEDIATE: makes and hands over a pipe per connection, as the
    /// bind side does, instead of using the session's.
    bool attach_on_handshake = false;
    std::weak_ptr<socket_base> socket;
    std::shared_ptr<monitor_lease> monitor; ///< where events go (outlives the socket)
    int sndhwm = 1000;
    int rcvhwm = 1000;
    /// ZMQ_CONFLATE for what the socket receives / sends (bind side: the pipe the engine makes).
    bool conflate_inbound = false;
    bool conflate_outbound = false;
    /// Heartbeats (C-HB-3), all in ms: a PING every `heartbeat_ivl` once the handshake is done
    /// (0 = none), announcing `heartbeat_ttl`; the peer is dropped when it sends nothing within
    /// `heartbeat_timeout` of a PING (-1 = heartbeat_ivl, 0 = never).
    int heartbeat_ivl = 0;
    int heartbeat_ttl = 0;
    int heartbeat_timeout = -1;
    /// Unit tests only: the engine's and session's timers follow this clock (engine_timer.hpp).
    virtual_clock* clock = nullptr;
};

class stream_engine final : public std::enable_shared_from_this<stream_engine>, private waker {
public:
    stream_engine(asio::io_context& io, engine_stream sock, engine_config cfg,
                  std::weak_ptr<engine_host> host);
    ~stream_engine();

    /// Sends our greeting and READY and starts reading. Connect side passes its pipe (kept
    /// across reconnects); bind side passes none and makes one after the handshake.
    /// `reconnect`: this pipe had a connection before (the socket is told, for SUB).
    void start(pipe_end pipe, bool reconnect = false);
    /// Stops now: the connection closes, nothing more is flushed. I/O thread only.
    void stop(std::error_code reason);
    /// The endpoint that made this engine is going away (unbind, socket close): stop unless
    /// the socket already closed the pipe and its messages are lingering out.
    void endpoint_closed();

    bool handshake_done() const noexcept { return state_ != state::handshaking; }

private:
    enum class state { handshaking, active, black_hole, stopped };

    void wake() noexcept override;
    void on_pipe_event();
    void start_read();
    void on_read(const std::error_code& ec, std::size_t n);
    void on_readable(const std::error_code& ec);
    void process_input();
    void flush_input();
    void refuse_handshake(std::error_code reason);
    void on_handshake_done();
    void announce_metadata();
    void stage_metadata();
    bool deliver(const wire::frame_header& h, const std::uint8_t* body);
    void deliver_message(message&& m, bool more);
    void read_body_directly(const wire::frame_header& h);
    void handle_command(const std::uint8_t* body, std::size_t size);
    void deliver_subscription(const std::optional<wire::subscription>& sub);
    bool is_publisher() const noexcept {
        return cfg_.kind == wire::socket_kind::pub || cfg_.kind == wire::socket_kind::xpub;
    }
    void pump_output();
    void on_written(const std::error_code& ec);
    void check_linger();
    void enter_black_hole();
    void fail(std::error_code reason, bool protocol_error);
    void report_failure(const std::error_code& reason);
    /// Runs one I/O handler's work: an exception (an allocation failure) drops this
    /// connection only, reported as a lost connection with reason ENOMEM; the I/O thread and
    /// every other connection carry on.
    template <typename F>
    void guarded(F&& work) noexcept {
        try {
            work();
        } catch (...) {
            handler_failed();
        }
    }
    void handler_failed() noexcept;

    // Heartbeats (engine_heartbeat.cpp; C-HB-2..C-HB-5).
    /// A one-shot deadline that may be re-armed or disarmed at any time: an expiry already
    /// queued when that happened is recognised as stale by its generation.
    struct deadline {
        deadline(asio::io_context& io, virtual_clock* clock) : timer(io, clock) {}
        engine_timer timer;
        std::uint64_t generation = 0;
        bool armed = false;
    };
    void start_heartbeats();
    void schedule_ping();
    void queue_ping();
    void handle_ping(const wire::command_view& cmd);
    /// Appends the PONG owed (pong_due_) to the batch being made.
    void queue_pong();
    /// Any traffic from the peer proves it alive: the deadlines waiting for it are disarmed.
    /// Called per read and per frame, so the common case (none armed) is two tests.
    void heard_from_peer() noexcept {
        if (pong_deadline_.armed || ttl_deadline_.armed)
            disarm_peer_deadlines();
    }
    void disarm_peer_deadlines() noexcept;
    void arm(deadline& d, std::chrono::milliseconds after);
    void deadline_expired(deadline& d);
    void stop_heartbeats() noexcept;

    io_token token_;
    asio::io_context& io_;
    engine_stream socket_;
    engine_config cfg_;
    std::weak_ptr<engine_host> host_;
    pipe_end pipe_;
    wire::frame_decoder decoder_; ///< the receive path, sans I/O (core/wire)
    const wire::null_handshake& handshake_; ///< decoder_'s handshake: versions, properties
    state state_ = state::handshaking;
    engine_timer handshake_timer_;
    engine_timer linger_timer_;
    bool linger_armed_ = false;
    engine_timer ping_timer_;
    bool ping_due_ = false;  ///< the interval passed: the next write starts with a PING
    deadline pong_deadline_; ///< after our PING: HEARTBEAT_TIMEOUT
    deadline ttl_deadline_;  ///< after the peer's PING: the TTL it announced
    /// The PONG owed to the peer: only the answer to its latest PING is kept (as libzmq), so a
    /// peer that floods PINGs and never reads costs one PONG, not one per PING.
    bool pong_due_ = false;
    std::string pong_context_; ///< at most wire::max_ping_context octets (no allocation)
    bool reconnect_ = false;

    // Input: decoder_ owns the buffer; a read (into it or into a large body) is in flight.
    bool reading_ = false;
    bool input_paused_ = false; // pipe at RCVHWM: stop reading (TCP back-pressure, C-SUB-7)
    bool in_multipart_ = false;
    /// Set by the handshake: the next read, if nothing is buffered, first waits for data
    /// without a buffer, so a connection that never carries a message holds no input buffer.
    bool wait_before_read_ = false;
    /// This connection's metadata, announced but not yet staged in the pipe: it goes in just
    /// before the first frame (one reference, ours).
    metadata* pending_metadata_ = nullptr;

    // Output: small frames are copied into out_buf_; large bodies are written from the
    // message itself (scatter/gather), so big messages are never copied.
    using piece = wire::batch_piece; ///< built by wire::frame_batch (core/wire)
    /// Greeting and READY, then our PING: bounded (PONGs wait in pong_due_, not here).
    std::vector<std::uint8_t> ctrl_buf_;
    std::vector<std::uint8_t> out_buf_;
    std::vector<piece> out_pieces_;
    std::vector<message> out_msgs_;
    std::vector<asio::const_buffer> out_iov_;
    bool writing_ = false;

    std::atomic<bool> event_posted_{false};
    /// The one wake-up in flight is posted in this memory: a pipe event is never lost to
    /// bad_alloc (the socket's close reaches us that way).
    std::shared_ptr<handler_reserve> wake_memory_ = std::make_shared<handler_reserve>();
    std::shared_ptr<stream_engine> self_; ///< set from start() to stop()
};

} // namespace zmtp::detail
