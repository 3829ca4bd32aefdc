// Socket entry points: creation, close, endpoints and options. Invalid socket handles fail
// with ENOTSOCK. setsockopt goes to socket::set_option_raw (zmq_setsockopt's contract: exact
// sizes, ranges, EINVAL for unknown numbers); getsockopt follows libzmq's table of readable
// options (option_table.cpp), answering libzmq's defaults for the ones zmtp lacks.
#include "interop/capi/errors.hpp"
#include "interop/capi/handles.hpp"
#include "interop/capi/level_fd.hpp"
#include "interop/capi/monitor_sink.hpp"
#include "interop/capi/option_table.hpp"

#include <zmq.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <utility>

using namespace zmtp::capi;

namespace {

/// Applies the context-wide defaults libzmq gives new sockets (ZMQ_BLOCKY, ZMQ_IPV6).
std::error_code apply_context_defaults(context_state &st, zmtp::socket &s) {
    context_settings settings;
    {
        std::lock_guard<std::mutex> lock(st.mutex);
        settings = st.settings;
    }
    std::error_code ec;
    if (!settings.blocky)
        s.set(zmtp::opt::linger, 0, ec);
    if (!ec && settings.ipv6)
        s.set(zmtp::opt::ipv6, 1, ec);
    return ec;
}

using endpoint_op = void (zmtp::socket::*)(std::string_view, std::error_code &) noexcept;

int endpoint_call(void *s_, const char *addr_, endpoint_op op) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    if (!addr_)
        return fail(std::errc::invalid_argument);
    std::error_code ec;
    ((*h->sock).*op)(addr_, ec);
    return fail_or_zero(ec);
}

std::error_code invalid() {
    return std::make_error_code(std::errc::invalid_argument);
}

std::error_code put_int(int value, void *out, size_t *size) {
    std::memcpy(out, &value, sizeof value);
    *size = sizeof value;
    return {};
}

/// zmq_getsockopt after the handle and pointer checks.
std::error_code get_option(socket_handle &h, int option, void *out, size_t *size) {
    if (option == ZMTP_FD_LEVEL_TRIGGERED)
        return *size == sizeof(int) ? put_int(h.level.mask, out, size) : invalid();
    const get_rule rule = getsockopt_rule(option);
    switch (rule.kind) {
    case get_kind::none:
        return invalid();
    case get_kind::int_exact:
        if (*size != sizeof(int))
            return invalid();
        break;
    case get_kind::i64_exact:
        if (*size != sizeof(std::int64_t))
            return invalid();
        break;
    case get_kind::int_atleast:
        if (*size < sizeof(int))
            return invalid();
        // libzmq zeroes the whole buffer and reports sizeof(int): RCVMORE read into an
        // int64_t is then exactly 0 or 1.
        std::memset(out, 0, *size);
        break;
    case get_kind::text:
    case get_kind::blob:
        break;
    }
    if (!rule.core) {
        int type = 0;
        size_t type_size = sizeof type;
        if (auto ec = h.sock->get_option_raw(ZMQ_TYPE, &type, &type_size)) // ETERM first
            return ec;
        if (rule.kind != get_kind::text)
            return put_int(rule.value, out, size);
        if (*size < 1)
            return invalid();
        static_cast<char *>(out)[0] = '\0';
        *size = 1;
        return {};
    }
    switch (option) {
    case ZMQ_EVENTS: {
        int events = 0;
        if (auto ec = socket_events(h, events))
            return ec;
        return put_int(events, out, size);
    }
    case ZMQ_FD: {
        int fd = -1;
        if (auto ec = socket_fd(h, fd))
            return ec;
        return put_int(fd, out, size);
    }
    case ZMQ_IPV4ONLY: {
        int ipv6 = 0;
        size_t ipv6_size = sizeof ipv6;
        if (auto ec = h.sock->get_option_raw(ZMQ_IPV6, &ipv6, &ipv6_size))
            return ec;
        return put_int(ipv6 ? 0 : 1, out, size);
    }
    default:
        return h.sock->get_option_raw(option, out, size);
    }
}

} // namespace

extern "C" {

void *zmq_socket(void *context_, int type_) {
    context_handle *c = as_context(context_);
    if (!c)
        return fail_null(std::errc::bad_address);
    // zmtp implements PAIR, PUB, SUB, XPUB, XSUB, PUSH and PULL; every other type is refused
    // like an unknown one.
    if (type_ != ZMQ_PAIR && type_ != ZMQ_PUB && type_ != ZMQ_SUB && type_ != ZMQ_PULL &&
        type_ != ZMQ_PUSH && type_ != ZMQ_XPUB && type_ != ZMQ_XSUB)
        return fail_null(std::errc::invalid_argument);
    std::error_code ec;
    zmtp::socket s(c->state->ctx, static_cast<zmtp::socket_type>(type_), ec);
    if (!ec)
        ec = apply_context_defaults(*c->state, s);
    if (ec)
        return fail_null(ec);
    try {
        return make_socket(std::move(s), c->state.get());
    } catch (const std::bad_alloc &) {
        return fail_null(std::errc::not_enough_memory);
    }
}

int zmq_close(void *s_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    retired_socket r = retire_socket(h);
    // A monitor sink gets MONITOR_STOPPED (and closes its PAIR) once the socket's endpoints
    // have reported their last events (a listener's CLOSED), as libzmq orders them.
    r.sock.close();
    close_level(r.level);
    return 0;
}

int zmq_setsockopt(void *s_, int option_, const void *optval_, size_t optvallen_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    if (!optval_ && optvallen_ != 0)
        return fail(std::errc::invalid_argument);
    if (option_ == ZMTP_FD_LEVEL_TRIGGERED || option_ == ZMQ_IPV4ONLY) {
        int value = 0;
        if (optvallen_ != sizeof value)
            return fail(std::errc::invalid_argument);
        std::memcpy(&value, optval_, sizeof value);
        if (option_ == ZMTP_FD_LEVEL_TRIGGERED)
            return fail_or_zero(set_level_mask(*h, value));
        if (value != 0 && value != 1) // libzmq: a strict boolean, the inverse of ZMQ_IPV6
            return fail(std::errc::invalid_argument);
        const int ipv6 = 1 - value;
        return fail_or_zero(h->sock->set_option_raw(ZMQ_IPV6, &ipv6, sizeof ipv6));
    }
    return fail_or_zero(h->sock->set_option_raw(option_, optval_, optvallen_));
}

int zmq_getsockopt(void *s_, int option_, void *optval_, size_t *optvallen_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    if (!optvallen_ || (!optval_ && *optvallen_ != 0))
        return fail(std::errc::invalid_argument);
    return fail_or_zero(get_option(*h, option_, optval_, optvallen_));
}

int zmq_bind(void *s_, const char *addr_) {
    return endpoint_call(s_, addr_, &zmtp::socket::bind);
}

int zmq_connect(void *s_, const char *addr_) {
    return endpoint_call(s_, addr_, &zmtp::socket::connect);
}

int zmq_unbind(void *s_, const char *addr_) {
    return endpoint_call(s_, addr_, &zmtp::socket::unbind);
}

int zmq_disconnect(void *s_, const char *addr_) {
    return endpoint_call(s_, addr_, &zmtp::socket::disconnect);
}

} // extern "C"
