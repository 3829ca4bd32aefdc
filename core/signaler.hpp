// signaler: how I/O threads and peer sockets wake an application thread blocked in a socket
// call. A generation counter makes "check, then wait" race-free: take generation(), try the
// operation, then wait_for_change() returns as soon as anything woke the socket since.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace zmtp::detail {

class signaler {
public:
    using clock = std::chrono::steady_clock;

    signaler() = default;
    ~signaler();
    signaler(const signaler&) = delete;
    signaler& operator=(const signaler&) = delete;

    /// A descriptor that turns readable on every wake (ZMQ_FD), made on first use; -1 on
    /// error. An eventfd, or with ZMTP_PORTABLE_WAIT the read end of a pipe.
    int fd();
    /// Empties the eventfd (done when the application reads ZMQ_EVENTS).
    void drain_fd() noexcept;
    /// Makes the ZMQ_FD descriptor readable again (if it exists) without waking anyone.
    void raise_fd() noexcept {
        if (fd_.load(std::memory_order_acquire) >= 0)
            signal_fd();
    }

    std::uint32_t generation() const noexcept { return generation_.load(); }

    /// Bumps the generation and wakes waiters: lock-free, one futex wake (or pipe write) only
    /// when a thread is blocked (plus an eventfd write while ZMQ_FD is in use); safe from any
    /// thread.
    void wake() noexcept {
        generation_.fetch_add(1);
        if (fd_.load(std::memory_order_acquire) >= 0)
            signal_fd();
        // seq_cst pairs with wait_for_change: either the waiter sees the new generation, or
        // we see it registered and wake it; the kernel re-checks the word before sleeping.
        if (waiters_.load() != 0)
            wake_waiters();
    }

    enum class wait_result { changed, timed_out, interrupted };
    /// Waits until the generation differs from `seen` or `deadline` passes (none if
    /// `forever`), or a signal handler ran on this thread (`interrupted`: the caller reports
    /// EINTR, as libzmq's blocking calls do). Sleeps on the generation word itself (a futex),
    /// so a wake costs one system call and the woken thread takes no lock. (A spin before
    /// blocking was measured and made things worse on this 2-core machine, so there is none.)
    /// With ZMTP_PORTABLE_WAIT it sleeps in poll(2) on a pipe instead (signaler_portable.cpp).
    wait_result wait_for_change(std::uint32_t seen, bool forever, clock::time_point deadline);

private:
    void signal_fd() noexcept;
    void wake_waiters() noexcept;

    std::atomic<std::uint32_t> generation_{0}; // 32 bits: the futex word
    std::atomic<int> waiters_{0};
    std::atomic<int> fd_{-1};
    std::mutex fd_mutex_; // creating the eventfd (or pipes)
    // Used by the portable backend only (ZMTP_PORTABLE_WAIT; -1 otherwise): the write end of
    // the ZMQ_FD pipe, and the pipe a blocked waiter polls.
    int fd_write_ = -1;
    std::atomic<int> wait_read_{-1};
    std::atomic<int> wait_write_{-1};
};

} // namespace zmtp::detail
