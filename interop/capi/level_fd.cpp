// The level-triggered ZMQ_FD (ZMTP_FD_LEVEL_TRIGGERED): what both descriptor backends share.
// Every ZMQ_EVENTS read (getsockopt, zmq_poll, and the sync after each send and receive) goes
// through socket_events, which in level mode also brings the descriptor in line with the
// answer. The backend (level_fd_backend.hpp) is epoll on Linux, a duplicate of the core's
// descriptor elsewhere.
#include "interop/capi/level_fd.hpp"

#include "interop/capi/level_fd_backend.hpp"

#include <zmq.h>

#include <cerrno>

namespace zmtp::capi {

std::error_code core_fd(socket_handle &h, int &fd) noexcept {
    std::size_t size = sizeof fd;
    return h.sock->get_option_raw(ZMQ_FD, &fd, &size);
}

std::error_code socket_events(socket_handle &h, int &events) noexcept {
    const int saved = errno;
    std::error_code ec;
    if (h.level.mask != 0 && h.level.fd >= 0) {
        ec = level_events(h, events);
    } else {
        std::size_t size = sizeof events;
        ec = h.sock->get_option_raw(ZMQ_EVENTS, &events, &size);
    }
    errno = saved;
    return ec;
}

std::error_code set_level_mask(socket_handle &h, int mask) noexcept {
    if (mask < 0 || mask > (ZMQ_POLLIN | ZMQ_POLLOUT))
        return std::make_error_code(std::errc::invalid_argument);
    if (mask != 0 && h.level.fd < 0)
        if (auto ec = open_level_fd(h))
            return ec;
    h.level.mask = mask;
    if (mask == 0) {
        // The descriptor stays valid (the application may still hold it) until zmq_close.
        lower_level(h.level);
        return {};
    }
    int events = 0;
    return socket_events(h, events);
}

std::error_code socket_fd(socket_handle &h, int &fd) noexcept {
    if (h.level.mask != 0) {
        fd = h.level.fd;
        return {};
    }
    return core_fd(h, fd);
}

} // namespace zmtp::capi
