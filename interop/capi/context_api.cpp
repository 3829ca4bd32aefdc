// Context entry points: zmq_ctx_new/term/shutdown/set/get and the legacy zmq_init/zmq_term/
// zmq_ctx_destroy. Invalid context handles fail with EFAULT, as in libzmq.
#include "interop/capi/errors.hpp"
#include "interop/capi/handles.hpp"

#include <zmq.h>

#include <algorithm>
#include <cerrno>
#include <new>

using namespace zmtp::capi;

namespace {

// libzmq's ceiling for ZMQ_MAX_SOCKETS (ZMQ_SOCKET_LIMIT) on poll-based builds.
constexpr int socket_limit = 65535;

int set_thread_option(zmtp::context &ctx, int option, int value);

int set_option(context_handle &h, int option, int value) {
    context_state &st = *h.state;
    switch (option) {
    case ZMQ_IO_THREADS:
        if (value < 0)
            return fail(std::errc::invalid_argument);
        return fail_or_zero(st.ctx.set_io_threads(value));
    case ZMQ_MAX_SOCKETS:
        if (value < 1 || value > socket_limit)
            return fail(std::errc::invalid_argument);
        return fail_or_zero(st.ctx.set_max_sockets(value));
    default:
        break;
    }
    std::lock_guard<std::mutex> lock(st.mutex);
    context_settings &s = st.settings;
    switch (option) {
    case ZMQ_BLOCKY:
        if (value < 0)
            return fail(std::errc::invalid_argument);
        s.blocky = value != 0;
        return 0;
    case ZMQ_IPV6:
        if (value < 0)
            return fail(std::errc::invalid_argument);
        s.ipv6 = value != 0;
        return 0;
    case ZMQ_MAX_MSGSZ:
        if (value < 0)
            return fail(std::errc::invalid_argument);
        s.max_msgsz = value; // kept for zmq_ctx_get; per-socket MAXMSGSIZE does the limiting
        return 0;
    default:
        break;
    }
    return set_thread_option(st.ctx, option, value);
}

/// ZMQ_THREAD_*: the I/O threads' scheduling, affinity and names, applied when they start.
/// Ranges as libzmq 4.3.4 checks them: negative policy / priority / CPU are EINVAL, removing a
/// CPU that was not added is EINVAL, and any int is a name prefix.
int set_thread_option(zmtp::context &ctx, int option, int value) {
    zmtp::io_thread_settings t = ctx.io_thread_options();
    switch (option) {
    case ZMQ_THREAD_PRIORITY:
        if (value < 0)
            return fail(std::errc::invalid_argument);
        t.priority = value;
        break;
    case ZMQ_THREAD_SCHED_POLICY:
        if (value < 0)
            return fail(std::errc::invalid_argument);
        t.sched_policy = value;
        break;
    case ZMQ_THREAD_AFFINITY_CPU_ADD:
        if (value < 0)
            return fail(std::errc::invalid_argument);
        if (std::find(t.cpus.begin(), t.cpus.end(), value) == t.cpus.end())
            t.cpus.push_back(value);
        break;
    case ZMQ_THREAD_AFFINITY_CPU_REMOVE: {
        auto it = std::find(t.cpus.begin(), t.cpus.end(), value);
        if (value < 0 || it == t.cpus.end())
            return fail(std::errc::invalid_argument);
        t.cpus.erase(it);
        break;
    }
    case ZMQ_THREAD_NAME_PREFIX:
        t.name_prefix = value;
        break;
    default:
        return fail(std::errc::invalid_argument);
    }
    try {
        ctx.set_io_thread_options(std::move(t));
    } catch (const std::bad_alloc &) {
        return fail(std::errc::not_enough_memory);
    }
    return 0;
}

int get_option(context_handle &h, int option) {
    context_state &st = *h.state;
    switch (option) {
    case ZMQ_IO_THREADS:
        return st.ctx.io_threads();
    case ZMQ_MAX_SOCKETS:
        return st.ctx.max_sockets();
    case ZMQ_SOCKET_LIMIT:
        return socket_limit;
    case ZMQ_MSG_T_SIZE:
        return static_cast<int>(sizeof(zmq_msg_t));
    default:
        break;
    }
    std::lock_guard<std::mutex> lock(st.mutex);
    const context_settings &s = st.settings;
    switch (option) {
    case ZMQ_BLOCKY:
        return s.blocky ? 1 : 0;
    case ZMQ_IPV6:
        return s.ipv6 ? 1 : 0;
    case ZMQ_MAX_MSGSZ:
        return s.max_msgsz;
    case ZMQ_THREAD_SCHED_POLICY:
        return st.ctx.io_thread_options().sched_policy;
    case ZMQ_THREAD_NAME_PREFIX: // an int in libzmq 4.3.4 too; 0 until set
        return st.ctx.io_thread_options().name_prefix.value_or(0);
    default:
        return fail(std::errc::invalid_argument);
    }
}

} // namespace

extern "C" {

void *zmq_ctx_new(void) {
    try {
        return make_context(ZMQ_IO_THREADS_DFLT);
    } catch (...) { // std::bad_alloc, or a system_error from the context's resources
        return fail_null(std::errc::not_enough_memory);
    }
}

int zmq_ctx_term(void *context_) {
    context_handle *h = as_context(context_);
    if (!h)
        return fail(std::errc::bad_address);
    // A signal during the wait answers EINTR and keeps the handle: libzmq lets the caller
    // call zmq_ctx_term again, which resumes the termination.
    std::error_code ec;
    h->state->ctx.terminate(ec);
    if (ec)
        return fail(ec);
    retire_context(h);
    return 0;
}

int zmq_ctx_shutdown(void *context_) {
    context_handle *h = as_context(context_);
    if (!h)
        return fail(std::errc::bad_address);
    h->state->ctx.shutdown();
    return 0;
}

int zmq_ctx_set(void *context_, int option_, int optval_) {
    context_handle *h = as_context(context_);
    if (!h)
        return fail(std::errc::bad_address);
    return set_option(*h, option_, optval_);
}

int zmq_ctx_get(void *context_, int option_) {
    context_handle *h = as_context(context_);
    if (!h)
        return fail(std::errc::bad_address);
    return get_option(*h, option_);
}

void *zmq_init(int io_threads_) {
    if (io_threads_ < 0)
        return fail_null(std::errc::invalid_argument);
    void *ctx = zmq_ctx_new();
    if (ctx && zmq_ctx_set(ctx, ZMQ_IO_THREADS, io_threads_) != 0) {
        const int err = errno;
        zmq_ctx_term(ctx);
        errno = err;
        return nullptr;
    }
    return ctx;
}

int zmq_term(void *context_) {
    return zmq_ctx_term(context_);
}

int zmq_ctx_destroy(void *context_) {
    return zmq_ctx_term(context_);
}

} // extern "C"
