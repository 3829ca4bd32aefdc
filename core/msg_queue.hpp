// One direction of a pipe: a single-producer, single-consumer FIFO of frames in which only
// whole messages are visible to the reader and the high-water mark counts whole messages.
#pragma once

#include "core/waker.hpp"
#include "zmtp/message.hpp"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace zmtp::detail {

class metadata;

/// A bounded queue of whole messages between one writer thread and one reader thread.
/// The writer takes the lock once per message; the reader once per batch (it swaps the whole
/// shared vector out), so a busy pipe costs about one uncontended lock per message.
class msg_queue {
public:
    /// `hwm` whole messages at most; 0 means no limit.
    explicit msg_queue(std::int64_t hwm = 0) { set_hwm(hwm); }
    ~msg_queue();
    msg_queue(const msg_queue&) = delete;
    msg_queue& operator=(const msg_queue&) = delete;

    void set_hwm(std::int64_t hwm) noexcept;
    std::int64_t hwm() const noexcept { return hwm_.load(std::memory_order_relaxed); }

    // ---- writer side ----
    /// True if a new message may start. When false, the writer waker fires once the reader
    /// has drained the queue down to the low-water mark.
    bool writable() noexcept;
    /// Appends a frame. Frames are staged; a message becomes visible to the reader when its
    /// last frame is written (or, with `publish` false, at the next flush()), and counts
    /// against the HWM from its last frame on. Deferring lets an engine publish everything one
    /// read decoded under a single lock.
    void write(message&& frame, bool publish = true);
    /// Publishes the complete messages staged by deferred writes.
    void flush();
    /// Drops the staged frames of an unfinished message (its writer went away); complete
    /// messages still staged are published.
    void rollback() noexcept;
    /// True while frames of an unfinished message are staged.
    bool mid_message() const noexcept { return staged_.size() > staged_complete_; }

    // ---- reader side ----
    /// Pops the next frame; false when nothing is readable, and then the reader waker fires
    /// when the next message is published. The frame carries the metadata of the connection
    /// that wrote it (see message_metadata::marker), unless it already has its own.
    bool read(message& out);
    /// True if read() would succeed (arms the reader waker when it would not).
    bool readable();
    /// Whole messages written and not yet read (approximate while both sides run).
    std::int64_t queued() const noexcept {
        return static_cast<std::int64_t>(written_.load(std::memory_order_acquire) -
                                         read_.load(std::memory_order_acquire));
    }
    /// Drops everything readable; returns the number of frames dropped.
    std::size_t discard_all();

    /// Who to tell; null to stop notifications. Safe against a concurrent wake.
    void set_reader_waker(waker* w) noexcept;
    void set_writer_waker(waker* w) noexcept;
    /// Wakes both sides' wakers, with peer_closed() (used when a pipe end closes).
    void notify_closed_to_reader() noexcept;
    void notify_closed_to_writer() noexcept;

private:
    bool refill() noexcept;
    void after_read_message() noexcept;

    std::mutex mutex_;
    std::vector<message> shared_;       // published frames (guarded)
    bool reader_sleeping_ = false;      // guarded: wake the reader on the next publish
    waker* reader_waker_ = nullptr;     // guarded
    waker* writer_waker_ = nullptr;     // guarded

    std::vector<message> local_;        // reader-owned batch
    std::size_t local_pos_ = 0;
    metadata* reader_meta_ = nullptr;   // reader-owned: metadata of the frames being read
    std::vector<message> staged_;       // writer-owned frames not yet published
    std::size_t staged_complete_ = 0;   // staged_[0, staged_complete_) are whole messages
    std::uint64_t staged_messages_ = 0; // whole messages among them

    std::atomic<std::uint64_t> written_{0}; // whole messages published
    std::atomic<std::uint64_t> read_{0};    // whole messages consumed
    std::atomic<bool> writer_sleeping_{false};
    std::atomic<std::int64_t> hwm_{0}; // may change after connect (C-HWM-6)
    std::atomic<std::int64_t> lwm_{0};
};

} // namespace zmtp::detail
