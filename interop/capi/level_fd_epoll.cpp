// The level-triggered ZMQ_FD on Linux (the default backend, level_fd_backend.hpp). The
// descriptor handed out is an epoll set of two eventfds, so poll/select/epoll on it see
// "readable" when either is:
//   - the core's ZMQ_FD, signalled on every wake-up of the socket and drained by ZMQ_EVENTS;
//   - `held`, which the C API sets while the last ZMQ_EVENTS it read had a wanted bit.
// Every ZMQ_EVENTS read first drains the core's fd, then computes the state, then sets or
// clears `held`. A change that the computation missed happened after the drain, so its wake-up
// left the core's fd readable: the descriptor can be spuriously readable until the next
// ZMQ_EVENTS, but never unreadable while a message waits. No thread and no core change needed;
// `held` changes (one eventfd write) only when the answer does.
#include "interop/capi/level_fd_backend.hpp"

#include "interop/capi/level_fd.hpp"

#include <zmq.h>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace zmtp::capi {

namespace {

std::error_code last_errno() { return std::error_code(errno, std::generic_category()); }

void set_held(level_state &level, bool on) noexcept {
    if (on == level.held_set)
        return;
    std::uint64_t value = 1;
    [[maybe_unused]] ssize_t n =
        on ? ::write(level.held, &value, sizeof value) : ::read(level.held, &value, sizeof value);
    level.held_set = on;
}

} // namespace

std::error_code open_level_fd(socket_handle &h) noexcept {
    level_state &level = h.level;
    int fd = -1;
    if (auto ec = core_fd(h, fd))
        return ec;
    level.fd = ::epoll_create1(EPOLL_CLOEXEC);
    level.held = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    std::error_code ec;
    if (level.fd < 0 || level.held < 0) {
        ec = last_errno();
        close_level(level);
        return ec;
    }
    // Level-triggered membership: the set is readable exactly while a member is.
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(level.fd, EPOLL_CTL_ADD, fd, &ev) != 0)
        ec = last_errno();
    ev.data.fd = level.held;
    if (!ec && ::epoll_ctl(level.fd, EPOLL_CTL_ADD, level.held, &ev) != 0)
        ec = last_errno();
    if (ec)
        close_level(level);
    return ec;
}

std::error_code level_events(socket_handle &h, int &events) noexcept {
    std::size_t size = sizeof events;
    std::error_code ec = h.sock->get_option_raw(ZMQ_EVENTS, &events, &size);
    if (!ec)
        set_held(h.level, (events & h.level.mask) != 0);
    return ec;
}

void lower_level(level_state &level) noexcept {
    if (level.held >= 0)
        set_held(level, false);
}

void close_level(level_state &level) noexcept {
    if (level.fd >= 0)
        ::close(level.fd);
    if (level.held >= 0)
        ::close(level.held);
    level = level_state{};
}

} // namespace zmtp::capi
