// raw_peer: blocking POSIX stream socket with per-call deadlines, plus ZMTP byte builders.
#include "tests/support/raw_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace zmtp::test {

namespace {
using clock = std::chrono::steady_clock;

bool is_reset(int e) {
    return e == ECONNRESET || e == EPIPE || e == ECONNABORTED;
}
} // namespace

std::string raw_frame::command_name() const {
    if (body.empty() || body[0] == 0 || body[0] + 1u > body.size())
        return {};
    return std::string(body.begin() + 1, body.begin() + 1 + body[0]);
}

bytes raw_frame::command_data() const {
    if (body.empty() || body[0] + 1u > body.size())
        return {};
    return bytes(body.begin() + 1 + body[0], body.end());
}

raw_peer::raw_peer(raw_peer&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), last_error_(std::move(other.last_error_)),
      server_ready_(std::move(other.server_ready_)),
      server_greeting_(std::move(other.server_greeting_)) {}

raw_peer& raw_peer::operator=(raw_peer&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = std::exchange(other.fd_, -1);
        last_error_ = std::move(other.last_error_);
        server_ready_ = std::move(other.server_ready_);
        server_greeting_ = std::move(other.server_greeting_);
    }
    return *this;
}

void raw_peer::set_timeout(int opt, clock::duration left) {
    // A zero timeval would mean "no timeout": never go below 1 ms.
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(left).count();
    if (us < 1000)
        us = 1000;
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(us / 1000000);
    tv.tv_usec = static_cast<suseconds_t>(us % 1000000);
    ::setsockopt(fd_, SOL_SOCKET, opt, &tv, sizeof tv);
}

bool raw_peer::connect(std::uint16_t port, ms timeout) {
    return connect("tcp://127.0.0.1:" + std::to_string(port), timeout);
}

bool raw_peer::connect(const std::string& endpoint, ms timeout) {
    close();
    sockaddr_storage ss{};
    socklen_t len = 0;
    int family = AF_INET;
    const std::string tcp = "tcp://", ipc = "ipc://";
    if (endpoint.compare(0, tcp.size(), tcp) == 0) {
        const auto colon = endpoint.rfind(':');
        auto& sa = reinterpret_cast<sockaddr_in&>(ss);
        sa.sin_family = AF_INET;
        sa.sin_port = htons(static_cast<std::uint16_t>(std::atoi(endpoint.c_str() + colon + 1)));
        const std::string host = endpoint.substr(tcp.size(), colon - tcp.size());
        if (::inet_pton(AF_INET, host.c_str(), &sa.sin_addr) != 1) {
            last_error_ = "not an IPv4 literal: " + endpoint;
            return false;
        }
        len = sizeof sa;
    } else if (endpoint.compare(0, ipc.size(), ipc) == 0) {
        family = AF_UNIX;
        auto& sa = reinterpret_cast<sockaddr_un&>(ss);
        sa.sun_family = AF_UNIX;
        std::string path = endpoint.substr(ipc.size());
        if (path.size() >= sizeof sa.sun_path) {
            last_error_ = "ipc path too long: " + endpoint;
            return false;
        }
        const bool abstract = !path.empty() && path[0] == '@';
        if (abstract)
            path[0] = '\0'; // Linux abstract name: no trailing NUL counted (C-IPC-2)
        std::memcpy(sa.sun_path, path.data(), path.size());
        len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() +
                                     (abstract ? 0 : 1));
    } else {
        last_error_ = "unsupported endpoint: " + endpoint;
        return false;
    }
    fd_ = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        last_error_ = std::strerror(errno);
        return false;
    }
    if (family == AF_INET) {
        const int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    set_timeout(SO_SNDTIMEO, timeout); // bounds connect() too (Linux)
    int rc;
    do {
        rc = ::connect(fd_, reinterpret_cast<const sockaddr*>(&ss), len);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        last_error_ = std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        return false;
    }
    return true;
}

