// signaler: blocking waits, and the eventfd behind ZMQ_FD.
#include "core/signaler.hpp"

#include <sys/eventfd.h>
#include <unistd.h>


namespace zmtp::detail {

signaler::~signaler() {
    if (fd_ >= 0)
        ::close(fd_);
}

bool signaler::wait_for_change(std::uint64_t seen, bool forever, clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    waiters_.fetch_add(1);
    bool changed = true;
    auto moved = [&] { return generation_.load() != seen; };
    if (forever)
        cv_.wait(lock, moved);
    else
        changed = cv_.wait_until(lock, deadline, moved);
    waiters_.fetch_sub(1);
    return changed;
}

int signaler::fd() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fd_ < 0) {
        const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd >= 0) {
            fd_.store(fd, std::memory_order_release);
            signal_fd(); // state may have changed before anyone watched: look once
        }
    }
    return fd_;
}

void signaler::signal_fd() noexcept {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(fd_.load(std::memory_order_acquire), &one, sizeof one);
}

void signaler::drain_fd() noexcept {
    const int fd = fd_.load(std::memory_order_acquire);
    if (fd < 0)
        return;
    std::uint64_t value;
    [[maybe_unused]] auto n = ::read(fd, &value, sizeof value);
}

} // namespace zmtp::detail
