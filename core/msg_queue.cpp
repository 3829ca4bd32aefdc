// msg_queue: whole-message SPSC queue with HWM/LWM and sleep/wake hand-off, lock-free on the
// data path.
//
// Storage: a singly linked list of chunks of frames. The writer fills slots and links a new
// chunk (a recycled one when it can) when its chunk is full; the reader moves frames out and
// hands each finished chunk back through `spare_`. The list starts at head_, a link without
// frames whose position is already "full", so the first chunk is made by the first write (an
// idle connection's four queues hold nothing) and neither side has a first-chunk case.
//
// Publishing. published_ counts the frames the reader may take (<< 1); its low bit says the
// reader found the queue empty and went to sleep. The writer publishes with one fetch_add; if
// the bit was set it takes the mutex, clears the bit and wakes the reader. The reader sets the
// bit with a compare-exchange that only succeeds if nothing new was published, so a publish
// can never slip between "empty" and "asleep" (the same word carries both).
//
// High-water mark. consumed_ counts whole messages read (<< 1); its low bit says the writer
// found the queue full. The writer reads consumed_ only when its last reading says the queue
// is full, and sets the bit with a compare-exchange against the count it judged by; the reader
// bumps the count with fetch_add, so it sees the bit and wakes the writer at the low-water
// mark. Wakers are called with the mutex held, so set_*_waker(nullptr) returning means no call
// on the old waker is still running.
//
// Every counter is a queue_count (64 bits, or 32 where the target has no lock-free 64-bit
// atomic) and may wrap: counts are only ever compared through count_diff().
#include "core/msg_queue.hpp"

#include "core/metadata.hpp"

#include <utility>

