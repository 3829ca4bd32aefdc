// tcp address parsing: bind (interfaces, wildcards, literals) and connect (names, literals).
#include "transports/tcp/tcp_address.hpp"

#include "transports/stream/peer_address.hpp"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <cctype>
#include <cstring>

namespace zmtp::detail {

namespace {

std::error_code einval() { return std::make_error_code(std::errc::invalid_argument); }

/// Splits "host:port" at the last colon; handles "[v6]".
std::error_code split_host_port(std::string_view a, std::string_view& host,
                                std::string_view& port) {
    const auto colon = a.rfind(':');
    if (colon == std::string_view::npos || colon + 1 >= a.size())
        return einval();
    host = a.substr(0, colon);
    port = a.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    else if (host.find(':') != std::string_view::npos)
        return einval(); // an IPv6 literal must be bracketed
    if (host.empty())
        return einval();
    return {};
}

/// Port: decimal 0..65535, or "*" when allowed. libzmq truncates > 65535; we refuse (C-TCP-1).
std::error_code parse_port(std::string_view s, bool star_ok, std::uint16_t& out) {
    if (s == "*") {
        if (!star_ok)
            return einval();
        out = 0;
        return {};
    }
    if (s.empty() || s.size() > 5)
        return einval();
    unsigned v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return einval();
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    if (v > 65535)
        return einval();
    out = static_cast<std::uint16_t>(v);
    return {};
}

/// The first address of interface `name`: IPv4 without ZMQ_IPV6; with it, IPv6 if the
/// interface has one (libzmq picks the IPv6 one then), else its IPv4 address.
bool interface_address(std::string_view name, bool ipv6, asio::ip::address& out) {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0)
        return false;
    bool found_v4 = false, found_v6 = false;
    asio::ip::address v4, v6;
    for (ifaddrs* i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr || name != i->ifa_name)
            continue;
        if (i->ifa_addr->sa_family == AF_INET && !found_v4) {
            const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
            asio::ip::address_v4::bytes_type b;
            std::memcpy(b.data(), &sin->sin_addr, 4);
            v4 = asio::ip::address_v4(b);
            found_v4 = true;
        } else if (ipv6 && i->ifa_addr->sa_family == AF_INET6 && !found_v6) {
            const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
            asio::ip::address_v6::bytes_type b;
            std::memcpy(b.data(), &sin6->sin6_addr, 16);
            v6 = asio::ip::address_v6(b, sin6->sin6_scope_id);
            found_v6 = true;
        }
    }
    freeifaddrs(list);
    if (found_v6)
        out = v6;
    else if (found_v4)
        out = v4;
    return found_v4 || found_v6;
}

} // namespace

std::error_code parse_tcp_bind(std::string_view address, bool ipv6,
                               asio::ip::tcp::endpoint& out) {
    std::string_view host, port_s;
    if (auto ec = split_host_port(address, host, port_s))
        return ec;
    std::uint16_t port = 0;
    if (auto ec = parse_port(port_s, true, port))
        return ec;
    asio::ip::address addr;
    std::error_code ec;
    if (host == "*") {
        addr = ipv6 ? asio::ip::address(asio::ip::address_v6::any())
                    : asio::ip::address(asio::ip::address_v4::any());
    } else if (addr = asio::ip::make_address(std::string(host), ec); !ec) {
        if (addr.is_v6() && !ipv6)
            return std::make_error_code(std::errc::no_such_device); // libzmq needs ZMQ_IPV6
    } else if (!interface_address(host, ipv6, addr)) {
        return std::make_error_code(std::errc::no_such_device); // no DNS on bind (C-TCP-1)
    }
    out = asio::ip::tcp::endpoint(ipv6 ? as_ipv6(addr) : addr, port);
    return {};
}

std::error_code parse_tcp_connect(std::string_view address, tcp_connect_address& out) {
    if (const auto semi = address.find(';'); semi != std::string_view::npos)
        address = address.substr(semi + 1);
    std::string_view host, port_s;
    if (auto ec = split_host_port(address, host, port_s))
        return ec;
    if (auto ec = parse_port(port_s, false, out.port))
        return ec;
    if (host.front() == '-' || host.front() == '.')
        return einval();
    for (char c : host)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
              c == ':' || c == '%'))
            return einval();
    out.host = std::string(host);
    if (!tcp_host_names) {
        std::vector<asio::ip::tcp::endpoint> ignored;
        std::error_code ec;
        if (!tcp_literal_endpoints(out, true, ignored, ec))
            return einval(); // a name, and this build has no resolver
    }
    return {};
}

bool tcp_literal_endpoints(const tcp_connect_address& addr, bool ipv6,
                           std::vector<asio::ip::tcp::endpoint>& out, std::error_code& ec) {
    out.clear();
    ec = {};
    if (!tcp_host_names && addr.host == "localhost") {
        if (ipv6)
            out.emplace_back(asio::ip::address_v6::loopback(), addr.port);
        const asio::ip::address v4 = asio::ip::address_v4::loopback();
        out.emplace_back(ipv6 ? as_ipv6(v4) : v4, addr.port);
        return true;
    }
    std::error_code parse_ec;
    const auto literal = asio::ip::make_address(addr.host, parse_ec);
    if (parse_ec)
        return false;
    if (literal.is_v6() && !ipv6) {
        // What getaddrinfo answers for an IPv6 literal asked for IPv4 only.
        ec = asio::error::host_not_found;
        return true;
    }
    out.emplace_back(ipv6 ? as_ipv6(literal) : literal, addr.port);
    return true;
}

asio::ip::address as_ipv6(const asio::ip::address& a) {
    if (a.is_v4())
        return asio::ip::make_address_v6(asio::ip::v4_mapped, a.to_v4());
    return a;
}

asio::ip::address as_plain(const asio::ip::address& a) {
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
    if (a.is_v6() && a.to_v6().is_unspecified())
        return asio::ip::address_v4::any();
    return a;
}

std::string format_tcp_endpoint(const asio::ip::tcp::endpoint& ep) {
    // numeric_host, not address::to_string: the same text, without Asio's formatting code.
    const std::string numeric = numeric_host(ep.data());
    const std::string host = ep.address().is_v6() ? "[" + numeric + "]" : numeric;
    return "tcp://" + host + ":" + std::to_string(ep.port());
}

} // namespace zmtp::detail
