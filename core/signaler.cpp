// signaler: blocking waits on a futex, and the eventfd behind ZMQ_FD (Linux; the default).
// signaler_portable.cpp is the POSIX fallback (CMake -DZMTP_PORTABLE_WAIT=ON).
#include "core/signaler.hpp"

#include <linux/futex.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <ctime>

namespace zmtp::detail {

namespace {
static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t),
              "the futex word must be a plain 32-bit integer");

std::uint32_t* futex_word(std::atomic<std::uint32_t>& a) noexcept {
    return reinterpret_cast<std::uint32_t*>(&a);
}
} // namespace

signaler::~signaler() {
    if (fd_ >= 0)
        ::close(fd_);
    // The portable backend's descriptors (signaler_portable.cpp) stay -1 here.
    (void)fd_write_;
    (void)wait_read_;
    (void)wait_write_;
}

void signaler::wake_waiters() noexcept {
    ::syscall(SYS_futex, futex_word(generation_), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr,
              0);
}

signaler::wait_result signaler::wait_for_change(std::uint32_t seen, bool forever,
                                                clock::time_point deadline) {
    waiters_.fetch_add(1);
    wait_result result = wait_result::changed;
    while (generation_.load() == seen) {
        timespec rel{};
        if (!forever) {
            const auto left = deadline - clock::now();
            if (left <= clock::duration::zero()) {
                result = wait_result::timed_out;
                break;
            }
            const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
            rel.tv_sec = static_cast<time_t>(ns / 1000000000);
            rel.tv_nsec = static_cast<long>(ns % 1000000000);
        }
        // Sleeps only if the word still equals `seen`; EAGAIN and ETIMEDOUT come back here to
        // look again. EINTR means a signal handler ran (one installed without SA_RESTART; with
        // it the kernel restarts the wait): hand that to the caller, so Ctrl-C can stop a
        // blocked recv.
        if (::syscall(SYS_futex, futex_word(generation_), FUTEX_WAIT_PRIVATE, seen,
                      forever ? nullptr : &rel, nullptr, 0) != 0 &&
            errno == EINTR && generation_.load() == seen) {
            result = wait_result::interrupted;
            break;
        }
    }
    waiters_.fetch_sub(1);
    return result;
}

int signaler::fd() {
    std::lock_guard<std::mutex> lock(fd_mutex_);
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
