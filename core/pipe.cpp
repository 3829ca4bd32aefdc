// pipe_end operations: each maps onto the queue this end writes or reads.
#include "core/pipe.hpp"

namespace zmtp::detail {

std::pair<pipe_end, pipe_end> pipe_end::make_pair(std::int64_t snd, std::int64_t rcv) {
    auto p = std::make_shared<pipe>(snd, rcv);
    return {pipe_end(p, 0), pipe_end(p, 1)};
}

msg_queue& pipe_end::out() const noexcept { return pipe_->queues_[side_]; }
msg_queue& pipe_end::in() const noexcept { return pipe_->queues_[1 - side_]; }

bool pipe_end::writable() noexcept { return out().writable(); }
void pipe_end::write(message&& frame, bool publish) { out().write(std::move(frame), publish); }
void pipe_end::flush() { out().flush(); }
bool pipe_end::read(message& m) { return in().read(m); }
bool pipe_end::readable() { return in().readable(); }
void pipe_end::rollback() noexcept { out().rollback(); }
bool pipe_end::mid_message() const noexcept { return out().mid_message(); }
std::int64_t pipe_end::queued_out() const noexcept { return out().queued(); }
void pipe_end::hold_reads() noexcept { in().hold_reads(); }
void pipe_end::release_reads() noexcept { in().release_reads(); }
void pipe_end::discard_inbound() { in().discard_all(); }

void pipe_end::set_waker(waker* w) noexcept {
    in().set_reader_waker(w);
    out().set_writer_waker(w);
}

void pipe_end::close(close_reason why, int linger_ms) noexcept {
    if (!pipe_ || pipe_->closed_[side_].load())
        return;
    set_waker(nullptr);
    pipe_->reason_[side_].store(why);
    pipe_->linger_[side_].store(linger_ms);
    pipe_->closed_[side_].store(true);
    // The peer reads what we wrote, then sees the close; and stops waiting to write to us.
    out().notify_closed_to_reader();
    in().notify_closed_to_writer();
}

bool pipe_end::closed() const noexcept { return pipe_->closed_[side_].load(); }
bool pipe_end::peer_closed() const noexcept { return pipe_->closed_[1 - side_].load(); }
close_reason pipe_end::peer_close_reason() const noexcept {
    return pipe_->reason_[1 - side_].load();
}
int pipe_end::peer_linger() const noexcept { return pipe_->linger_[1 - side_].load(); }
void pipe_end::set_conflate(bool inbound, bool outbound) noexcept {
    if (inbound)
        in().set_conflate();
    if (outbound)
        out().set_conflate();
}
void pipe_end::set_send_hwm(std::int64_t snd) noexcept { pipe_->set_part(side_, true, snd); }
void pipe_end::set_recv_hwm(std::int64_t rcv) noexcept {
    pipe_->set_part(1 - side_, false, rcv);
}
void pipe_end::join_as_socket(std::int64_t snd, std::int64_t rcv) noexcept {
    set_send_hwm(snd);
    set_recv_hwm(rcv);
}

void pipe::set_part(int q, bool writer, std::int64_t value) noexcept {
    std::lock_guard<std::mutex> lock(limits_mutex_);
    auto& l = limits_[q];
    (writer ? l.writer : l.reader) = value;
    std::int64_t hwm = 0; // no limit
    if (l.writer < 0)
        hwm = l.reader < 0 ? 0 : l.reader;
    else if (l.reader < 0)
        hwm = l.writer;
    else if (l.writer != 0 && l.reader != 0)
        hwm = l.writer + l.reader;
    queues_[q].set_hwm(hwm);
}

} // namespace zmtp::detail
