// The "Peer-Address" property of a connection, spelled as libzmq spells it.
#pragma once

#include <string>

struct sockaddr;

namespace zmtp::detail {

/// An IPv4 or IPv6 socket address's host as getnameinfo(NI_NUMERICHOST) spells it:
/// "a.b.c.d", "x::y", "x::y%eth0" (a link-local scope by interface name), "x::y%3" (other
/// scopes). Empty for another family.
std::string numeric_host(const sockaddr* address);

/// For a connected socket `fd`: tcp gives the peer's numeric IP ("127.0.0.1", "::1", or
/// "::ffff:127.0.0.1" on a dual-stack socket); ipc gives "localhost:uid:gid:pid" from the
/// peer's credentials. Empty when the system cannot tell.
std::string peer_address(int fd);

} // namespace zmtp::detail
