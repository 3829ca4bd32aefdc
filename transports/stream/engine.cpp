// stream_engine: lifecycle, handshake, connection metadata, linger and failure.
// Input decoding lives in engine_input.cpp, output batching in engine_output.cpp, heartbeats
// in engine_heartbeat.cpp.
#include "transports/stream/engine.hpp"

#include "core/metadata.hpp"
#include "core/socket_base.hpp"
#include "core/wire/command.hpp"
#include "core/wire/error.hpp"
#include "core/wire/frame.hpp"
#include "transports/stream/peer_address.hpp"
#include "transports/stream/stream_config.hpp"

#include <asio/post.hpp>
#include <asio/read.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace zmtp::detail {

stream_engine::stream_engine(asio::io_context& io, engine_stream sock, engine_config cfg,
                             std::weak_ptr<engine_host> host)
    : token_(cfg.ctx), io_(io), socket_(std::move(sock)), cfg_(std::move(cfg)), host_(std::move(host)),
      decoder_(cfg_.kind, cfg_.maxmsgsize, cfg_.routing_id), handshake_(decoder_.handshake()),
      handshake_timer_(io, cfg_.clock), linger_timer_(io, cfg_.clock), ping_timer_(io, cfg_.clock),
      pong_deadline_(io, cfg_.clock), ttl_deadline_(io, cfg_.clock) {}

stream_engine::~stream_engine() {
    if (pipe_)
        pipe_.set_waker(nullptr);
    if (pending_metadata_)
        pending_metadata_->release();
}

void stream_engine::start(pipe_end pipe, bool reconnect) {
    reconnect_ = reconnect;
    // The engine keeps itself alive until stop(): while it waits for its pipe (input paused
    // at the HWM, or nothing to send) no asio operation holds it.
    self_ = shared_from_this();
    pipe_ = std::move(pipe);
    handshake_.initial_output(ctrl_buf_);
    if (cfg_.handshake_ivl > 0) {
        handshake_timer_.expires_after(std::chrono::milliseconds(cfg_.handshake_ivl));
        handshake_timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
            if (!ec && self->state_ == state::handshaking)
                self->fail(wire::wire_errc::handshake_timeout, false);
        });
    }
    pump_output(); // greeting + READY go out at once, before we hear the peer (C-GRT-4)
    start_read();
}

void stream_engine::wake() noexcept {
    // Called from other threads with a pipe lock held: just schedule a look on our thread.
    if (event_posted_.exchange(true))
        return;
    try {
        post_reserved(io_, wake_memory_, [w = weak_from_this()] {
            if (auto self = w.lock()) {
                self->event_posted_.store(false);
                self->guarded([&] { self->on_pipe_event(); });
            }
        });
    } catch (...) {
        event_posted_.store(false); // not reached: the reserved memory is free (one in flight)
    }
}

void stream_engine::on_pipe_event() {
    if (state_ == state::stopped || !pipe_)
        return;
    if (state_ == state::active && pipe_.peer_closed() &&
        pipe_.peer_close_reason() == close_reason::rejected) {
        enter_black_hole();
        return;
    }
    if (input_paused_ && (pipe_.peer_closed() || pipe_.writable())) {
        input_paused_ = false;
        process_input();
        if (state_ == state::stopped)
            return;
    }
    pump_output();
    check_linger();
}


void stream_engine::refuse_handshake(std::error_code reason) {
    const auto& reply = decoder_.handshake_reply();
    if (!reply.empty() && !writing_) {
        // Best effort ERROR before closing (RFC 23 §The Socket-Type Property): one
        // non-blocking write, never a wait on the I/O thread for a peer that does not read.
        std::error_code ignored;
        socket_.non_blocking(true, ignored);
        socket_.write_some(asio::buffer(reply), ignored);
    }
    fail(reason, true);
}

void stream_engine::on_handshake_done() {
    handshake_timer_.cancel();
    state_ = state::active;
    wait_before_read_ = true;
    emit_event(cfg_.monitor, socket_event::handshake_succeeded, 0, cfg_.endpoint);
    start_heartbeats(); // from here on, as libzmq: HANDSHAKE_IVL covered the time before
    if (cfg_.bind_side || cfg_.attach_on_handshake) {
        auto sock = cfg_.socket.lock();
        if (!sock) {
            fail(make_error_code(std::errc::connection_aborted), false);
            return;
        }
        auto [theirs, ours] = pipe_end::make_pair(cfg_.sndhwm, cfg_.rcvhwm);
        theirs.set_conflate(cfg_.conflate_inbound, cfg_.conflate_outbound);
        pipe_ = ours;
        pipe_.set_waker(this);
        announce_metadata();
        sock->post_attach(theirs);
    } else {
        pipe_.set_waker(this);
        if (reconnect_)
            if (auto sock = cfg_.socket.lock())
                sock->post_hiccup(pipe_.peer()); // SUB re-sends its subscriptions (C-SUB-5)
        announce_metadata();
    }
    pump_output();
}

