// How the level-triggered ZMQ_FD is made readable and unreadable: one of two backends is built.
// level_fd_epoll.cpp (Linux, the default): an epoll set of the core's eventfd and an eventfd
// the C API holds set while a wanted event is pending. level_fd_dup.cpp (ZMTP_PORTABLE_WAIT:
// POSIX only, for BSD and macOS): a duplicate of the core's descriptor, which the core leaves
// readable after each ZMQ_EVENTS read while a wanted event is pending. Either way the
// descriptor may be spuriously readable until the next ZMQ_EVENTS read, never unreadable while
// a wanted event is pending: a change after the read signals the core's descriptor.
#pragma once

#include "interop/capi/handles.hpp"

#include <system_error>

namespace zmtp::capi {

/// The core's ZMQ_FD of the socket.
std::error_code core_fd(socket_handle &h, int &fd) noexcept;

/// Creates h.level.fd (and what it needs).
std::error_code open_level_fd(socket_handle &h) noexcept;

/// Reads ZMQ_EVENTS (which resets the core's descriptor) and leaves h.level.fd readable
/// exactly when `events & h.level.mask`, up to later changes.
std::error_code level_events(socket_handle &h, int &events) noexcept;

/// The mode was turned off: the level descriptor need not stay readable.
void lower_level(level_state &level) noexcept;

} // namespace zmtp::capi