bool raw_peer::send(const std::uint8_t* data, std::size_t size, ms timeout) {
    if (fd_ < 0)
        return false;
    const auto deadline = clock::now() + timeout;
    std::size_t done = 0;
    while (done < size) {
        const auto left = deadline - clock::now();
        if (left <= clock::duration::zero()) {
            last_error_ = "send timeout";
            return false;
        }
        set_timeout(SO_SNDTIMEO, left);
        const ssize_t n = ::send(fd_, data + done, size - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        last_error_ = std::strerror(errno);
        return false;
    }
    return true;
}

read_status raw_peer::recv_some(std::uint8_t* buf, std::size_t cap, std::size_t& got,
                                clock::time_point deadline) {
    got = 0;
    if (fd_ < 0)
        return read_status::error;
    for (;;) {
        const auto left = deadline - clock::now();
        if (left <= clock::duration::zero())
            return read_status::timeout;
        set_timeout(SO_RCVTIMEO, left);
        const ssize_t n = ::recv(fd_, buf, cap, 0);
        if (n > 0) {
            got = static_cast<std::size_t>(n);
            return read_status::ok;
        }
        if (n == 0)
            return read_status::closed;
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
            continue; // EAGAIN: SO_RCVTIMEO expired; the loop re-checks the deadline
        if (is_reset(errno))
            return read_status::closed;
        last_error_ = std::strerror(errno);
        return read_status::error;
    }
}

read_status raw_peer::read_exact(std::size_t n, bytes& out, ms timeout) {
    const auto deadline = clock::now() + timeout;
    const std::size_t start = out.size();
    out.resize(start + n);
    std::size_t have = 0;
    while (have < n) {
        std::size_t got = 0;
        const auto st = recv_some(out.data() + start + have, n - have, got, deadline);
        if (st != read_status::ok) {
            out.resize(start + have);
            return st;
        }
        have += got;
    }
    return read_status::ok;
}

read_status raw_peer::read_frame(raw_frame& out, ms timeout, std::uint64_t max_body) {
    const auto deadline = clock::now() + timeout;
    auto left = [&] {
        return std::max(ms(1), std::chrono::duration_cast<ms>(deadline - clock::now()));
    };
    bytes h;
    if (auto st = read_exact(2, h, left()); st != read_status::ok)
        return st;
    out.flags = h[0];
    std::uint64_t size = h[1];
    if (out.flags & 0x02) {
        if (auto st = read_exact(7, h, left()); st != read_status::ok)
            return st;
        size = 0;
        for (std::size_t i = 1; i < 9; ++i)
            size = (size << 8) | h[i];
    }
    if (size > max_body) {
        last_error_ = "frame too large: " + std::to_string(size);
        return read_status::error;
    }
    out.body.clear();
    return read_exact(static_cast<std::size_t>(size), out.body, left());
}

bool raw_peer::wait_closed(ms timeout, bytes* seen) {
    const auto deadline = clock::now() + timeout;
    std::uint8_t buf[4096];
    for (;;) {
        std::size_t got = 0;
        const auto st = recv_some(buf, sizeof buf, got, deadline);
        if (st == read_status::closed)
            return true;
        if (st != read_status::ok)
            return false;
        if (seen)
            seen->insert(seen->end(), buf, buf + got);
    }
}

bool raw_peer::stays_open(ms period, bytes* seen) {
    const auto deadline = clock::now() + period;
    std::uint8_t buf[4096];
    for (;;) {
        std::size_t got = 0;
        const auto st = recv_some(buf, sizeof buf, got, deadline);
        if (st == read_status::timeout)
            return true;
        if (st != read_status::ok)
            return false;
        if (seen)
            seen->insert(seen->end(), buf, buf + got);
    }
}

void raw_peer::shutdown_write() {
    if (fd_ >= 0)
        ::shutdown(fd_, SHUT_WR);
}

void raw_peer::close(bool reset) {
    if (fd_ < 0)
        return;
    if (reset) {
        linger lg{};
        lg.l_onoff = 1;
        lg.l_linger = 0;
        ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    ::close(fd_);
    fd_ = -1;
}

bool raw_peer::handshake(const bytes& greeting_bytes, const bytes& ready_bytes, ms timeout) {
    const auto deadline = clock::now() + timeout;
    auto left = [&] {
        return std::max(ms(1), std::chrono::duration_cast<ms>(deadline - clock::now()));
    };
    if (!send(cat({greeting_bytes, ready_bytes}), left()))
        return false;
    server_greeting_.clear();
    if (read_exact(64, server_greeting_, left()) != read_status::ok) {
        last_error_ = "no server greeting";
        return false;
    }
    if (read_frame(server_ready_, left()) != read_status::ok) {
        last_error_ = "no server READY";
        return false;
    }
    if (!server_ready_.command() || server_ready_.command_name() != "READY") {
        last_error_ = "server sent " + hex(server_ready_.body) + " instead of READY";
        return false;
    }
    return true;
}

// ---- byte builders ----------------------------------------------------------------------

bytes greeting(std::uint8_t major, std::uint8_t minor, std::string_view mechanism) {
    bytes g(64, 0);
    g[0] = 0xFF;
    g[9] = 0x7F;
    g[10] = major;
    g[11] = minor;
    std::copy_n(mechanism.begin(), std::min<std::size_t>(mechanism.size(), 20), g.begin() + 12);
    return g;
}

bytes long_header(std::uint8_t flags, std::uint64_t declared_size) {
    bytes out{static_cast<std::uint8_t>(flags | 0x02)};
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(declared_size >> shift));
    return out;
}

bytes frame(std::uint8_t flags, std::string_view body, bool long_form) {
    bytes out;
    if (long_form || body.size() > 255) {
        out = long_header(flags, body.size());
    } else {
        out.push_back(flags);
        out.push_back(static_cast<std::uint8_t>(body.size()));
    }
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

bytes command(std::string_view name, std::string_view data) {
    std::string body;
    body.push_back(static_cast<char>(name.size()));
    body.append(name);
    body.append(data);
    return frame(0x04, body);
}

std::string properties(const std::vector<std::pair<std::string, std::string>>& props) {
    std::string out;
    for (const auto& [name, value] : props) {
        out.push_back(static_cast<char>(name.size()));
        out.append(name);
        const auto n = static_cast<std::uint32_t>(value.size());
        out.push_back(static_cast<char>(n >> 24));
        out.push_back(static_cast<char>(n >> 16));
        out.push_back(static_cast<char>(n >> 8));
        out.push_back(static_cast<char>(n));
        out.append(value);
    }
    return out;
}

bytes ready(std::string_view type) {
    if (type.empty())
        return command("READY");
    return command("READY", properties({{"Socket-Type", std::string(type)}}));
}

bytes message_frame(std::string_view body, bool more) {
    return frame(more ? 0x01 : 0x00, body);
}

bytes cat(std::initializer_list<bytes> parts) {
    bytes out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

std::string hex(const bytes& b, std::size_t max) {
    std::string out;
    char tmp[4];
    for (std::size_t i = 0; i < b.size() && i < max; ++i) {
        std::snprintf(tmp, sizeof tmp, "%02x ", b[i]);
        out += tmp;
    }
    if (b.size() > max)
        out += "... (" + std::to_string(b.size()) + " bytes)";
    return out;
}

} // namespace zmtp::test
