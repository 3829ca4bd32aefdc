// stream_engine: lifecycle, handshake, decoding with back-pressure, commands, linger.
// Output batching lives in engine_output.cpp.
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
#include <asio/write.hpp> // the best-effort ERROR before closing

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace zmtp::detail {

namespace {
constexpr std::size_t in_buffer_size = 64 * 1024;
/// A frame body larger than this that is not fully buffered is read straight into its message.
constexpr std::size_t direct_read_threshold = 8 * 1024;
} // namespace

stream_engine::stream_engine(asio::io_context& io, stream_socket sock, engine_config cfg,
                             std::weak_ptr<engine_host> host)
    : token_(cfg.ctx), io_(io), socket_(std::move(sock)), cfg_(std::move(cfg)), host_(std::move(host)),
      handshake_(cfg_.kind, cfg_.maxmsgsize, cfg_.routing_id), handshake_timer_(io),
      linger_timer_(io), ping_timer_(io), pong_deadline_(io), ttl_deadline_(io),
      in_buf_(in_buffer_size) {}

stream_engine::~stream_engine() {
    if (pipe_)
        pipe_.set_waker(nullptr);
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
        asio::post(io_, [w = weak_from_this()] {
            if (auto self = w.lock()) {
                self->event_posted_.store(false);
                self->on_pipe_event();
            }
        });
    } catch (...) {
        event_posted_.store(false);
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

void stream_engine::start_read() {
    if (reading_ || state_ == state::stopped || input_paused_)
        return;
    if (in_begin_ == in_end_)
        in_begin_ = in_end_ = 0;
    else if (in_end_ == in_buf_.size()) {
        // Compact so the rest of a partial frame fits.
        std::memmove(in_buf_.data(), in_buf_.data() + in_begin_, in_end_ - in_begin_);
        in_end_ -= in_begin_;
        in_begin_ = 0;
    }
    reading_ = true;
    socket_.async_read_some(
        asio::buffer(in_buf_.data() + in_end_, in_buf_.size() - in_end_),
        [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
            self->on_read(ec, n);
        });
}

void stream_engine::on_read(const std::error_code& ec, std::size_t n) {
    reading_ = false;
    if (state_ == state::stopped)
        return;
    if (ec) {
        fail(ec, false);
        return;
    }
    in_end_ += n;
    heard_from_peer();
    process_input();
}

bool stream_engine::handle_handshake() {
    std::vector<std::uint8_t> reply;
    auto r = handshake_.feed(in_buf_.data() + in_begin_, in_end_ - in_begin_, reply);
    in_begin_ += r.consumed;
    if (r.status == wire::parse_status::failed) {
        if (!reply.empty() && !writing_) {
            // Best effort ERROR before closing (RFC 23 §The Socket-Type Property).
            std::error_code ignored;
            asio::write(socket_, asio::buffer(reply), ignored);
        }
        fail(r.error, true);
        return false;
    }
    if (r.status == wire::parse_status::need_more)
        return false;
    on_handshake_done();
    return state_ != state::stopped;
}

void stream_engine::on_handshake_done() {
    handshake_timer_.cancel();
    state_ = state::active;
    emit_event(cfg_.socket, socket_event::handshake_succeeded, 0, cfg_.endpoint);
    start_heartbeats(); // from here on, as libzmq: HANDSHAKE_IVL covered the time before
    if (cfg_.bind_side) {
        auto sock = cfg_.socket.lock();
        if (!sock) {
            fail(make_error_code(std::errc::connection_aborted), false);
            return;
        }
        auto [ours, theirs] = pipe_end::make_pair(cfg_.rcvhwm, cfg_.sndhwm);
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
    // subscriptions, which carry no metadata.
    if (is_publisher() || !pipe_ || pipe_.peer_closed())
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
        // Staged with the first message of this connection, so it is never read alone.
        pipe_.write(message_metadata::marker(metadata::create(std::move(props))), false);
    } catch (const std::bad_alloc&) {
        // Frames of this connection then simply carry no metadata.
    }
}

void stream_engine::process_input() {
    while (state_ != state::stopped) {
        if (state_ == state::handshaking) {
            if (!handle_handshake())
                break;
            continue;
        }
        const std::size_t avail = in_end_ - in_begin_;
        if (state_ == state::black_hole || !pipe_ || pipe_.closed()) {
            in_begin_ = in_end_; // nobody reads: discard
            break;
        }
        const std::uint8_t* p = in_buf_.data() + in_begin_;
        auto r = wire::decode_frame_header(p, avail, cfg_.maxmsgsize);
        if (r.status == wire::header_status::failed) {
            fail(r.error, true);
            return;
        }
        if (r.status == wire::header_status::need_more)
            break;
        const auto& h = r.header;
        // Back-pressure: a new message waits until the pipe is below RCVHWM.
        // Commands count too: a subscriber flooding subscriptions is bounded by the HWM.
        if (!in_multipart_ && !pipe_.peer_closed() && !pipe_.writable()) {
            input_paused_ = true;
            flush_input();
            return; // resumed by on_pipe_event
        }
        const std::size_t total = h.header_size + h.size;
        if (avail >= total) {
            in_begin_ += total;
            if (!deliver(h, p + h.header_size))
                return;
            continue;
        }
        // Large bodies (and any frame that cannot fit the input buffer: a long command, or
        // big upstream data to a PUB) are read straight into a message of their own.
        if (h.size > direct_read_threshold || total > in_buf_.size()) {
            flush_input();
            read_body_directly(h);
            return;
        }
        break; // a small frame is incomplete: read more
    }
    flush_input();
    start_read();
}

void stream_engine::flush_input() {
    if (pipe_ && !pipe_.peer_closed())
        pipe_.flush();
}

bool stream_engine::deliver(const wire::frame_header& h, const std::uint8_t* body) {
    heard_from_peer(); // per frame too: a frame after a PING cancels its TTL (C-HB-4)
    if (h.command()) {
        handle_command(body, h.size);
        return state_ != state::stopped;
    }
    if (is_publisher()) {
        // Upstream data to a PUB: a 3.0-style subscription (0x01/0x00 + topic) or ignored,
        // whatever version the peer speaks (C-SUBW-4, C-SUBW-5); later frames are ignored.
        const bool first = !in_multipart_;
        in_multipart_ = h.more();
        if (first)
            deliver_subscription(wire::decode_subscription(h.flags, body, h.size));
        return true;
    }
    deliver_message(message(body, h.size), h.more());
    return true;
}

void stream_engine::deliver_subscription(const std::optional<wire::subscription>& sub) {
    if (!sub || !pipe_ || pipe_.peer_closed())
        return;
    message m(sub->topic.size() + 1);
    auto* d = static_cast<std::uint8_t*>(m.data());
    d[0] = sub->subscribe ? 1 : 0;
    if (!sub->topic.empty())
        std::memcpy(d + 1, sub->topic.data(), sub->topic.size());
    m.set_command(true);
    pipe_.write(std::move(m), false);
}

void stream_engine::deliver_message(message&& m, bool more) {
    m.set_more(more);
    in_multipart_ = more;
    if (pipe_ && !pipe_.peer_closed())
        pipe_.write(std::move(m), false); // published in one go by flush_input()
}

void stream_engine::read_body_directly(const wire::frame_header& h) {
    // Large body: allocate it once and let the kernel copy straight into it.
    const std::size_t have = in_end_ - in_begin_ - h.header_size;
    std::shared_ptr<message> m;
    try {
        // The size is the peer's claim (< 2^63, <= MAXMSGSIZE if set): it may not fit.
        m = std::make_shared<message>(static_cast<std::size_t>(h.size));
    } catch (const std::bad_alloc&) {
        fail(wire::wire_errc::message_too_large, true);
        return;
    }
    auto* dst = static_cast<std::uint8_t*>(m->data());
    std::memcpy(dst, in_buf_.data() + in_begin_ + h.header_size, have);
    in_begin_ = in_end_ = 0;
    reading_ = true;
    // Each chunk of the body is traffic for the heartbeat deadlines, not only the whole frame.
    auto progress = [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
        if (n > 0)
            self->heard_from_peer();
        return ec ? std::size_t{0} : in_buffer_size;
    };
    asio::async_read(socket_, asio::buffer(dst + have, h.size - have), progress,
                     [self = shared_from_this(), m, h](const std::error_code& ec, std::size_t) {
                         self->reading_ = false;
                         if (self->state_ == state::stopped)
                             return;
                         if (ec) {
                             self->fail(ec, false);
                             return;
                         }
                         if (h.command() || self->is_publisher()) {
                             if (!self->deliver(h, static_cast<const std::uint8_t*>(m->data())))
                                 return;
                         } else {
                             self->deliver_message(std::move(*m), h.more()); // zero-copy
                         }
                         self->process_input();
                     });
}

void stream_engine::handle_command(const std::uint8_t* body, std::size_t size) {
    auto cmd = wire::parse_command(body, size);
    if (!cmd)
        return; // malformed commands after the handshake are ignored, like unknown ones
    if (cmd->name == wire::ping_command) {
        handle_ping(*cmd);
    } else if (cmd->name == wire::error_command) {
        fail(wire::wire_errc::error_received, true);
    } else if (is_publisher() && (cmd->name == wire::subscribe_command ||
                                  cmd->name == wire::cancel_command)) {
        deliver_subscription(wire::decode_subscription(wire::flag_command, body, size));
    }
    // PONG, SUBSCRIBE/CANCEL on a PAIR, and unknown commands are ignored (C-FRM-4).
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
    if (state_ != state::active || !pipe_ || !pipe_.peer_closed())
        return;
    if (pipe_.peer_close_reason() == close_reason::rejected) {
        enter_black_hole();
        return;
    }
    // The socket closed (or disconnected) this pipe: flush what it left, within LINGER.
    const int linger = pipe_.peer_linger();
    if (linger == 0 || (!writing_ && !pipe_.readable())) {
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
        // Lingering: flush once the handshake is done (pump_output ends in check_linger).
        if (state_ == state::active)
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
                emit_event(cfg_.socket, socket_event::handshake_failed_protocol, v, cfg_.endpoint);
            else if (reason == wire::wire_errc::handshake_timeout)
                emit_event(cfg_.socket, socket_event::handshake_failed_no_detail, EAGAIN,
                           cfg_.endpoint);
        } else {
            emit_event(cfg_.socket, socket_event::handshake_failed_no_detail,
                       static_cast<std::uint32_t>(reason.value()), cfg_.endpoint);
        }
    }
    emit_event(cfg_.socket, socket_event::disconnected, fd, cfg_.endpoint);
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
        if (cfg_.bind_side)
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
