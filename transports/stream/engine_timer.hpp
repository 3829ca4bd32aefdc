// engine_timer: the one-shot timers of the stream engine and session (handshake, linger,
// heartbeats, reconnect). In production an asio::steady_timer; in unit tests the waits are
// kept by a virtual_clock that the test advances, so timeouts of seconds run in microseconds
// and in a fixed order. The virtual clock never touches Asio's reactor (whose timerfd would
// only re-check deadlines in real time): advance() itself posts the expired waits and runs the
// io_context until it is idle.
#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace zmtp::detail {

/// Test-driven time for engine_timers (testing seam, see tests/engine).
class virtual_clock {
public:
    using wait_handler = std::function<void(std::error_code)>;
    explicit virtual_clock(asio::io_context& io) : io_(io) {}
    virtual_clock(const virtual_clock&) = delete;
    virtual_clock& operator=(const virtual_clock&) = delete;

    std::chrono::milliseconds now() const noexcept { return now_; }
    /// Moves time forward by `d`, one deadline at a time: each expired wait is completed and
    /// the io_context run until idle before time moves on, so a handler that re-arms a timer
    /// inside the interval sees that deadline fire too.
    void advance(std::chrono::milliseconds d);
    /// Runs the io_context until no handler is ready (time stands still).
    void run_ready();
    /// Waits not yet completed.
    std::size_t pending() const noexcept { return waits_.size(); }
    /// The earliest pending deadline, or -1 ms when none is pending.
    std::chrono::milliseconds next_deadline() const noexcept;

    // For engine_timer.
    std::uint64_t schedule(std::chrono::milliseconds at, wait_handler h);
    /// Completes the wait with operation_aborted (posted); false if it already completed.
    bool cancel(std::uint64_t id);

private:
    asio::io_context& io_;
    std::chrono::milliseconds now_{0};
    std::uint64_t next_id_ = 1;
    struct wait {
        std::chrono::milliseconds at;
        wait_handler handler;
    };
    std::map<std::uint64_t, wait> waits_; ///< by id: equal deadlines fire in arming order
};

class engine_timer {
public:
    /// `clock` null: a real steady_timer (production).
    explicit engine_timer(asio::io_context& io, virtual_clock* clock = nullptr)
        : timer_(io), clock_(clock) {}

    /// As steady_timer: cancels the waits in progress.
    void expires_after(std::chrono::milliseconds d) {
        if (!clock_) {
            timer_.expires_after(d);
            return;
        }
        cancel();
        expiry_ = clock_->now() + d;
    }

    template <typename Handler>
    void async_wait(Handler&& handler) {
        if (!clock_) {
            timer_.async_wait(std::forward<Handler>(handler));
            return;
        }
        auto h = std::make_shared<std::decay_t<Handler>>(std::forward<Handler>(handler));
        waits_.push_back(clock_->schedule(expiry_, [h](std::error_code ec) { (*h)(ec); }));
    }

    std::size_t cancel() {
        if (!clock_)
            return timer_.cancel();
        std::size_t n = 0;
        for (auto id : waits_)
            n += clock_->cancel(id) ? 1 : 0;
        waits_.clear();
        return n;
    }

private:
    asio::steady_timer timer_;
    virtual_clock* clock_;
    std::chrono::milliseconds expiry_{0};
    std::vector<std::uint64_t> waits_; ///< virtual waits of this timer (ids in clock_)
};

} // namespace zmtp::detail
