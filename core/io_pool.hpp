// io_pool: N threads, each running its own asio::io_context. An engine and its timers live on
// one of them for their whole life, so engine code needs no locks or strands.
#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include "zmtp/context.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace zmtp::detail {

class io_pool {
public:
    /// Starts `threads` threads set up as `settings` says; throws std::system_error when a
    /// thread cannot apply them (nothing is left running then).
    io_pool(int threads, const io_thread_settings& settings);
    ~io_pool() { stop(); }
    io_pool(const io_pool&) = delete;
    io_pool& operator=(const io_pool&) = delete;

    /// The next I/O context, round-robin.
    asio::io_context& next() noexcept;
    /// The next one among those whose bit is set in `affinity` (bit i = thread i; 0 = any),
    /// as ZMQ_AFFINITY picks them; null if the mask names no existing thread.
    asio::io_context* next(std::uint64_t affinity) noexcept;
    /// Stops every context and joins the threads (pending handlers are destroyed later, with
    /// the pool).
    void stop() noexcept;

private:
    using guard = asio::executor_work_guard<asio::io_context::executor_type>;
    std::vector<std::unique_ptr<asio::io_context>> contexts_;
    std::vector<guard> guards_;
    std::vector<std::thread> threads_;
    std::atomic<std::size_t> next_{0};
};

} // namespace zmtp::detail
