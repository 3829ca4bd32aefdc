// monitor_channel: delivers a socket's monitor events to its callback, in order, with no lock
// held while the callback runs (a callback may call into its socket; a slow one delays only
// the thread that happens to be delivering). monitor_lease: what the socket and each of its
// endpoints hold; when the last lease goes (socket closed, every listener, session and engine
// gone) the callback gets MONITOR_STOPPED, so it comes after their last event, as in libzmq.
#pragma once

#include "zmtp/monitor.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace zmtp::detail {

class monitor_channel {
public:
    monitor_channel() = default;
    monitor_channel(const monitor_channel&) = delete;
    monitor_channel& operator=(const monitor_channel&) = delete;

    /// Installs `fn` (empty: none). A callback it replaces gets MONITOR_STOPPED, delivered
    /// before this returns (unless called from inside a callback, which cannot wait for
    /// itself).
    void set(monitor_fn fn, std::uint32_t mask);
    /// Reports an event if a callback wants it. Any thread; never throws.
    void emit(socket_event event, std::uint32_t value, const std::string& endpoint) noexcept;

private:
    struct item {
        std::shared_ptr<const monitor_fn> fn;
        socket_event event;
        std::uint32_t value;
        std::string endpoint;
    };
    /// Delivers queued items unless another thread is already doing it; with `wait`, returns
    /// only once the queue is empty (items queued by this thread included).
    void drain(std::unique_lock<std::mutex>& lock, bool wait);

    std::mutex mutex_;
    std::condition_variable idle_;
    std::shared_ptr<const monitor_fn> fn_; // guarded
    std::uint32_t mask_ = 0;               // guarded
    std::deque<item> queue_;               // guarded
    bool draining_ = false;                // guarded
    std::thread::id drainer_;              // guarded
};

/// A share in a socket's monitor; the last one released stops the monitor.
class monitor_lease {
public:
    explicit monitor_lease(std::shared_ptr<monitor_channel> ch) : channel_(std::move(ch)) {}
    ~monitor_lease() { channel_->set({}, 0); }
    monitor_lease(const monitor_lease&) = delete;
    monitor_lease& operator=(const monitor_lease&) = delete;
    void emit(socket_event event, std::uint32_t value, const std::string& endpoint) noexcept {
        channel_->emit(event, value, endpoint);
    }

private:
    std::shared_ptr<monitor_channel> channel_;
};

} // namespace zmtp::detail
