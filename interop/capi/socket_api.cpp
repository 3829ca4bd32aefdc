// Socket entry points: creation, close, endpoints and options. Invalid socket handles fail
// with ENOTSOCK; options go straight to socket::set_option_raw/get_option_raw, whose contract
// is zmq_setsockopt's (exact sizes, ranges, EINVAL for unknown numbers).
#include "interop/capi/errors.hpp"
#include "interop/capi/handles.hpp"

#include <zmq.h>

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

} // namespace

extern "C" {

void *zmq_socket(void *context_, int type_) {
    context_handle *c = as_context(context_);
    if (!c)
        return fail_null(std::errc::bad_address);
    // zmtp implements PAIR, PUB and SUB only; every other type is refused like an unknown one.
    if (type_ != ZMQ_PAIR && type_ != ZMQ_PUB && type_ != ZMQ_SUB)
        return fail_null(std::errc::invalid_argument);
    std::error_code ec;
    zmtp::socket s(c->state->ctx, static_cast<zmtp::socket_type>(type_), ec);
    if (!ec)
        ec = apply_context_defaults(*c->state, s);
    if (ec)
        return fail_null(ec);
    try {
        return make_socket(std::move(s));
    } catch (const std::bad_alloc &) {
        return fail_null(std::errc::not_enough_memory);
    }
}

int zmq_close(void *s_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    zmtp::socket s = retire_socket(h);
    s.close();
    return 0;
}

int zmq_setsockopt(void *s_, int option_, const void *optval_, size_t optvallen_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    if (!optval_ && optvallen_ != 0)
        return fail(std::errc::invalid_argument);
    return fail_or_zero(h->sock->set_option_raw(option_, optval_, optvallen_));
}

int zmq_getsockopt(void *s_, int option_, void *optval_, size_t *optvallen_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    if (!optvallen_ || (!optval_ && *optvallen_ != 0))
        return fail(std::errc::invalid_argument);
    return fail_or_zero(h->sock->get_option_raw(option_, optval_, optvallen_));
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

int zmq_socket_monitor(void *s_, const char *addr_, int events_) {
    (void)addr_;
    (void)events_;
    if (!as_socket(s_))
        return fail(std::errc::not_a_socket);
    // The C++ API has no monitor yet (see the C API notes in the report to the lead).
    return fail(std::errc::not_supported);
}

} // extern "C"
