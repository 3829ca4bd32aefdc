// stream_engine, input side: reading, frame decoding with back-pressure (RCVHWM pauses the
// reads), large bodies read straight into their message, and commands after the handshake.
#include "transports/stream/engine.hpp"

#include "core/fault_injection.hpp"
#include "core/socket_base.hpp"
#include "core/wire/command.hpp"
#include "core/wire/error.hpp"
#include "core/wire/frame.hpp"

#include <asio/read.hpp>

#include <cstring>

namespace zmtp::detail {

namespace {
/// A frame body larger than this that is not fully buffered is read straight into its message.
constexpr std::size_t direct_read_threshold = 8 * 1024;
/// How much to read after a large body (see start_read).
constexpr std::size_t after_large_read = 4 * 1024;
} // namespace

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
    // Right after a large body, the next one most likely follows: read only a little, so its
    // header arrives without most of its body being copied through in_buf_ (the rest is then
    // read straight into the message, as libzmq does).
    std::size_t room = in_buf_.size() - in_end_;
    if (after_large_body_ && room > after_large_read)
        room = after_large_read;
    after_large_body_ = false;
    socket_.async_read_some(
        asio::buffer(in_buf_.data() + in_end_, room),
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
    guarded([&] { process_input(); });
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
    fault_injection::allocation_point(); // the pipe may allocate for it (and its body did)
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
        return ec ? std::size_t{0} : self->in_buf_.size(); // read in chunks of this size
    };
    asio::async_read(socket_, asio::buffer(dst + have, h.size - have), progress,
                     [self = shared_from_this(), m, h](const std::error_code& ec, std::size_t) {
                         self->reading_ = false;
                         self->after_large_body_ = true;
                         if (self->state_ == state::stopped)
                             return;
                         if (ec) {
                             self->fail(ec, false);
                             return;
                         }
                         self->guarded([&] {
                             if (h.command() || self->is_publisher()) {
                                 if (!self->deliver(h,
                                                    static_cast<const std::uint8_t*>(m->data())))
                                     return;
                             } else {
                                 self->deliver_message(std::move(*m), h.more()); // zero-copy
                             }
                             self->process_input();
                         });
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

} // namespace zmtp::detail
