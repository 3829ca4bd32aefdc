// msg_queue: whole-message SPSC queue with HWM/LWM and sleep/wake hand-off.
//
// Wake-up protocol. Reader: when it finds the queue empty it sets reader_sleeping_ under the
// lock; the writer checks and clears it under the same lock when publishing, so no publish can
// slip between "empty" and "asleep". Writer: when full it sets writer_sleeping_ and re-checks
// the read counter (both seq_cst); the reader bumps the counter then tests the flag, so at least
// one of them sees the other (Dekker), and a sleeping writer is woken at the low-water mark.
#include "core/msg_queue.hpp"

#include "core/metadata.hpp"

#include <utility>

namespace zmtp::detail {

void msg_queue::set_hwm(std::int64_t hwm) noexcept {
    hwm = hwm < 0 ? 0 : hwm;
    hwm_.store(hwm, std::memory_order_relaxed);
    // Resume a blocked writer once about half the queue is consumed (libzmq: C-HWM-3).
    lwm_.store(hwm - (hwm + 1) / 2, std::memory_order_relaxed);
}

bool msg_queue::writable() noexcept {
    const auto hwm = hwm_.load(std::memory_order_relaxed);
    if (hwm == 0)
        return true;
    // Staged (deferred) messages count as written.
    const auto written = written_.load(std::memory_order_relaxed) + staged_messages_;
    if (static_cast<std::int64_t>(written - read_.load()) < hwm)
        return true;
    writer_sleeping_.store(true);
    // Re-check after announcing we sleep: the reader may have consumed in between.
    return static_cast<std::int64_t>(written - read_.load()) < hwm;
}

void msg_queue::write(message&& frame, bool publish) {
    const bool last = !frame.more();
    staged_.push_back(std::move(frame));
    if (!last)
        return;
    staged_complete_ = staged_.size();
    ++staged_messages_;
    if (publish)
        flush();
}

void msg_queue::rollback() noexcept {
    staged_.resize(staged_complete_);
    flush();
}

void msg_queue::flush() {
    if (staged_messages_ == 0)
        return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (shared_.empty() && staged_complete_ == staged_.size()) {
        shared_.swap(staged_); // the common case: hand over the whole batch
    } else {
        for (std::size_t i = 0; i < staged_complete_; ++i)
            shared_.push_back(std::move(staged_[i]));
        staged_.erase(staged_.begin(), staged_.begin() + static_cast<long>(staged_complete_));
    }
    staged_complete_ = 0;
    written_.fetch_add(staged_messages_, std::memory_order_release);
    staged_messages_ = 0;
    if (reader_sleeping_) {
        reader_sleeping_ = false;
        if (reader_waker_)
            reader_waker_->wake();
    }
}

bool msg_queue::refill() noexcept {
    local_.clear();
    local_pos_ = 0;
    std::lock_guard<std::mutex> lock(mutex_);
    local_.swap(shared_);
    if (local_.empty()) {
        reader_sleeping_ = true;
        return false;
    }
    return true;
}

msg_queue::~msg_queue() {
    if (reader_meta_)
        reader_meta_->release();
}

bool msg_queue::read(message& out) {
    // `out` usually holds the previous frame of this pipe, with the same metadata: keep that
    // reference instead of dropping one and taking another (no atomics per frame).
    metadata* held = message_metadata::take(out);
    for (;;) {
        if (local_pos_ == local_.size() && !refill()) {
            message_metadata::give(out, held);
            return false;
        }
        out = std::move(local_[local_pos_++]);
        if (!message_metadata::is_marker(out))
            break;
        // A new connection starts here; the marker is part of its first message, so a real
        // frame always follows.
        if (reader_meta_)
            reader_meta_->release();
        reader_meta_ = message_metadata::take(out);
    }
    if (!message_metadata::has(out) && reader_meta_) {
        if (held != reader_meta_)
            reader_meta_->add_ref();
        else
            held = nullptr;
        message_metadata::give(out, reader_meta_);
    }
    if (held)
        held->release();
    if (!out.more())
        after_read_message();
    return true;
}

bool msg_queue::readable() { return local_pos_ < local_.size() || refill(); }

void msg_queue::after_read_message() noexcept {
    const auto consumed = read_.fetch_add(1) + 1;
    if (!writer_sleeping_.load())
        return;
    const auto written = written_.load(std::memory_order_acquire);
    if (static_cast<std::int64_t>(written - consumed) > lwm_.load(std::memory_order_relaxed))
        return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (writer_sleeping_.exchange(false) && writer_waker_)
        writer_waker_->wake();
}

std::size_t msg_queue::discard_all() {
    std::size_t n = 0;
    message m;
    while (read(m))
        ++n;
    return n;
}

void msg_queue::set_reader_waker(waker* w) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    reader_waker_ = w;
}

void msg_queue::set_writer_waker(waker* w) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    writer_waker_ = w;
}

void msg_queue::notify_closed_to_reader() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    reader_sleeping_ = false;
    if (reader_waker_)
        reader_waker_->peer_closed();
}

void msg_queue::notify_closed_to_writer() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    writer_sleeping_.store(false);
    if (writer_waker_)
        writer_waker_->peer_closed();
}

} // namespace zmtp::detail
