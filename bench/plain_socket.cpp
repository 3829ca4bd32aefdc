// plain_socket: see plain_socket.hpp.
#include "plain_socket.hpp"

#include <cstdio>
#include <cstdlib>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace bench {

[[noreturn]] void die(const char* what) {
    std::perror(what);
    std::exit(2);
}

void connected_pair(const std::string& transport, const char* program, int& a, int& b) {
    int listener;
    sockaddr_storage addr{};
    socklen_t len;
    if (transport == "tcp") {
        listener = socket(AF_INET, SOCK_STREAM, 0);
        auto* in = reinterpret_cast<sockaddr_in*>(&addr);
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof(sockaddr_in);
    } else if (transport == "ipc") {
        listener = socket(AF_UNIX, SOCK_STREAM, 0);
        auto* un = reinterpret_cast<sockaddr_un*>(&addr);
        un->sun_family = AF_UNIX;
        std::snprintf(un->sun_path, sizeof un->sun_path, "/tmp/%s_%d.sock", program,
                      getpid());
        unlink(un->sun_path);
        len = sizeof(sockaddr_un);
    } else {
        std::fprintf(stderr, "%s: unknown transport %s\n", program, transport.c_str());
        std::exit(2);
    }
    if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        listen(listener, 1) != 0 ||
        getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        die("listen");
    a = socket(addr.ss_family, SOCK_STREAM, 0);
    if (a < 0 || connect(a, reinterpret_cast<sockaddr*>(&addr), len) != 0)
        die("connect");
    b = accept(listener, nullptr, nullptr);
    if (b < 0)
        die("accept");
    if (transport == "tcp") { // as both libraries set it (it changes nothing for big writes)
        int one = 1;
        setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        setsockopt(b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    } else {
        unlink(reinterpret_cast<sockaddr_un*>(&addr)->sun_path);
    }
    close(listener);
}

void send_all(int fd, const char* p, std::size_t n) {
    for (std::size_t off = 0; off < n;) {
        const ssize_t k = send(fd, p + off, n - off, MSG_NOSIGNAL);
        if (k <= 0)
            die("send");
        off += static_cast<std::size_t>(k);
    }
}

} // namespace bench
