// stream_engine, input side: an adapter between Asio and wire::frame_decoder. Reads go into
// the decoder's buffer (or, for a large body, straight into its message); the decoder's events
// become messages in the pipe, with back-pressure (RCVHWM pauses the reads), and commands after
// the handshake are handled here.
#include "transports/stream/engine.hpp"

#include "core/fault_injection.hpp"
#include "core/socket_base.hpp"
#include "core/wire/command.hpp"
#include "core/wire/error.hpp"
#include "core/wire/frame.hpp"

#include <asio/read.hpp>

#include <cstring>

namespace zmtp::detail {

void stream_engine::start_read() {
    if (reading_ || state_ == state::stopped || input_paused_)
        return;
    reading_ = true;
    if (wait_before_read_) {
        // Once, after the handshake: idle connections (most of 1000 subscribers, say) would
        // each hold a 4 KiB buffer for nothing. Not on every drained read: the wait costs a
        // second completion per read, which a round trip would pay twice.
        wait_before_read_ = false;
        if (decoder_.release_buffer()) {
            socket_.async_wait_readable(
                [self = shared_from_this()](const std::error_code& ec) { self->on_readable(ec); });
            return;
        }
    }
    // The decoder sizes the read: small while the connection is idle, growing with traffic,
    // and short right after a large body (its successor's header comes without most of its
    // body being copied through the buffer).
    const auto room = decoder_.read_buffer();
    socket_.async_read_some(
        asio::buffer(room.data, room.size),
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
    decoder_.commit(n);
    heard_from_peer();
    guarded([&] { process_input(); });
}

void stream_engine::on_readable(const std::error_code& ec) {
    reading_ = false;
    if (state_ == state::stopped)
        return;
    if (ec) {
        fail(ec, false);
        return;
    }
    guarded([&] { start_read(); });
}

void stream_engine::process_input() {
    while (state_ != state::stopped) {
        if (state_ == state::black_hole ||
            (state_ == state::active && (!pipe_ || pipe_.closed()))) {
            decoder_.discard(); // nobody reads
            break;
        }
        // Back-pressure: a new message waits until the pipe is below RCVHWM.
        // Commands count too: a subscriber flooding subscriptions is bounded by the HWM.
        if (state_ == state::active && decoder_.buffered() != 0 && !in_multipart_ &&
            !pipe_.peer_closed() && !pipe_.writable()) {
            input_paused_ = true;
            flush_input();
            return; // resumed by on_pipe_event
        }
        const auto ev = decoder_.next();
        switch (ev.status) {
        case wire::decode_status::need_more:
            flush_input();
            start_read();
            return;
        case wire::decode_status::handshake_done:
            on_handshake_done();
            continue;
        case wire::decode_status::failed:
            if (state_ == state::handshaking)
                refuse_handshake(ev.error);
            else
                fail(ev.error, true);
            return;
        case wire::decode_status::frame:
            if (!deliver(ev.header, ev.body))
                return;
            continue;
        case wire::decode_status::large_body:
            // Large bodies (and any frame that cannot fit the input buffer: a long command, or
            // big upstream data to a PUB) are read straight into a message of their own.
            flush_input();
            read_body_directly(ev.header);
            return;
        }
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
    if (cfg_.kind == wire::socket_kind::pub && !(h.size > 0 && body[0] <= 1)) {
        // Upstream data to a PUB that cannot be a subscription (3.0 form: 0x01/0x00 + topic,
        // C-SUBW-4) is discarded by the socket (C-SUBW-5): only an empty frame goes on, which
        // keeps the message's shape for ONLY_FIRST_SUBSCRIBE. An XPUB gets everything.
        deliver_message(message(), h.more());
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
    if (pending_metadata_)
        stage_metadata();
    pipe_.write(std::move(m), false);
}

void stream_engine::deliver_message(message&& m, bool more) {
    fault_injection::allocation_point(); // the pipe may allocate for it (and its body did)
    m.set_more(more);
    in_multipart_ = more;
    if (pipe_ && !pipe_.peer_closed()) {
        if (pending_metadata_)
            stage_metadata();
        pipe_.write(std::move(m), false); // published in one go by flush_input()
    }
}

void stream_engine::read_body_directly(const wire::frame_header& h) {
    // Large body: allocate it once and let the kernel copy straight into it.
    std::shared_ptr<message> m;
    try {
        // The size is the peer's claim (< 2^63, <= MAXMSGSIZE if set): it may not fit.
        m = std::make_shared<message>(static_cast<std::size_t>(h.size));
    } catch (const std::bad_alloc&) {
        fail(wire::wire_errc::message_too_large, true);
        return;
    }
    auto* dst = static_cast<std::uint8_t*>(m->data());
    const std::size_t missing = decoder_.begin_body(dst); // what was buffered is copied
    const std::size_t have = static_cast<std::size_t>(h.size) - missing;
    reading_ = true;
    // Each chunk of the body is traffic for the heartbeat deadlines, not only the whole frame.
    auto progress = [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
        if (n > 0)
            self->heard_from_peer();
        // Chunks of this size: reads of whatever the kernel has (no cap) saved a third of the
        // recv calls on ipc 1 MiB and gained nothing measurable (tcp 1.03x, ipc 0.70-0.95x).
        return ec ? std::size_t{0} : wire::frame_decoder::max_buffer;
    };
    asio::async_read(socket_, asio::buffer(dst + have, missing), progress,
                     [self = shared_from_this(), m, h](const std::error_code& ec, std::size_t) {
                         self->reading_ = false;
                         self->decoder_.end_body();
                         if (self->state_ == state::stopped)
                             return;
                         if (ec) {
                             self->fail(ec, false);
                             return;
                         }
                         self->guarded([&] {
                             if (h.command() || self->cfg_.kind == wire::socket_kind::pub) {
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
