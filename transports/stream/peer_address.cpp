// Peer-Address, as libzmq 4.3 reports it (checked against it in tests/interop): getnameinfo's
// numeric host for IP sockets; for Unix sockets the host is "localhost" followed by the
// SO_PEERCRED uid, gid and pid.
#include "transports/stream/peer_address.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/un.h>

namespace zmtp::detail {

std::string peer_address(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
        return {};
    if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6) {
        char host[NI_MAXHOST];
        if (::getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof host, nullptr, 0,
                          NI_NUMERICHOST) != 0)
            return {};
        return host;
    }
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
