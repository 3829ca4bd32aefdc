// The objects behind the C API's void* handles. Each starts with a magic tag checked before
// use (ENOTSOCK / EFAULT on mismatch). Handle shells are pooled and never freed, so a closed
// socket or terminated context is still readable memory whose tag says "dead", not a UB read;
// a released shell is reused only after thousands of others (handles.cpp), so a stale handle
// does not silently act on a newer socket.
#pragma once

#include "zmtp/context.hpp"
#include "zmtp/socket.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace zmtp::capi {

inline constexpr std::uint32_t context_tag = 0x7a6d7463; ///< "zmtc"
inline constexpr std::uint32_t socket_tag = 0x7a6d7473;  ///< "zmts"

/// Context settings the C API keeps itself (zmq_ctx_set options without a C++ equivalent).
struct context_settings {
    bool blocky = true; ///< ZMQ_BLOCKY: false gives new sockets LINGER 0
    bool ipv6 = false;  ///< ZMQ_IPV6: default for new sockets
    int max_msgsz = 0x7fffffff;
};

/// A live context: the C++ context plus the C-level settings.
struct context_state {
    explicit context_state(int io_threads) : ctx(io_threads) {}
    zmtp::context ctx;
    std::mutex mutex; ///< guards settings
    context_settings settings;
};

/// What a zmq_ctx_new handle points at. `tag` must stay the first member.
struct context_handle {
    std::uint32_t tag = 0;
    std::unique_ptr<context_state> state;
};

class monitor_sink;

/// ZMTP_FD_LEVEL_TRIGGERED state: the descriptor handed out as ZMQ_FD while the mode is on.
/// With epoll (Linux), `fd` is an epoll set watching the core's edge-signalled eventfd and
/// `held`, an eventfd the C API keeps set while ZMQ_EVENTS & mask is non-zero
/// (level_fd_epoll.cpp). Elsewhere (ZMTP_PORTABLE_WAIT), `fd` is a duplicate of the core's
/// descriptor, which the core leaves readable while a wanted event is pending
/// (level_fd_dup.cpp); `held` is unused.
struct level_state {
    int mask = 0; ///< ZMQ_POLLIN | ZMQ_POLLOUT bits; 0 = libzmq's edge behaviour
    int fd = -1;  ///< the ZMQ_FD of the mode (readable while a wanted event is pending)
    int held = -1;
    bool held_set = false;
};

/// What a zmq_socket handle points at. `tag` must stay the first member.
struct socket_handle {
    std::uint32_t tag = 0;
    std::optional<zmtp::socket> sock;
    context_state *ctx = nullptr;          ///< the context it was made in (monitor sockets)
    std::shared_ptr<monitor_sink> monitor; ///< zmq_socket_monitor's sink, if monitoring
    level_state level;                     ///< ZMTP_FD_LEVEL_TRIGGERED
};

/// The live context behind `p`, or null (null pointer, garbage or terminated).
context_handle *as_context(void *p) noexcept;
/// The open socket behind `p`, or null (null pointer, garbage or closed).
inline socket_handle *as_socket(void *p) noexcept {
    auto *h = static_cast<socket_handle *>(p);
    return h && h->tag == socket_tag ? h : nullptr;
}

/// A new context handle with `io_threads` threads (throws std::bad_alloc).
context_handle *make_context(int io_threads);
/// Terminates the context, frees its state and recycles the shell.
void retire_context(context_handle *h) noexcept;

/// Wraps `s`, made in `ctx`, in a handle (throws std::bad_alloc).
socket_handle *make_socket(zmtp::socket s, context_state *ctx);
/// What a closing handle leaves for zmq_close to finish after the shell is recycled.
struct retired_socket {
    zmtp::socket sock;
    std::shared_ptr<monitor_sink> monitor;
    level_state level;
};
/// Marks the handle dead, recycles the shell and returns what the caller must close.
retired_socket retire_socket(socket_handle *h) noexcept;

} // namespace zmtp::capi
