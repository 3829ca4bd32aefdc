// raw_acceptor: a plain POSIX listening socket on tcp (127.0.0.1, ephemeral port) or ipc (a
// fresh path in a private temporary directory), so a raw test peer can be the side a zmtp
// socket connects to, and can see it redial.
#pragma once

#include "tests/support/raw_peer.hpp"

#include <chrono>
#include <string>

namespace zmtp::test {

class raw_acceptor {
public:
    /// Listens on `transport` ("tcp" or "ipc"); throws std::runtime_error on failure.
    explicit raw_acceptor(const std::string& transport);
    ~raw_acceptor();
    raw_acceptor(const raw_acceptor&) = delete;
    raw_acceptor& operator=(const raw_acceptor&) = delete;

    /// Where to connect: "tcp://127.0.0.1:PORT" or "ipc:///tmp/.../sock".
    const std::string& endpoint() const noexcept { return endpoint_; }
    /// The next incoming connection within `timeout`; an unconnected raw_peer if none came.
    raw_peer accept(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

private:
    int fd_ = -1;
    std::string endpoint_;
    std::string dir_; ///< ipc: the temporary directory holding the socket file
    std::string path_;
};

} // namespace zmtp::test
