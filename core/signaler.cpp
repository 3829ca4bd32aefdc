// signaler: the eventfd behind ZMQ_FD.
#include "core/signaler.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace zmtp::detail {

signaler::~signaler() {
    if (fd_ >= 0)
        ::close(fd_);
}

int signaler::fd() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fd_ < 0) {
        fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd_ >= 0)
            signal_fd(); // state may have changed before anyone watched: look once
    }
    return fd_;
}

void signaler::signal_fd() noexcept {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
}

void signaler::drain_fd() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fd_ < 0)
        return;
    std::uint64_t value;
    [[maybe_unused]] auto n = ::read(fd_, &value, sizeof value);
}

} // namespace zmtp::detail
