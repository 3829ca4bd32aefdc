// tcp endpoint addresses: bind and connect syntax and LAST_ENDPOINT formatting as libzmq 4.3
// does them (conformance C-TCP-1..3).
#pragma once

#include <asio/ip/tcp.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace zmtp::detail {

/// Resolves a bind address ("*:port", "127.0.0.1:*", "[::1]:5555", "lo:*"). No DNS on bind:
/// unknown names give ENODEV; ports must be numeric (0 or * = ephemeral), else EINVAL. With
/// `ipv6` the result is always IPv6 (IPv4 addresses v4-mapped), as libzmq binds then.
std::error_code parse_tcp_bind(std::string_view address, bool ipv6,
                               asio::ip::tcp::endpoint& out);

/// A connect address, split but not resolved (resolution happens at each dial).
struct tcp_connect_address {
    std::string host; ///< name or literal, brackets removed
    std::uint16_t port = 0;
};

/// Whether connect hosts may be names looked up at each dial (getaddrinfo). A build with
/// ZMTP_NO_DNS (for small static programs: README, "Portability and embedding") takes IP
/// literals and "localhost" only.
#ifdef ZMTP_NO_DNS
inline constexpr bool tcp_host_names = false;
#else
inline constexpr bool tcp_host_names = true;
#endif

/// Parses "host:port" / "[v6]:port" (an optional "source;" prefix is ignored). EINVAL for a
/// missing or non-numeric port ("*" included) or an obviously invalid host, and without
/// `tcp_host_names` for a host that is neither an IP literal nor "localhost".
std::error_code parse_tcp_connect(std::string_view address, tcp_connect_address& out);

/// The addresses of a connect host that needs no lookup: an IP literal (v4-mapped with
/// `ipv6`), and without `tcp_host_names` "localhost" (127.0.0.1; with `ipv6` ::1 first).
/// False for a name to resolve; true with `ec` set for an IPv6 literal without `ipv6`.
bool tcp_literal_endpoints(const tcp_connect_address& addr, bool ipv6,
                           std::vector<asio::ip::tcp::endpoint>& out, std::error_code& ec);

/// An IPv4 address as its v4-mapped IPv6 form (others unchanged): what a socket with
/// ZMQ_IPV6 uses, so LAST_ENDPOINT and Peer-Address read "::ffff:127.0.0.1" as in libzmq.
asio::ip::address as_ipv6(const asio::ip::address& a);
/// The inverse, for hosts without IPv6: a v4-mapped address as IPv4, "::" as "0.0.0.0".
asio::ip::address as_plain(const asio::ip::address& a);

/// "tcp://0.0.0.0:5555", "tcp://[::1]:5555".
std::string format_tcp_endpoint(const asio::ip::tcp::endpoint& ep);

} // namespace zmtp::detail
