// stream_engine heartbeats (RFC 37 §Connection Heartbeating; C-HB-2..C-HB-5), as libzmq 4.3.4:
// - with HEARTBEAT_IVL > 0, a PING (our TTL, empty context) every IVL ms from the end of the
//   handshake on;
// - after each PING, if the peer sends nothing at all within HEARTBEAT_TIMEOUT (default IVL),
//   the connection is dropped like any lost connection (DISCONNECTED; a connecter redials);
// - a PING from the peer is answered with PONG, and its TTL, when > 0, drops the connection if
//   nothing else arrives from the peer within TTL.
// Every timer handler holds the engine; stop() cancels them all, and a handler that still runs
// afterwards sees state::stopped.
#include "transports/stream/engine.hpp"

#include "core/wire/heartbeat.hpp"

namespace zmtp::detail {

namespace {
using std::chrono::milliseconds;
} // namespace

void stream_engine::start_heartbeats() {
    if (cfg_.heartbeat_ivl > 0)
        schedule_ping();
}

void stream_engine::schedule_ping() {
    ping_timer_.expires_after(milliseconds(cfg_.heartbeat_ivl));
    ping_timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
        if (ec || self->state_ == state::stopped)
            return;
        self->ping_due_ = true;
        self->guarded([&] {
            self->pump_output(); // queues it now, or when the write in progress is done
            if (self->state_ != state::stopped)
                self->schedule_ping();
        });
    });
}

void stream_engine::queue_ping() {
    // Called by pump_output when a write starts, so the PING and its deadline begin when the
    // PING is really handed to the kernel, as libzmq (which makes the PING when its output
    // buffer is empty). While a write is stuck, no PING piles up and no deadline runs.
    ping_due_ = false;
    wire::append_ping(ctrl_buf_, wire::ttl_to_wire(cfg_.heartbeat_ttl));
    // libzmq times the peer's answer from the first unanswered PING: a later PING does not
    // push the deadline back (C-HB-3).
    const int timeout = cfg_.heartbeat_timeout < 0 ? cfg_.heartbeat_ivl : cfg_.heartbeat_timeout;
    if (timeout > 0 && !pong_deadline_.armed)
        arm(pong_deadline_, milliseconds(timeout));
}

void stream_engine::handle_ping(const wire::command_view& cmd) {
    const auto ping = wire::parse_ping(cmd);
    // Only the latest PING is answered: while our write is stuck (a peer that floods PINGs
    // and never reads), each new one replaces the PONG still owed, in constant space.
    pong_context_.assign(ping.context.substr(0, wire::max_ping_context));
    pong_due_ = true;
    // deliver() has just disarmed the TTL deadline for this frame; this PING re-arms it with
    // the TTL it carries, and any later frame cancels it again (C-HB-4).
    if (ping.ttl_ds > 0)
        arm(ttl_deadline_, milliseconds(wire::ttl_to_ms(ping.ttl_ds)));
    pump_output();
}

void stream_engine::queue_pong() {
    pong_due_ = false;
    wire::append_pong(out_buf_, pong_context_);
}

void stream_engine::disarm_peer_deadlines() noexcept {
    for (deadline* d : {&pong_deadline_, &ttl_deadline_}) {
        if (!d->armed)
            continue;
        d->armed = false;
        ++d->generation;
        d->timer.cancel();
    }
}

void stream_engine::arm(deadline& d, milliseconds after) {
    d.armed = true;
    const auto generation = ++d.generation;
    d.timer.expires_after(after);
    d.timer.async_wait([self = shared_from_this(), &d, generation](const std::error_code& ec) {
        // The expiry may have been queued before a disarm or re-arm ran: only the current
        // generation counts.
        if (ec || !d.armed || d.generation != generation || self->state_ == state::stopped)
            return;
        self->deadline_expired(d);
    });
}

void stream_engine::deadline_expired(deadline& d) {
    d.armed = false;
    // Bytes the peer sent that we have not read yet are traffic too: we stop reading while our
    // pipe is at RCVHWM (input_paused_), and then the peer's PONG waits behind its data. libzmq
    // 4.3.4 drops such a connection; a slow reader here keeps its live peer.
    std::error_code ec;
    if (socket_.available(ec) > 0 && !ec)
        return;
    // A lost connection, not a protocol error: DISCONNECTED, and the connecter redials (C-HB-5).
    fail(make_error_code(std::errc::timed_out), false);
}

void stream_engine::stop_heartbeats() noexcept {
    ping_due_ = false;
    ping_timer_.cancel();
    disarm_peer_deadlines();
}

} // namespace zmtp::detail
