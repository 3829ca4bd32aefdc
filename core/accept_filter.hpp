// ZMQ_TCP_ACCEPT_FILTER entries: "address[/prefix]" with a numeric IPv4 address (IPv6 too on a
// ZMQ_IPV6 socket), parsed when the option is set so malformed ones are EINVAL there, as in
// libzmq; the tcp listener closes connections from addresses that match none of them.
#pragma once

#include <cstdint>
#include <string_view>

struct sockaddr;

namespace zmtp::detail {

struct accept_filter {
    int family = 0; ///< AF_INET or AF_INET6
    std::uint8_t address[16] = {};
    int prefix = 0; ///< leading bits that must match

    /// Parses one entry; false if malformed (unknown syntax, names, a prefix out of range).
    static bool parse(std::string_view text, bool ipv6, accept_filter& out);
    /// True if `peer` (a sockaddr_in / sockaddr_in6) is inside this network.
    bool matches(const sockaddr* peer) const noexcept;
};

} // namespace zmtp::detail
