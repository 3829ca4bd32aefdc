// The level-triggered ZMQ_FD (ZMTP_FD_LEVEL_TRIGGERED). The descriptor handed out is an epoll
// set of two eventfds, so poll/select/epoll on it see "readable" when either is:
//   - the core's ZMQ_FD, signalled on every wake-up of the socket and drained by ZMQ_EVENTS;
//   - `held`, which the C API sets while the last ZMQ_EVENTS it read had a wanted bit.
// Every ZMQ_EVENTS read (getsockopt, zmq_poll, and the sync after each send and receive) first
// drains the core's fd, then computes the state, then sets or clears `held`. A change that the
// computation missed happened after the drain, so its wake-up left the core's fd readable: the
// descriptor can be spuriously readable until the next ZMQ_EVENTS, but never unreadable while
// a message waits. No thread and no core change needed.
#include "interop/capi/level_fd.hpp"

#include <zmq.h>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace zmtp::capi {

namespace {

std::error_code last_errno() {
    return std::error_code(errno, std::generic_category());
}

int core_fd(socket_handle &h, std::error_code &ec) noexcept {
    int fd = -1;
    std::size_t size = sizeof fd;
    ec = h.sock->get_option_raw(ZMQ_FD, &fd, &size);
    return fd;
}

void set_held(level_state &level, bool on) noexcept {
    if (on == level.held_set)
        return;
    std::uint64_t value = 1;
    [[maybe_unused]] ssize_t n =
        on ? ::write(level.held, &value, sizeof value) : ::read(level.held, &value, sizeof value);
    level.held_set = on;
}

/// Creates the epoll set on first use.
std::error_code open_level(socket_handle &h) noexcept {
    level_state &level = h.level;
    if (level.epoll >= 0)
        return {};
    std::error_code ec;
    const int fd = core_fd(h, ec);
    if (ec)
        return ec;
    level.epoll = ::epoll_create1(EPOLL_CLOEXEC);
    level.held = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (level.epoll < 0 || level.held < 0) {
        ec = last_errno();
        close_level(level);
        return ec;
    }
    // Level-triggered membership: the set is readable exactly while a member is.
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(level.epoll, EPOLL_CTL_ADD, fd, &ev) != 0)
        ec = last_errno();
    ev.data.fd = level.held;
    if (!ec && ::epoll_ctl(level.epoll, EPOLL_CTL_ADD, level.held, &ev) != 0)
        ec = last_errno();
    if (ec)
        close_level(level);
    return ec;
}

} // namespace

std::error_code socket_events(socket_handle &h, int &events) noexcept {
    const int saved = errno;
    std::size_t size = sizeof events;
    std::error_code ec = h.sock->get_option_raw(ZMQ_EVENTS, &events, &size);
    if (!ec && h.level.mask != 0 && h.level.held >= 0)
        set_held(h.level, (events & h.level.mask) != 0);
    errno = saved;
    return ec;
}

std::error_code set_level_mask(socket_handle &h, int mask) noexcept {
    if (mask < 0 || mask > (ZMQ_POLLIN | ZMQ_POLLOUT))
        return std::make_error_code(std::errc::invalid_argument);
    if (mask != 0)
        if (auto ec = open_level(h))
            return ec;
    h.level.mask = mask;
    if (mask == 0) {
        // The descriptor stays valid (the application may still hold it) until zmq_close.
        if (h.level.held >= 0)
            set_held(h.level, false);
        return {};
    }
    int events = 0;
    return socket_events(h, events);
}

std::error_code socket_fd(socket_handle &h, int &fd) noexcept {
    if (h.level.mask != 0) {
        fd = h.level.epoll;
        return {};
    }
    std::error_code ec;
    fd = core_fd(h, ec);
    return ec;
}

void close_level(level_state &level) noexcept {
    if (level.epoll >= 0)
        ::close(level.epoll);
    if (level.held >= 0)
        ::close(level.held);
    level = level_state{};
}

} // namespace zmtp::capi
