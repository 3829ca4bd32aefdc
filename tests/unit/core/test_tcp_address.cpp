// tcp address helpers that replaced library calls for the small static builds (issue 14):
// numeric_host must spell addresses exactly as getnameinfo(NI_NUMERICHOST) does (Peer-Address
// and LAST_ENDPOINT are compared with libzmq's), and literal hosts are dialled without the
// resolver (IPv6 literals only with ZMQ_IPV6, as getaddrinfo answers for an IPv4-only query).
#include "tests/support/catch.hpp"
#include "transports/stream/peer_address.hpp"
#include "transports/tcp/tcp_address.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cstring>
#include <string>

using namespace zmtp::detail;

namespace {

sockaddr_storage v4(const char* text) {
    sockaddr_storage ss{};
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    REQUIRE(inet_pton(AF_INET, text, &sin->sin_addr) == 1);
    return ss;
}

sockaddr_storage v6(const char* text, unsigned scope) {
    sockaddr_storage ss{};
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_scope_id = scope;
    REQUIRE(inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1);
    return ss;
}

std::string by_getnameinfo(const sockaddr_storage& ss) {
    char host[NI_MAXHOST];
    const socklen_t len = ss.ss_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    REQUIRE(getnameinfo(reinterpret_cast<const sockaddr*>(&ss), len, host, sizeof host, nullptr,
                        0, NI_NUMERICHOST) == 0);
    return host;
}

} // namespace

TEST_CASE("numeric_host spells addresses as getnameinfo(NI_NUMERICHOST)", "[tcp][address]") {
    const unsigned lo = if_nametoindex("lo");
    const sockaddr_storage cases[] = {
        v4("127.0.0.1"),      v4("0.0.0.0"),          v4("10.20.30.40"),
        v6("::1", 0),         v6("::", 0),            v6("::ffff:127.0.0.1", 0),
        v6("2001:db8::1", 0), v6("fe80::1", lo),      v6("fe80::1", 987654), // no such interface
        v6("ff02::1", lo),    v6("2001:db8::1", 3), // a scope on a global address: a number
    };
    for (const auto& ss : cases) {
        const std::string expected = by_getnameinfo(ss);
        CAPTURE(expected);
        CHECK(numeric_host(reinterpret_cast<const sockaddr*>(&ss)) == expected);
    }
    sockaddr_storage unix_family{};
    unix_family.ss_family = AF_UNIX;
    CHECK(numeric_host(reinterpret_cast<const sockaddr*>(&unix_family)).empty());
}

TEST_CASE("LAST_ENDPOINT text of tcp endpoints", "[tcp][address]") {
    CHECK(format_tcp_endpoint({asio::ip::make_address("127.0.0.1"), 5555}) ==
          "tcp://127.0.0.1:5555");
    CHECK(format_tcp_endpoint({asio::ip::make_address("::1"), 1}) == "tcp://[::1]:1");
    CHECK(format_tcp_endpoint({asio::ip::make_address("::ffff:127.0.0.1"), 2}) ==
          "tcp://[::ffff:127.0.0.1]:2");
}

TEST_CASE("tcp literal hosts are dialled without a lookup", "[tcp][address]") {
    std::vector<asio::ip::tcp::endpoint> out;
    std::error_code ec;
    tcp_connect_address a;

    REQUIRE_FALSE(parse_tcp_connect("127.0.0.1:5555", a));
    REQUIRE(tcp_literal_endpoints(a, false, out, ec));
    CHECK_FALSE(ec);
    REQUIRE(out.size() == 1);
    CHECK(out[0] == asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 5555));
    // With ZMQ_IPV6 an IPv4 peer is dialled v4-mapped from an IPv6 socket.
    REQUIRE(tcp_literal_endpoints(a, true, out, ec));
    REQUIRE(out.size() == 1);
    CHECK(out[0].address() == asio::ip::make_address("::ffff:127.0.0.1"));

    REQUIRE_FALSE(parse_tcp_connect("[::1]:7", a));
    REQUIRE(tcp_literal_endpoints(a, true, out, ec));
    REQUIRE(out.size() == 1);
    CHECK(out[0] == asio::ip::tcp::endpoint(asio::ip::make_address("::1"), 7));
    // Without ZMQ_IPV6 an IPv6 literal is not dialled (getaddrinfo's answer for AF_INET).
    REQUIRE(tcp_literal_endpoints(a, false, out, ec));
    CHECK(ec == asio::error::host_not_found);
    CHECK(out.empty());

    REQUIRE_FALSE(parse_tcp_connect("example.invalid:7", a)); // a name: accepted, resolved later
    CHECK(tcp_host_names);
    CHECK_FALSE(tcp_literal_endpoints(a, false, out, ec));
    REQUIRE_FALSE(parse_tcp_connect("localhost:7", a)); // through the resolver in this build
    CHECK_FALSE(tcp_literal_endpoints(a, false, out, ec));
}
