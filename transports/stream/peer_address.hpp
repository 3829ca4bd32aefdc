// The "Peer-Address" property of a connection, spelled as libzmq spells it.
#pragma once

#include <string>

namespace zmtp::detail {

/// For a connected socket `fd`: tcp gives the peer's numeric IP ("127.0.0.1", "::1", or
/// "::ffff:127.0.0.1" on a dual-stack socket); ipc gives "localhost:uid:gid:pid" from the
/// peer's credentials. Empty when the system cannot tell.
std::string peer_address(int fd);

} // namespace zmtp::detail