namespace zmtp::detail {

struct msg_queue::chunk : link {
    message frames[chunk_frames];
};

// Only ever called on a position below chunk_frames, which head_ never has.
inline msg_queue::chunk* msg_queue::frames_of(link* l) noexcept {
    return static_cast<chunk*>(l);
}

namespace {
constexpr queue_count asleep = 1; // low bit of published_ / consumed_
constexpr queue_count one = 2;    // one frame / message in those counters
} // namespace

msg_queue::msg_queue(std::int64_t hwm) {
    set_hwm(hwm);
    // No chunk yet: an idle connection has four queues, and 4 KiB each was most of its memory.
    w_chunk_ = c_chunk_ = r_chunk_ = &head_;
}

msg_queue::~msg_queue() {
    for (link* c = r_chunk_; c;) {
        link* next = c->next;
        if (c != &head_)
            delete frames_of(c);
        c = next;
    }
    delete spare_.load();
    if (reader_meta_)
        reader_meta_->release();
}

void msg_queue::set_hwm(std::int64_t hwm) noexcept {
    // Beyond count_mask messages a 32-bit target would run out of memory first.
    const auto h = hwm < 0                                        ? queue_count{0}
                   : static_cast<std::uint64_t>(hwm) > count_mask ? count_mask
                                                                  : static_cast<queue_count>(hwm);
    hwm_.store(h, std::memory_order_relaxed);
    // Resume a blocked writer once about half the queue is consumed (libzmq: C-HWM-3).
    lwm_.store(h - (h + 1) / 2, std::memory_order_relaxed);
    // A writer asleep at the old limit looks again (it goes back to sleep if still full):
    // raising the HWM after connect lets more through at once (C-HWM-6).
    if ((consumed_.load(std::memory_order_acquire) & asleep) == 0)
        return;
    std::lock_guard<std::mutex> lock(mutex_);
    if ((consumed_.fetch_and(~asleep, std::memory_order_acq_rel) & asleep) && writer_waker_)
        writer_waker_->wake();
}

// ---- writer side ----

bool msg_queue::writable() noexcept {
    if (conflate_)
        return true; // a new message replaces the old one
    const queue_count hwm = hwm_.load(std::memory_order_relaxed);
    if (hwm == 0)
        return true;
    // Staged (deferred) complete messages count as written.
    if (count_diff(w_messages_, w_seen_consumed_) < hwm)
        return true;
    auto c = consumed_.load(std::memory_order_acquire);
    for (;;) {
        w_seen_consumed_ = c >> 1;
        if (count_diff(w_messages_, w_seen_consumed_) < hwm)
            return true;
        if (c & asleep)
            return false;
        if (consumed_.compare_exchange_weak(c, c | asleep, std::memory_order_acq_rel,
                                            std::memory_order_acquire))
            return false;
    }
}

void msg_queue::advance_writer() {
    chunk* next = w_chunk_->next; // left linked by a rollback: reuse it
    if (!next) {
        next = spare_.exchange(nullptr, std::memory_order_acquire);
        if (next)
            next->next = nullptr;
        else
            next = new chunk;
        w_chunk_->next = next;
    }
    w_chunk_ = next;
    w_pos_ = 0;
}

void msg_queue::write(message&& frame, bool publish) {
    if (conflate_) {
        conflate_write(std::move(frame));
        return;
    }
    if (w_pos_ == chunk_frames)
        advance_writer();
    const bool last = !frame.more();
    frames_of(w_chunk_)->frames[w_pos_++] = std::move(frame);
    ++w_frames_;
    if (!last)
        return;
    w_complete_frames_ = w_frames_;
    c_chunk_ = w_chunk_;
    c_pos_ = w_pos_;
    ++w_messages_;
    if (publish)
        flush();
}

void msg_queue::rollback() noexcept {
    link* c = c_chunk_;
    std::size_t pos = c_pos_;
    for (auto i = w_complete_frames_; i < w_frames_; ++i) {
        if (pos == chunk_frames) {
            c = c->next;
            pos = 0;
        }
        frames_of(c)->frames[pos++].clear();
    }
    w_chunk_ = c_chunk_;
    w_pos_ = c_pos_;
    w_frames_ = w_complete_frames_;
    flush();
}

void msg_queue::flush() noexcept {
    const queue_count n = w_complete_frames_ - w_published_frames_;
    if (n == 0)
        return;
    w_published_frames_ = w_complete_frames_;
    // Messages first: the reader never counts more consumed than written.
    written_.store(w_messages_, std::memory_order_release);
    if ((published_.fetch_add(n * one, std::memory_order_acq_rel) & asleep) == 0)
        return;
    std::lock_guard<std::mutex> lock(mutex_);
    if ((published_.fetch_and(~asleep, std::memory_order_acq_rel) & asleep) && reader_waker_)
        reader_waker_->wake();
}

// ---- reader side ----

bool msg_queue::refresh() noexcept {
    auto p = published_.load(std::memory_order_acquire);
    for (;;) {
        if (count_diff(p >> 1, r_frames_) != 0) {
            r_visible_ = p >> 1;
            return true;
        }
        if (p & asleep)
            return false;
        if (published_.compare_exchange_weak(p, p | asleep, std::memory_order_acq_rel,
                                             std::memory_order_acquire))
            return false;
    }
}

void msg_queue::recycle(chunk* done) noexcept {
    // Keep one chunk for the writer; free the one it did not take.
    delete spare_.exchange(done, std::memory_order_acq_rel);
}

bool msg_queue::next_frame(message& out) noexcept {
    if (conflate_)
        return conflate_take(out);
    if (count_diff(r_visible_, r_frames_) == 0 && !refresh())
        return false;
    if (r_pos_ == chunk_frames) {
        link* done = r_chunk_;
        r_chunk_ = done->next;
        r_pos_ = 0;
        if (done != &head_)
            recycle(frames_of(done));
    }
    out = std::move(frames_of(r_chunk_)->frames[r_pos_++]);
    ++r_frames_;
    return true;
}

bool msg_queue::read(message& out) {
    // `out` usually holds the previous frame of this pipe, with the same metadata: keep that
    // reference instead of dropping one and taking another (no atomics per frame).
    metadata* held = message_metadata::take(out);
    for (;;) {
        if (!next_frame(out)) {
            message_metadata::give(out, held);
            return false;
        }
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

void msg_queue::after_read_message() noexcept {
    if (conflate_)
        return; // no HWM: the writer never waits
    if (hold_reads_) {
        ++r_held_;
        return;
    }
    credit_writer(1);
}

void msg_queue::release_reads() noexcept {
    if (r_held_ == 0)
        return;
    const auto n = r_held_;
    r_held_ = 0;
    credit_writer(n);
}

void msg_queue::credit_writer(queue_count messages) noexcept {
    const auto before = consumed_.fetch_add(messages * one, std::memory_order_acq_rel);
    if ((before & asleep) == 0)
        return;
    const queue_count consumed = (before >> 1) + messages;
    const queue_count written = written_.load(std::memory_order_acquire);
    // The reader never counts more consumed than written (flush() stores written_ first).
    if (count_diff(written, consumed) > lwm_.load(std::memory_order_relaxed))
        return;
    std::lock_guard<std::mutex> lock(mutex_);
    if ((consumed_.fetch_and(~asleep, std::memory_order_acq_rel) & asleep) && writer_waker_)
        writer_waker_->wake();
}

void msg_queue::start_counts_at(queue_count start) noexcept {
    published_.store(start * one, std::memory_order_relaxed);
    consumed_.store(start * one, std::memory_order_relaxed);
    written_.store(start, std::memory_order_relaxed);
    w_frames_ = w_complete_frames_ = w_published_frames_ = w_messages_ = w_seen_consumed_ = start;
    r_frames_ = r_visible_ = start;
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
    published_.fetch_and(~asleep, std::memory_order_acq_rel);
    if (reader_waker_)
        reader_waker_->peer_closed();
}

void msg_queue::notify_closed_to_writer() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    consumed_.fetch_and(~asleep, std::memory_order_acq_rel);
    if (writer_waker_)
        writer_waker_->peer_closed();
}

} // namespace zmtp::detail
