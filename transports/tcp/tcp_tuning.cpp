// tcp_tuning: the setsockopt calls. A failure is reported (the bind fails, the connection
// attempt fails) instead of being ignored, so an option that was accepted always took effect.
#include "transports/tcp/tcp_tuning.hpp"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

namespace zmtp::detail {

namespace {

std::error_code set_int(int fd, int level, int name, int value) {
    if (::setsockopt(fd, level, name, &value, sizeof value) == 0)
        return {};
    return {errno, std::generic_category()};
}

/// A tuning this system's sockets cannot do (BSD, macOS): the bind or connection attempt fails
/// with ENOTSUP rather than running without it.
[[maybe_unused]] std::error_code not_here() {
    return std::make_error_code(std::errc::not_supported);
}

// The idle time before keepalive probes: TCP_KEEPIDLE (Linux, FreeBSD), TCP_KEEPALIVE (macOS).
#if defined(TCP_KEEPIDLE)
constexpr int keepalive_idle_option = TCP_KEEPIDLE;
#elif defined(TCP_KEEPALIVE)
constexpr int keepalive_idle_option = TCP_KEEPALIVE;
#endif

} // namespace

tcp_tuning tcp_tuning::from(const socket_options& o) {
    tcp_tuning t;
    t.sndbuf = o.int_value(opt_sndbuf);
    t.rcvbuf = o.int_value(opt_rcvbuf);
    t.keepalive = o.int_value(opt_tcp_keepalive);
    t.keepalive_cnt = o.int_value(opt_tcp_keepalive_cnt);
    t.keepalive_idle = o.int_value(opt_tcp_keepalive_idle);
    t.keepalive_intvl = o.int_value(opt_tcp_keepalive_intvl);
    t.tos = o.int_value(opt_tos);
    t.maxrt = o.int_value(opt_tcp_maxrt);
    t.device = o.bind_to_device;
    return t;
}

std::error_code tcp_tuning::apply_before_connect(int fd) const {
    std::error_code ec;
    if (!ec && sndbuf >= 0)
        ec = set_int(fd, SOL_SOCKET, SO_SNDBUF, sndbuf);
    if (!ec && rcvbuf >= 0)
        ec = set_int(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf);
    if (!ec && tos != 0) {
        // IPv6 sockets carry it as the traffic class; IP_TOS covers v4-mapped traffic.
        ec = set_int(fd, IPPROTO_IP, IP_TOS, tos);
        if (ec == std::errc::protocol_not_supported || ec == std::errc::no_protocol_option)
            ec = {};
        sockaddr_storage local{}; // the family (getsockname, not Linux's SO_DOMAIN)
        socklen_t len = sizeof local;
        if (!ec && ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) == 0 &&
            local.ss_family == AF_INET6)
            ec = set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, tos);
    }
    if (!ec && !device.empty()) {
#ifdef SO_BINDTODEVICE
        if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device.c_str(),
                         static_cast<socklen_t>(device.size())) != 0)
            ec = {errno, std::generic_category()};
#else
        ec = not_here();
#endif
    }
    return ec;
}

std::error_code tcp_tuning::apply_connected(int fd) const {
    std::error_code ec;
    if (keepalive != -1)
        ec = set_int(fd, SOL_SOCKET, SO_KEEPALIVE, keepalive);
    if (keepalive == 1) {
        if (!ec && keepalive_cnt != -1)
            ec = set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, keepalive_cnt);
        if (!ec && keepalive_idle != -1) {
#if defined(TCP_KEEPIDLE) || defined(TCP_KEEPALIVE)
            ec = set_int(fd, IPPROTO_TCP, keepalive_idle_option, keepalive_idle);
#else
            ec = not_here();
#endif
        }
        if (!ec && keepalive_intvl != -1)
            ec = set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, keepalive_intvl);
    }
    if (!ec && maxrt > 0) {
#ifdef TCP_USER_TIMEOUT
        ec = set_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, maxrt);
#else
        ec = not_here();
#endif
    }
    return ec;
}

} // namespace zmtp::detail
