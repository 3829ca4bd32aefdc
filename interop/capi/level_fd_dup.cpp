// The level-triggered ZMQ_FD with POSIX calls only (ZMTP_PORTABLE_WAIT: the backend for BSD
// and macOS, level_fd_backend.hpp). The descriptor handed out is a duplicate of the core's
// ZMQ_FD (a pipe there), so it is readable exactly when the core's is. Reading ZMQ_EVENTS in
// level mode goes through the core's internal opt_events_level: it drains the descriptor,
// computes the state, and signals the descriptor again if a wanted event is pending. A change
// after the drain signals it too, so it is never unreadable while a wanted event is pending.
// Compared with the epoll backend this costs one pipe write per ZMQ_EVENTS read that finds a
// wanted event (the epoll one writes only when the answer changes).
#include "interop/capi/level_fd_backend.hpp"

#include "core/options.hpp"
#include "interop/capi/level_fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace zmtp::capi {

std::error_code open_level_fd(socket_handle &h) noexcept {
    int fd = -1;
    if (auto ec = core_fd(h, fd))
        return ec;
    // A descriptor of its own (the application may close it or watch both), same pipe.
    h.level.fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (h.level.fd < 0)
        return std::error_code(errno, std::generic_category());
    return {};
}

std::error_code level_events(socket_handle &h, int &events) noexcept {
    int buffer = h.level.mask; // in: the wanted events; out: ZMQ_EVENTS
    std::size_t size = sizeof buffer;
    const std::error_code ec = h.sock->get_option_raw(detail::opt_events_level, &buffer, &size);
    if (!ec)
        events = buffer;
    return ec;
}

void lower_level(level_state &) noexcept {
    // Nothing to clear: the next ZMQ_EVENTS read drains the shared pipe.
}

void close_level(level_state &level) noexcept {
    if (level.fd >= 0)
        ::close(level.fd);
    level = level_state{};
}

} // namespace zmtp::capi
