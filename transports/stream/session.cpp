// session: dial, run an engine, reconnect; on close, linger until the pipe is flushed.
#include "transports/stream/session.hpp"

#include "transports/stream/stream_config.hpp"

#include <asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdint>

namespace zmtp::detail {

namespace {

/// Seeds the reconnect jitter: it only has to differ between sessions and processes, so the
/// clock and the session's address do (std::random_device would link libstdc++'s random
/// device code and its wide strings into every static program: issue 14's size budget).
std::minstd_rand::result_type jitter_seed(const void* self) noexcept {
    const auto now = static_cast<std::uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count());
    const auto mixed = now ^ (static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(self)) *
                              0x9E3779B97F4A7C15ull);
    return static_cast<std::minstd_rand::result_type>((mixed ^ (mixed >> 32)) % 2147483646u + 1);
}

} // namespace

session::session(asio::io_context& io, context_impl* ctx, std::unique_ptr<dialer> d,
                 pipe_end pipe, engine_config cfg, int reconnect_ivl, int reconnect_ivl_max)
    : token_(ctx), io_(io), dialer_(std::move(d)), pipe_(std::move(pipe)), cfg_(std::move(cfg)),
      reconnect_ivl_(reconnect_ivl), reconnect_ivl_max_(reconnect_ivl_max),
      current_ivl_(reconnect_ivl), rng_(jitter_seed(this)), retry_timer_(io, cfg_.clock),
      linger_timer_(io, cfg_.clock) {
    // No pipe (ZMQ_IMMEDIATE): each connection's engine makes one once its handshake is done
    // and hands it to the socket, so nothing queues for a peer that is not there.
    if (!pipe_)
        cfg_.attach_on_handshake = true;
}

session::~session() {
    if (pipe_)
        pipe_.close();
}

void session::start() {
    self_ = shared_from_this();
    asio::post(io_, [self = self_] { self->dial(); });
}

void session::close() noexcept {
    try {
        post_reserved(io_, close_memory_, [self = shared_from_this()] { self->on_close(); });
    } catch (...) {
        // Not reached: the reserved memory serves the one close there is.
    }
}

void session::dial() {
    if (finished_ || engine_ || dialing_)
        return;
    dialing_ = true;
    // libzmq reports every attempt as delayed (a non-blocking connect in progress).
    emit_event(cfg_.monitor, socket_event::connect_delayed, EINPROGRESS, cfg_.endpoint);
    dialer_->async_dial([self = shared_from_this()](std::error_code ec, engine_stream sock) {
        self->on_dialed(ec, std::move(sock));
    });
}

void session::on_dialed(std::error_code ec, engine_stream sock) {
    dialing_ = false;
    if (finished_)
        return;
    if (ec) {
        emit_event(cfg_.monitor, socket_event::closed, 0, cfg_.endpoint);
        schedule_reconnect();
        return;
    }
    emit_event(cfg_.monitor, socket_event::connected,
               static_cast<std::uint32_t>(sock.native_handle()), cfg_.endpoint);
    current_ivl_ = reconnect_ivl_; // back-off restarts after a successful connection
    try {
        engine_ = std::make_shared<stream_engine>(io_, std::move(sock), cfg_, weak_from_this());
        engine_->start(pipe_, connections_++ > 0);
    } catch (...) {
        // No memory for this connection: drop it (closed with `sock` or the engine) and try
        // again later, as after any lost connection.
        if (engine_) {
            auto e = std::move(engine_);
            e->stop(make_error_code(std::errc::not_enough_memory));
            return; // engine_stopped took over
        }
        emit_event(cfg_.monitor, socket_event::disconnected, 0, cfg_.endpoint);
        if (closing_)
            finish();
        else if (reconnect_ivl_ <= 0)
            finish();
        else
            schedule_reconnect();
        return;
    }
    if (closing_)
        engine_->endpoint_closed();
}

void session::engine_stopped(stream_engine&, std::error_code, bool protocol_error) {
    engine_.reset();
    if (closing_) {
        finish();
        return;
    }
    if (protocol_error) {
        gave_up_ = true; // libzmq never reconnects after a protocol error (C-TYPE-3, C-TYPE-6)
        // ...and drops the pipe, as libzmq's does (observed): the socket detaches it instead
        // of queueing into a connection that will never come (a PUSH would keep handing it
        // every n-th message).
        finish();
        return;
    }
    if (reconnect_ivl_ <= 0) {
        // Reconnection is off: the endpoint is finished, and so is its pipe (libzmq ends the
        // endpoint too). The socket detaches it, so a PAIR's single peer slot is free for a
        // new zmq_connect and sends report EAGAIN instead of queueing for nobody.
        finish();
        return;
    }
    schedule_reconnect();
}

void session::schedule_reconnect() {
    if (finished_ || reconnect_ivl_ <= 0)
        return; // -1 and 0 both disable reconnection (C-TCP-5)
    // Wait the current interval plus up to one base interval of jitter, then back off.
    // In 64 bits: near INT_MAX both the jitter and the doubling would overflow an int.
    std::uniform_int_distribution<int> jitter(0, reconnect_ivl_ - 1);
    const std::int64_t wait = std::int64_t{current_ivl_} + jitter(rng_);
    if (reconnect_ivl_max_ > reconnect_ivl_)
        current_ivl_ = static_cast<int>(
            std::min<std::int64_t>(std::int64_t{current_ivl_} * 2, reconnect_ivl_max_));
    emit_event(cfg_.monitor, socket_event::connect_retried, static_cast<std::uint32_t>(wait),
               cfg_.endpoint);
    retry_timer_.expires_after(std::chrono::milliseconds(wait));
    retry_timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
        if (!ec)
            self->dial();
    });
}

void session::on_close() {
    if (closing_ || finished_)
        return;
    closing_ = true;
    if (engine_) {
        engine_->endpoint_closed(); // flushes within LINGER, then reports engine_stopped
        return;
    }
    // Not connected: messages left in the pipe wait for a connection until LINGER expires
    // (unless no connection can come: reconnection disabled, or a protocol error ended it).
    if (!pipe_) { // ZMQ_IMMEDIATE: nothing is queued while not connected
        finish();
        return;
    }
    const int linger = pipe_.peer_closed() ? pipe_.peer_linger() : 0;
    const bool hopeless = gave_up_ || (reconnect_ivl_ <= 0 && !dialing_);
    if (linger == 0 || hopeless || !pipe_.readable()) {
        finish();
        return;
    }
    if (linger > 0) {
        linger_timer_.expires_after(std::chrono::milliseconds(linger));
        linger_timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
            if (!ec)
                self->finish();
        });
    }
}

void session::finish() {
    if (finished_)
        return;
    finished_ = true;
    retry_timer_.cancel();
    linger_timer_.cancel();
    dialer_->cancel();
    if (engine_) {
        auto e = std::move(engine_);
        e->stop({});
    }
    if (pipe_) {
        pipe_.set_waker(nullptr);
        pipe_.close();
    }
    auto keep_alive = std::move(self_); // released when this call returns
}

} // namespace zmtp::detail
