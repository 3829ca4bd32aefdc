// The objects behind the C API's void* handles. Each starts with a magic tag checked before
// use (ENOTSOCK / EFAULT on mismatch). Handle shells are pooled and never freed, so a closed
// socket or terminated context is still readable memory whose tag says "dead", not a UB read.
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
    int thread_sched_policy = -1;
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

/// What a zmq_socket handle points at. `tag` must stay the first member.
struct socket_handle {
    std::uint32_t tag = 0;
    std::optional<zmtp::socket> sock;
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

/// Wraps `s` in a handle (throws std::bad_alloc).
socket_handle *make_socket(zmtp::socket s);
/// Marks the handle dead, recycles the shell and returns the socket for the caller to close.
zmtp::socket retire_socket(socket_handle *h) noexcept;

} // namespace zmtp::capi
