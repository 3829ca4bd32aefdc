// ZMQ_EVENTS as the C API sees it, and the opt-in level-triggered ZMQ_FD (ZMTP_FD_LEVEL_TRIGGERED).
// libzmq's ZMQ_FD is edge-like: readable when events *may* have changed, reset by reading
// ZMQ_EVENTS. In level mode the C API hands out an epoll descriptor instead, which stays readable
// while a wanted event (ZMQ_POLLIN and/or ZMQ_POLLOUT) is pending.
#pragma once

#include "interop/capi/handles.hpp"

#include <system_error>

namespace zmtp::capi {

/// ZMQ_EVENTS of the socket (resets the core's ZMQ_FD) and, in level mode, the level brought
/// in line with the answer.
std::error_code socket_events(socket_handle &h, int &events) noexcept;

/// In level mode, re-reads the state after a send or receive; keeps errno. No-op otherwise.
inline void level_sync(socket_handle &h) noexcept {
    if (h.level.mask != 0) {
        int events = 0;
        (void)socket_events(h, events);
    }
}

/// Sets the level-trigger mask (0 turns the mode off; 1..3 = ZMQ_POLLIN|ZMQ_POLLOUT bits).
std::error_code set_level_mask(socket_handle &h, int mask) noexcept;

/// ZMQ_FD: the level descriptor in level mode, else the core's eventfd.
std::error_code socket_fd(socket_handle &h, int &fd) noexcept;

/// Releases the descriptors of a closed socket's level state.
void close_level(level_state &level) noexcept;

} // namespace zmtp::capi