void stream_engine::announce_metadata() {
    // What zmq_msg_gets reports for this connection's frames: Peer-Address first, then the
    // peer's READY properties (the first of each name wins, as in libzmq). A PUB reads only
    // subscriptions, which carry no metadata (an XPUB hands its peers' messages out).
    if (cfg_.kind == wire::socket_kind::pub || !pipe_ || pipe_.peer_closed())
        return;
    try {
        std::vector<metadata::property> props;
        std::string address = peer_address(socket_.native_handle());
        if (!address.empty())
            props.emplace_back("Peer-Address", std::move(address));
        for (const auto& prop : handshake_.peer_properties()) {
            const bool seen = std::any_of(props.begin(), props.end(),
                                          [&](const auto& p) { return p.first == prop.first; });
            if (!seen)
                props.push_back(prop);
        }
        // Staged with the first message of this connection (stage_metadata), so it is never
        // read alone and a connection that carries nothing does not make the pipe allocate.
        if (pending_metadata_)
            pending_metadata_->release();
        pending_metadata_ = metadata::create(std::move(props));
    } catch (const std::bad_alloc&) {
        // Frames of this connection then simply carry no metadata.
    }
}

void stream_engine::stage_metadata() {
    metadata* md = pending_metadata_;
    pending_metadata_ = nullptr;
    pipe_.write(message_metadata::marker(md), false); // on bad_alloc, the marker frees md
}

void stream_engine::enter_black_hole() {
    // PAIR refused us: keep the connection open but ignore it, as libzmq does (C-PAIR-5).
    state_ = state::black_hole;
    pipe_.set_waker(nullptr);
    pipe_ = {};
    input_paused_ = false;
    start_read(); // keep draining (and discarding) so the peer is never blocked by us
}

void stream_engine::check_linger() {
    const bool live = state_ == state::active || state_ == state::handshaking;
    if (!live || !pipe_ || !pipe_.peer_closed())
        return;
    if (state_ == state::active && pipe_.peer_close_reason() == close_reason::rejected) {
        enter_black_hole();
        return;
    }
    if (pipe_.peer_close_reason() == close_reason::dropped) {
        // The socket gave up on this peer (it broke a limit): close now, and do not redial.
        fail(make_error_code(std::errc::no_buffer_space), true);
        return;
    }
    // The socket closed (or disconnected) this pipe: flush what it left, within LINGER. That
    // holds in every state: a peer that never finishes its handshake gets LINGER ms too, not
    // HANDSHAKE_IVL (which may be 0, i.e. forever).
    const int linger = pipe_.peer_linger();
    const bool flushed = !pipe_.readable() && (state_ == state::handshaking || !writing_);
    if (linger == 0 || flushed) {
        stop({});
        return;
    }
    if (linger > 0 && !linger_armed_) {
        linger_armed_ = true;
        linger_timer_.expires_after(std::chrono::milliseconds(linger));
        linger_timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
            if (!ec)
                self->stop({});
        });
    }
}

void stream_engine::endpoint_closed() {
    if (state_ == state::stopped)
        return;
    if (pipe_ && pipe_.peer_closed()) {
        // Lingering: flush (after the handshake, if it completes in time) within LINGER.
        check_linger();
        return;
    }
    stop({});
}

void stream_engine::report_failure(const std::error_code& reason) {
    // Monitor events as libzmq sends them (C-MON-2): a failed handshake says why when there
    // is a protocol number or an errno; every lost connection ends with DISCONNECTED.
    const auto fd = static_cast<std::uint32_t>(socket_.native_handle());
    if (state_ == state::handshaking) {
        if (reason.category() == wire::wire_category()) {
            if (const auto v = wire::protocol_error_value(reason))
                emit_event(cfg_.monitor, socket_event::handshake_failed_protocol, v, cfg_.endpoint);
            else if (reason == wire::wire_errc::handshake_timeout)
                emit_event(cfg_.monitor, socket_event::handshake_failed_no_detail, EAGAIN,
                           cfg_.endpoint);
        } else {
            emit_event(cfg_.monitor, socket_event::handshake_failed_no_detail,
                       static_cast<std::uint32_t>(reason.value()), cfg_.endpoint);
        }
    }
    emit_event(cfg_.monitor, socket_event::disconnected, fd, cfg_.endpoint);
}

void stream_engine::stop(std::error_code reason) {
    if (state_ == state::stopped)
        return;
    state_ = state::stopped;
    handshake_timer_.cancel();
    linger_timer_.cancel();
    stop_heartbeats();
    if (pipe_) {
        // Whole messages decoded so far reach the socket before the peer can see the close;
        // a half-received multipart message never does (C-FRM-6).
        pipe_.set_waker(nullptr);
        pipe_.rollback();
        if (cfg_.bind_side || cfg_.attach_on_handshake)
            pipe_.close(); // the peer is gone for good: the socket drains and detaches it
        pipe_ = {};
    }
    std::error_code ignored;
    socket_.shutdown(asio::socket_base::shutdown_send, ignored);
    socket_.close(ignored);
    auto keep_alive = std::move(self_); // released when this call returns
    if (auto host = host_.lock())
        host->engine_stopped(*this, reason, false);
}

void stream_engine::handler_failed() noexcept {
    try {
        fail(make_error_code(std::errc::not_enough_memory), false);
    } catch (...) {
        // Reporting failed too (no memory for the event): stop without it.
        stop(make_error_code(std::errc::not_enough_memory));
    }
}

void stream_engine::fail(std::error_code reason, bool protocol_error) {
    if (state_ == state::stopped)
        return;
    report_failure(reason);
    if (!protocol_error) {
        stop(reason);
        return;
    }
    auto keep_alive = self_;
    auto host = host_.lock();
    host_.reset(); // report once, with the protocol flag
    stop(reason);
    if (host)
        host->engine_stopped(*this, reason, true);
}

} // namespace zmtp::detail
