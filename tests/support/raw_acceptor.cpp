// raw_acceptor: POSIX listen + poll-bounded accept on tcp or ipc.
#include "tests/support/raw_acceptor.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace zmtp::test {

namespace {
[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("raw_acceptor: " + what + ": " + std::strerror(errno));
}
} // namespace

raw_acceptor::raw_acceptor(const std::string& transport) {
    if (transport == "tcp") {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0)
            fail("socket");
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd_, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0)
            fail("bind");
        socklen_t len = sizeof sa;
        if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len) != 0)
            fail("getsockname");
        endpoint_ = "tcp://127.0.0.1:" + std::to_string(ntohs(sa.sin_port));
    } else if (transport == "ipc") {
        char dir[] = "/tmp/zmtp-raw-XXXXXX"; // short: sun_path holds 107 bytes
        if (!::mkdtemp(dir))
            fail("mkdtemp");
        dir_ = dir;
        path_ = dir_ + "/sock";
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0)
            fail("socket");
        sockaddr_un sa{};
        sa.sun_family = AF_UNIX;
        std::memcpy(sa.sun_path, path_.c_str(), path_.size() + 1);
        if (::bind(fd_, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0)
            fail("bind " + path_);
        endpoint_ = "ipc://" + path_;
    } else {
        throw std::runtime_error("raw_acceptor: unsupported transport " + transport);
    }
    if (::listen(fd_, 16) != 0)
        fail("listen");
}

raw_acceptor::~raw_acceptor() {
    if (fd_ >= 0)
        ::close(fd_);
    if (!path_.empty())
        ::unlink(path_.c_str());
    if (!dir_.empty())
        ::rmdir(dir_.c_str());
}

raw_peer raw_acceptor::accept(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    int rc;
    do {
        rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (rc < 0 && errno == EINTR);
    if (rc <= 0)
        return raw_peer();
    const int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    return conn >= 0 ? raw_peer(conn) : raw_peer();
}

} // namespace zmtp::test
