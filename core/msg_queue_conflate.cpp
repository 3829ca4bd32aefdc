// msg_queue in ZMQ_CONFLATE mode: a single slot that each new message overwrites. Kept apart
// from the lock-free ring because conflation is rare and simple: the writer and the reader
// meet under the queue's mutex, and the reader is woken when the slot fills while it sleeps.
#include "core/metadata.hpp"
#include "core/msg_queue.hpp"

#include <utility>

namespace zmtp::detail {

void msg_queue::conflate_write(message&& frame) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (message_metadata::is_marker(frame)) {
        // A new connection's metadata: handed to the reader before the message after it.
        conflate_marker_ = std::move(frame);
        conflate_has_marker_ = true;
        return;
    }
    if (frame.more())
        return; // of a multipart message only the last part is kept, as libzmq documents
    conflate_msg_ = std::move(frame);
    conflate_has_msg_.store(true, std::memory_order_release);
    if (conflate_reader_asleep_) {
        conflate_reader_asleep_ = false;
        if (reader_waker_)
            reader_waker_->wake();
    }
}

bool msg_queue::conflate_take(message& out) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (conflate_has_marker_) {
        out = std::move(conflate_marker_);
        conflate_has_marker_ = false;
        return true;
    }
    if (conflate_has_msg_.load(std::memory_order_relaxed)) {
        out = std::move(conflate_msg_);
        conflate_has_msg_.store(false, std::memory_order_release);
        return true;
    }
    conflate_reader_asleep_ = true;
    return false;
}

bool msg_queue::conflate_readable() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (conflate_has_msg_.load(std::memory_order_relaxed))
        return true;
    conflate_reader_asleep_ = true;
    return false;
}

} // namespace zmtp::detail
