// accept_filter: parsing "a.b.c.d/n" / "x::y/n" and prefix matching against a peer address.
#include "core/accept_filter.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <string>

namespace zmtp::detail {

bool accept_filter::parse(std::string_view text, bool ipv6, accept_filter& out) {
    // The value is a C string to libzmq: anything after a NUL is not part of it.
    text = text.substr(0, text.find('\0'));
    const auto slash = text.find('/');
    const std::string host(text.substr(0, slash));
    accept_filter f;
    if (::inet_pton(AF_INET, host.c_str(), f.address) == 1) {
        f.family = AF_INET;
        f.prefix = 32;
    } else if (ipv6 && ::inet_pton(AF_INET6, host.c_str(), f.address) == 1) {
        f.family = AF_INET6;
        f.prefix = 128;
    } else {
        return false; // no names: libzmq resolves none here either
    }
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3)
            return false;
        int n = 0;
        for (char c : digits) {
            if (c < '0' || c > '9')
                return false;
            n = n * 10 + (c - '0');
        }
        if (n > f.prefix)
            return false;
        f.prefix = n;
    }
    out = f;
    return true;
}

bool accept_filter::matches(const sockaddr* peer) const noexcept {
    const std::uint8_t* bytes = nullptr;
    if (peer->sa_family != family)
        return false;
    if (family == AF_INET)
        bytes = reinterpret_cast<const std::uint8_t*>(
            &reinterpret_cast<const sockaddr_in*>(peer)->sin_addr);
    else
        bytes = reinterpret_cast<const std::uint8_t*>(
            &reinterpret_cast<const sockaddr_in6*>(peer)->sin6_addr);
    const int full = prefix / 8;
    if (std::memcmp(bytes, address, static_cast<std::size_t>(full)) != 0)
        return false;
    const int rest = prefix % 8;
    if (rest == 0)
        return true;
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
    return (bytes[full] & mask) == (address[full] & mask);
}

} // namespace zmtp::detail
