// monitor_channel: an ordered queue of events, drained by one thread at a time outside the
// lock (the thread that finds nobody draining becomes the drainer until the queue is empty).
#include "core/monitor_channel.hpp"

namespace zmtp::detail {

void monitor_channel::set(monitor_fn fn, std::uint32_t mask) {
    std::shared_ptr<const monitor_fn> next;
    if (fn)
        next = std::make_shared<const monitor_fn>(std::move(fn));
    std::unique_lock<std::mutex> lock(mutex_);
    auto old = std::move(fn_);
    fn_ = std::move(next);
    mask_ = fn_ ? mask : 0;
    if (old) // always reported (the C API's sink filters by its mask)
        queue_.push_back({std::move(old), socket_event::monitor_stopped, 0, {}});
    drain(lock, true);
}

void monitor_channel::emit(socket_event event, std::uint32_t value,
                           const std::string& endpoint) noexcept {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!fn_ || (mask_ & static_cast<std::uint32_t>(event)) == 0)
        return;
    try {
        queue_.push_back({fn_, event, value, endpoint});
    } catch (...) {
        return; // no memory for the event: it is lost, the caller (an I/O handler) carries on
    }
    drain(lock, false);
}

void monitor_channel::drain(std::unique_lock<std::mutex>& lock, bool wait) {
    const auto me = std::this_thread::get_id();
    if (draining_) {
        // Another thread delivers in order; a callback on this thread (re-entry) cannot wait.
        if (wait && drainer_ != me)
            idle_.wait(lock, [&] { return !draining_ && queue_.empty(); });
        return;
    }
    draining_ = true;
    drainer_ = me;
    while (!queue_.empty()) {
        item it = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        try {
            (*it.fn)(it.event, it.value, it.endpoint);
        } catch (...) {
            // A throwing callback loses that event only; the I/O thread carries on.
        }
        it.fn.reset(); // a replaced callback is destroyed outside the lock too
        lock.lock();
    }
    draining_ = false;
    drainer_ = {};
    idle_.notify_all();
}

} // namespace zmtp::detail
