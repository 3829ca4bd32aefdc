// signaler: how I/O threads and peer sockets wake an application thread blocked in a socket
// call. A generation counter makes "check, then wait" race-free: take generation(), try the
// operation, then wait_for_change() returns as soon as anything woke the socket since.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
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

    /// An eventfd that turns readable on every wake (ZMQ_FD), made on first use; -1 on error.
    int fd();
    /// Empties the eventfd (done when the application reads ZMQ_EVENTS).
    void drain_fd() noexcept;

    std::uint64_t generation() const noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        return generation_;
    }
    /// Bumps the generation and wakes waiters. Cheap; safe from any thread.
    void wake() noexcept {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            ++generation_;
            if (fd_ >= 0)
                signal_fd();
            if (waiters_ == 0)
                return;
        }
        cv_.notify_all();
    }
    /// Waits until the generation differs from `seen` or `deadline` passes (none if
    /// `forever`). Returns false on timeout.
    bool wait_for_change(std::uint64_t seen, bool forever, clock::time_point deadline) {
        std::unique_lock<std::mutex> lock(mutex_);
        ++waiters_;
        bool changed = true;
        if (forever)
            cv_.wait(lock, [&] { return generation_ != seen; });
        else
            changed = cv_.wait_until(lock, deadline, [&] { return generation_ != seen; });
        --waiters_;
        return changed;
    }

private:
    void signal_fd() noexcept;

    int fd_ = -1; // guarded by mutex_
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::uint64_t generation_ = 0;
    int waiters_ = 0;
};

} // namespace zmtp::detail
