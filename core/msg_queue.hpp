// One direction of a pipe: a single-producer, single-consumer FIFO of frames in which only
// whole messages are visible to the reader and the high-water mark counts whole messages.
#pragma once

#include "core/queue_count.hpp"
#include "core/waker.hpp"
#include "zmtp/message.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace zmtp::detail {

class metadata;

/// A bounded queue of whole messages between one writer thread and one reader thread.
/// Lock-free on the data path: frames live in a list of fixed-size chunks; the writer
/// publishes with one atomic add per flush and the reader pays one atomic add per message (its
/// consumed count, which the writer reads only when it thinks the queue is full). The mutex
/// is taken only to wake a sleeping side and to change wakers.
class msg_queue {
public:
    /// `hwm` whole messages at most; 0 means no limit.
    explicit msg_queue(std::int64_t hwm = 0);
    ~msg_queue();
    msg_queue(const msg_queue&) = delete;
    msg_queue& operator=(const msg_queue&) = delete;

    void set_hwm(std::int64_t hwm) noexcept;
    /// ZMQ_CONFLATE: from now on the queue keeps only the last message, and of a multipart
    /// message only its last part (libzmq's zmq_setsockopt(3)); the HWM no longer applies and
    /// the writer never waits. Call before either side uses the queue.
    void set_conflate() noexcept { conflate_ = true; }
    std::int64_t hwm() const noexcept {
        return static_cast<std::int64_t>(hwm_.load(std::memory_order_relaxed));
    }

    // ---- writer side ----
    /// True if a new message may start. When false, the writer waker fires once the reader
    /// has drained the queue down to the low-water mark.
    bool writable() noexcept;
    /// Appends a frame (throws std::bad_alloc when a new chunk cannot be had). Frames are
    /// staged; a message becomes visible to the reader when its last frame is written (or,
    /// with `publish` false, at the next flush()), and counts against the HWM from its last
    /// frame on. Deferring lets an engine publish everything one read decoded at once.
    void write(message&& frame, bool publish = true);
    /// Publishes the complete messages staged by deferred writes.
    void flush() noexcept;
    /// Drops the staged frames of an unfinished message (its writer went away); complete
    /// messages still staged are published.
    void rollback() noexcept;
    /// True while frames of an unfinished message are staged.
    bool mid_message() const noexcept { return w_frames_ > w_complete_frames_; }

    // ---- reader side ----
    /// Pops the next frame; false when nothing is readable, and then the reader waker fires
    /// when the next message is published. The frame carries the metadata of the connection
    /// that wrote it (see message_metadata::marker), unless it already has its own.
    bool read(message& out);
    /// True if read() would succeed (arms the reader waker when it would not).
    bool readable() noexcept {
        if (conflate_)
            return conflate_readable();
        return count_diff(r_visible_, r_frames_) != 0 || refresh();
    }
    /// Whole messages written and not yet read (approximate while both sides run).
    std::int64_t queued() const noexcept {
        if (conflate_)
            return conflate_has_msg_.load(std::memory_order_acquire) ? 1 : 0;
        // Consumed first: written_ only grows and never trails it, so the difference is
        // never negative (count_diff would turn a negative one into a huge count).
        const queue_count consumed = consumed_.load(std::memory_order_acquire) >> 1;
        return static_cast<std::int64_t>(
            count_diff(written_.load(std::memory_order_acquire), consumed));
    }
    /// Reader side: from now on a message read keeps its place under the HWM until
    /// release_reads(), so what the reader holds (an engine's write batch) counts as queued.
    void hold_reads() noexcept { hold_reads_ = true; }
    /// Gives the writer back the places of the messages read since the last call.
    void release_reads() noexcept;
    /// Drops everything readable; returns the number of frames dropped.
    std::size_t discard_all();
    /// Tests only, before either side uses the queue: every counter starts at `start`, so a
    /// test can run the queue across the counters' wrap-around (see queue_count.hpp).
    void start_counts_at(queue_count start) noexcept;

    /// Who to tell; null to stop notifications. Safe against a concurrent wake.
    void set_reader_waker(waker* w) noexcept;
    void set_writer_waker(waker* w) noexcept;
    /// Wakes both sides' wakers, with peer_closed() (used when a pipe end closes).
    void notify_closed_to_reader() noexcept;
    void notify_closed_to_writer() noexcept;

private:
    /// What the list is made of: a chunk, or head_ (a link with no frames, so a queue that
    /// never carried a message holds no chunk).
    struct chunk;
    struct link {
        chunk* next = nullptr; // set by the writer before the frames after it are published
    };
    static constexpr std::size_t chunk_frames = 64;
    static chunk* frames_of(link* l) noexcept;

    bool refresh() noexcept;
    bool next_frame(message& out) noexcept;
    void after_read_message() noexcept;
    void credit_writer(queue_count messages) noexcept;
    void advance_writer();
    void recycle(chunk* done) noexcept;
    // The conflate mode (msg_queue_conflate.cpp): one slot under the mutex.
    void conflate_write(message&& frame);
    bool conflate_take(message& out) noexcept;
    bool conflate_readable() noexcept;

    // Shared, written by the writer: frames published (<< 1) | "reader asleep" bit, and
    // whole messages published.
    alignas(64) std::atomic<queue_count> published_{0};
    std::atomic<queue_count> written_{0};
    std::atomic<chunk*> spare_{nullptr}; // one finished chunk kept for reuse
    // Shared, written by the reader: messages consumed (<< 1) | "writer asleep" bit.
    alignas(64) std::atomic<queue_count> consumed_{0};

    // Writer-owned. Every position starts at the end of head_, so the first write links
    // the first chunk as the writer links any other.
    alignas(64) link* w_chunk_;          // where the next frame goes...
    std::size_t w_pos_ = chunk_frames;   // ...at this index
    link* c_chunk_;                      // end of the last complete message: the rollback
    std::size_t c_pos_ = chunk_frames;   // point
    queue_count w_frames_ = 0;          // frames written, staged ones included
    queue_count w_complete_frames_ = 0; // frames of complete messages
    queue_count w_published_frames_ = 0;
    queue_count w_messages_ = 0;      // complete messages written (published or staged)
    queue_count w_seen_consumed_ = 0; // last consumed count the writer read

    // Reader-owned.
    alignas(64) link* r_chunk_;
    std::size_t r_pos_ = chunk_frames;
    queue_count r_frames_ = 0;        // frames read
    queue_count r_visible_ = 0;       // frames known to be published
    metadata* reader_meta_ = nullptr; // metadata of the frames being read
    bool hold_reads_ = false;         // see hold_reads()
    queue_count r_held_ = 0;          // messages read whose places are not yet given back

    // Settings and the slow path.
    link head_; // see link; its next is written by the writer only
    std::atomic<queue_count> hwm_{0}; // may change after connect (C-HWM-6); at most count_mask
    std::atomic<queue_count> lwm_{0};
    std::mutex mutex_;
    waker* reader_waker_ = nullptr; // guarded
    waker* writer_waker_ = nullptr; // guarded

    // Conflate mode: the last message (and a marker that came before it), guarded.
    bool conflate_ = false;
    message conflate_marker_;
    message conflate_msg_;
    bool conflate_has_marker_ = false;
    std::atomic<bool> conflate_has_msg_{false};
    bool conflate_reader_asleep_ = false;
};

} // namespace zmtp::detail
