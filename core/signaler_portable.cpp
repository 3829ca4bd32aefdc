// signaler, POSIX fallback (ZMTP_PORTABLE_WAIT; chosen by default off Linux): blocking waits in
// poll(2) on a pipe instead of a futex, and a pipe instead of the eventfd behind ZMQ_FD.
// Nothing here beyond POSIX.1-2008: pipe, fcntl, poll, read, write.
//
// Waits. A waiter registers (waiters_), empties its pipe, checks the generation and only then
// polls. A waker bumps the generation and, when it sees a registered waiter, writes one octet:
// either the waiter's check sees the new generation, or the octet is written after its drain
// and poll returns (both sides are sequentially consistent, as with the futex). A waiter that
// leaves while others remain writes an octet for them, so one octet wakes them all in turn.
// poll(2) returns EINTR when a signal handler ran (with or without SA_RESTART), which is
// reported as `interrupted`, as the futex wait does.
#include "core/signaler.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

namespace zmtp::detail {

namespace {

// A non-blocking, close-on-exec pipe; false (and fds untouched) on failure.
bool make_pipe(int fds[2]) noexcept {
    int p[2];
    if (::pipe(p) != 0)
        return false;
    for (int fd : p) {
        const int fl = ::fcntl(fd, F_GETFL);
        if (fl < 0 || ::fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
            ::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
            ::close(p[0]);
            ::close(p[1]);
            return false;
        }
    }
    fds[0] = p[0];
    fds[1] = p[1];
    return true;
}

void write_octet(int fd) noexcept {
    const char one = 1;
    // A full pipe is readable already: EAGAIN loses nothing.
    [[maybe_unused]] auto n = ::write(fd, &one, 1);
}

void drain(int fd) noexcept {
    char buf[64];
    while (::read(fd, buf, sizeof buf) > 0) {
    }
}

} // namespace

signaler::~signaler() {
    for (int fd : {fd_.load(), fd_write_, wait_read_.load(), wait_write_.load()})
        if (fd >= 0)
            ::close(fd);
}

void signaler::wake_waiters() noexcept {
    const int fd = wait_write_.load(std::memory_order_acquire);
    if (fd >= 0)
        write_octet(fd);
}

signaler::wait_result signaler::wait_for_change(std::uint32_t seen, bool forever,
                                                clock::time_point deadline) {
    if (wait_read_.load(std::memory_order_acquire) < 0) {
        std::lock_guard<std::mutex> lock(fd_mutex_);
        int fds[2];
        if (wait_read_.load() < 0 && make_pipe(fds)) {
            wait_write_.store(fds[1], std::memory_order_release);
            wait_read_.store(fds[0], std::memory_order_release);
        }
    }
    // Without a pipe (out of descriptors) the wait degrades to polling the generation every
    // millisecond: still correct, still interruptible.
    const int rd = wait_read_.load(std::memory_order_acquire);
    waiters_.fetch_add(1);
    wait_result result = wait_result::changed;
    for (;;) {
        if (rd >= 0)
            drain(rd);
        if (generation_.load() != seen)
            break;
        int timeout_ms = -1;
        if (!forever) {
            const auto left = deadline - clock::now();
            if (left <= clock::duration::zero()) {
                result = wait_result::timed_out;
                break;
            }
            // Rounded up: waking early would only loop back here.
            const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
            timeout_ms = ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
        }
        if (rd < 0)
            timeout_ms = timeout_ms < 0 || timeout_ms > 1 ? 1 : timeout_ms;
        pollfd p{rd, POLLIN, 0};
        if (::poll(&p, rd >= 0 ? 1 : 0, timeout_ms) < 0 && errno == EINTR &&
            generation_.load() == seen) {
            result = wait_result::interrupted;
            break;
        }
    }
    // Others still waiting may have had their octet taken by our drain: pass one on.
    if (waiters_.fetch_sub(1) > 1 && rd >= 0)
        write_octet(wait_write_.load(std::memory_order_acquire));
    return result;
}

int signaler::fd() {
    std::lock_guard<std::mutex> lock(fd_mutex_);
    if (fd_ < 0) {
        int fds[2];
        if (make_pipe(fds)) {
            fd_write_ = fds[1];
            fd_.store(fds[0], std::memory_order_release);
            signal_fd(); // state may have changed before anyone watched: look once
        }
    }
    return fd_;
}

void signaler::signal_fd() noexcept {
    // fd_ is published after fd_write_ (release), and wake() reads fd_ (acquire) first.
    write_octet(fd_write_);
}

void signaler::drain_fd() noexcept {
    const int fd = fd_.load(std::memory_order_acquire);
    if (fd >= 0)
        drain(fd);
}

} // namespace zmtp::detail
