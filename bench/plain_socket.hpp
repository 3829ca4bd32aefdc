// plain_socket: connected tcp loopback / Unix stream socket pairs for the no-ZeroMQ reference
// programs (wire_ceiling, roundtrip_floor), set up as both libraries set theirs up.
#pragma once

#include <cstddef>
#include <string>

namespace bench {

/// Prints `what` with errno's text and exits with status 2.
[[noreturn]] void die(const char* what);

/// A connected pair of stream sockets over `transport` ("tcp": 127.0.0.1 with TCP_NODELAY on
/// both ends, as both libraries set it; "ipc": a Unix stream socket under /tmp, unlinked once
/// connected). `program` names the caller in error messages and in the socket's path.
void connected_pair(const std::string& transport, const char* program, int& a, int& b);

/// send(2) until all `n` bytes are gone (blocking socket); dies on error.
void send_all(int fd, const char* p, std::size_t n);

} // namespace bench
