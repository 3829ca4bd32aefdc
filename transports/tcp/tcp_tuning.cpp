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
        int family = 0;
        socklen_t len = sizeof family;
        if (!ec && ::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &len) == 0 &&
            family == AF_INET6)
            ec = set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, tos);
    }
    if (!ec && !device.empty()) {
        if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device.c_str(),
                         static_cast<socklen_t>(device.size())) != 0)
            ec = {errno, std::generic_category()};
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
        if (!ec && keepalive_idle != -1)
            ec = set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, keepalive_idle);
        if (!ec && keepalive_intvl != -1)
            ec = set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, keepalive_intvl);
    }
    if (!ec && maxrt > 0)
        ec = set_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, maxrt);
    return ec;
}

} // namespace zmtp::detail
