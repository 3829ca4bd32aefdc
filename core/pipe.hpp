// A pipe joins two parties (socket and engine, or two sockets over inproc) with one msg_queue
// per direction. Each party holds a pipe_end; either end may close, and the other end sees it
// after draining what was queued before the close (nothing accepted is lost).
#pragma once

#include "core/msg_queue.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

namespace zmtp::detail {

class pipe;

/// Why an end was closed: a normal close, or the socket refused the pipe (PAIR already has a
/// peer), which tells a stream engine to keep the connection open but ignore it (libzmq), or
/// the socket dropped a peer that broke a limit (a PUB's cap on one subscriber's topics),
/// which the engine treats as a protocol error.
enum class close_reason : std::uint8_t { normal, rejected, dropped };

/// One party's view of a pipe. Cheap to copy; compares by identity.
class pipe_end {
public:
    pipe_end() = default;

    /// A new pipe whose end 0 belongs to a socket with these HWMs: `snd` bounds what end 0
    /// writes, `rcv` what end 1 writes. End 1 (an engine) has no say; an inproc peer socket
    /// adds its own limits with join_as_socket().
    static std::pair<pipe_end, pipe_end> make_pair(std::int64_t snd, std::int64_t rcv);

    explicit operator bool() const noexcept { return pipe_ != nullptr; }
    bool operator==(const pipe_end& o) const noexcept {
        return pipe_ == o.pipe_ && side_ == o.side_;
    }
    bool operator!=(const pipe_end& o) const noexcept { return !(*this == o); }

    bool writable() noexcept;
    /// See msg_queue::write: `publish` false defers visibility to flush().
    void write(message&& frame, bool publish = true);
    void flush();
    bool read(message& out);
    bool readable();
    /// Drops staged frames of a message this end did not finish.
    void rollback() noexcept;
    bool mid_message() const noexcept;
    /// Whole messages this end wrote that the other end has not read yet.
    std::int64_t queued_out() const noexcept;
    /// See msg_queue::hold_reads / release_reads (for what this end reads).
    void hold_reads() noexcept;
    void release_reads() noexcept;
    /// Drops whatever this end could still read.
    void discard_inbound();

    /// Who this end notifies about readable/writable/peer-closed; null detaches.
    void set_waker(waker* w) noexcept;
    /// Closes this end: detaches its waker, tells the other end. Idempotent.
    void close(close_reason why = close_reason::normal, int linger_ms = -1) noexcept;
    bool closed() const noexcept;
    bool peer_closed() const noexcept;
    /// True once the peer closed and everything it wrote has been read.
    bool drained() { return peer_closed() && !readable(); }
    close_reason peer_close_reason() const noexcept;
    /// LINGER (ms) the other end gave when it closed: -1 forever, 0 none.
    int peer_linger() const noexcept;
    /// The other end's view of the same pipe.
    pipe_end peer() const noexcept { return pipe_end(pipe_, 1 - side_); }

    /// ZMQ_CONFLATE for what this end reads / writes; only on a pipe neither side used yet.
    void set_conflate(bool inbound, bool outbound) noexcept;

    /// This end's socket changed ZMQ_SNDHWM: the limit of what it writes follows (C-HWM-6).
    void set_send_hwm(std::int64_t snd) noexcept;
    /// This end's socket changed ZMQ_RCVHWM: the limit of what it reads follows.
    void set_recv_hwm(std::int64_t rcv) noexcept;
    /// This end is taken by a socket too (inproc): each direction's limit becomes the
    /// writer's SNDHWM plus the reader's RCVHWM, 0 on either side = no limit (C-HWM-4).
    void join_as_socket(std::int64_t snd, std::int64_t rcv) noexcept;

private:
    pipe_end(std::shared_ptr<pipe> p, int side) : pipe_(std::move(p)), side_(side) {}
    msg_queue& out() const noexcept;
    msg_queue& in() const noexcept;

    std::shared_ptr<pipe> pipe_;
    int side_ = 0;
};

/// The shared state behind two pipe_ends.
class pipe {
public:
    pipe(std::int64_t snd, std::int64_t rcv) {
        limits_[0].writer = snd;
        limits_[1].reader = rcv;
        queues_[0].set_hwm(snd);
        queues_[1].set_hwm(rcv);
    }

private:
    friend class pipe_end;
    /// What each party asks of one direction; -1: that party has no say (an engine).
    struct limit_parts {
        std::int64_t writer = -1;
        std::int64_t reader = -1;
    };
    /// Changes one party's part of direction `q` and applies the combined limit.
    void set_part(int q, bool writer, std::int64_t value) noexcept;

    msg_queue queues_[2];     // queues_[s] is written by side s
    std::mutex limits_mutex_; // the two sockets of an inproc pipe may change theirs at once
    limit_parts limits_[2];   // guarded
    std::atomic<bool> closed_[2] = {false, false};
    std::atomic<close_reason> reason_[2] = {close_reason::normal, close_reason::normal};
    std::atomic<int> linger_[2] = {-1, -1};
};

} // namespace zmtp::detail
