// Peer-Address, as libzmq 4.3 reports it (checked against it in tests/interop): the numeric
// host getnameinfo(NI_NUMERICHOST) gives for IP sockets; for Unix sockets the host is
// "localhost" followed by the SO_PEERCRED uid, gid and pid.
// Formatted with inet_ntop rather than getnameinfo: in a static program getnameinfo drags in
// the resolver and NSS (issue 14's size budget), and the numeric form needs neither.
#include "transports/stream/peer_address.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

namespace zmtp::detail {

std::string numeric_host(const sockaddr* address) {
    char host[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET) {
        sockaddr_in sin;
        std::memcpy(&sin, address, sizeof sin); // the caller's storage may be less aligned
        if (!::inet_ntop(AF_INET, &sin.sin_addr, host, sizeof host))
            return {};
        return host;
    }
    if (address->sa_family != AF_INET6)
        return {};
    sockaddr_in6 sin6;
    std::memcpy(&sin6, address, sizeof sin6);
    if (!::inet_ntop(AF_INET6, &sin6.sin6_addr, host, sizeof host))
        return {};
    std::string out = host;
    if (sin6.sin6_scope_id != 0) {
        char name[IF_NAMESIZE] = {};
        const bool link_scope = IN6_IS_ADDR_LINKLOCAL(&sin6.sin6_addr) ||
                                IN6_IS_ADDR_MC_LINKLOCAL(&sin6.sin6_addr);
        if (link_scope && ::if_indextoname(sin6.sin6_scope_id, name))
            out += std::string("%") + name;
        else
            out += "%" + std::to_string(sin6.sin6_scope_id);
    }
    return out;
}

std::string peer_address(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
        return {};
    if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)
        return numeric_host(reinterpret_cast<const sockaddr*>(&ss));
#ifdef SO_PEERCRED
    if (ss.ss_family == AF_UNIX) {
        ucred cred{};
        socklen_t size = sizeof cred;
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &size) != 0)
            return {};
        return "localhost:" + std::to_string(cred.uid) + ":" + std::to_string(cred.gid) + ":" +
               std::to_string(cred.pid);
    }
#endif
    return {};
}

} // namespace zmtp::detail
