// Raw POSIX TCP ZMTP peer (see raw_peer.hpp).
#include "tests/pubsub/raw_peer.hpp"

#include "core/wire/command_frame.hpp"
#include "core/wire/greeting.hpp"
#include "core/wire/ready.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace zmtp::pubsub_test {

namespace {

using clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("raw peer: " + what +
                             (errno ? std::string(": ") + std::strerror(errno) : std::string()));
}

int remaining_ms(clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

/// Waits for `events` on `fd` up to `ms` (in slices of at most `slice` ms, calling `pump`
/// between them); true if ready.
bool wait_fd(int fd, short events, int ms, const std::function<void()>& pump, int slice = 5) {
    const auto deadline = clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
        pollfd p{fd, events, 0};
        const int wait = pump ? std::min(slice, remaining_ms(deadline)) : remaining_ms(deadline);
        const int r = ::poll(&p, 1, wait);
        if (r > 0)
            return true;
        if (r < 0 && errno != EINTR)
            fail("poll");
        if (pump)
            pump();
        if (clock::now() >= deadline)
            return false;
    }
}

int parse_port(const std::string& endpoint) {
    const auto colon = endpoint.rfind(':');
    if (endpoint.rfind("tcp://127.0.0.1:", 0) != 0 || colon == std::string::npos)
        throw std::invalid_argument("raw peer needs tcp://127.0.0.1:PORT, got " + endpoint);
    return std::stoi(endpoint.substr(colon + 1));
}

void put_size(bytes& out, std::uint8_t flags, std::size_t size) {
    if (size <= 255) {
        out.push_back(flags);
        out.push_back(static_cast<std::uint8_t>(size));
        return;
    }
    out.push_back(static_cast<std::uint8_t>(flags | 0x02));
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(
            static_cast<std::uint8_t>((static_cast<std::uint64_t>(size) >> shift) & 0xFF));
}

} // namespace

bytes to_bytes(std::string_view s) {
    return bytes(s.begin(), s.end());
}

std::string hex(const bytes& b) {
    std::string out;
    char buf[4];
    for (std::size_t i = 0; i < b.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%02x", b[i]);
        if (i)
            out += ' ';
        out += buf;
    }
    return out;
}

raw_conn::~raw_conn() {
    close();
}

raw_conn::raw_conn(raw_conn&& other) noexcept
    : fd_(other.fd_), in_(std::move(other.in_)), peer_type_(std::move(other.peer_type_)) {
    other.fd_ = -1;
}

raw_conn& raw_conn::operator=(raw_conn&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = other.fd_;
        in_ = std::move(other.in_);
        peer_type_ = std::move(other.peer_type_);
        other.fd_ = -1;
    }
    return *this;
}

void raw_conn::close() {
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
    in_.clear();
}

raw_conn raw_conn::connect(const std::string& endpoint, int timeout_ms) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        fail("socket");
    raw_conn conn(fd);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(parse_port(endpoint)));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
        if (errno != EINPROGRESS)
            fail("connect " + endpoint);
        if (!wait_fd(fd, POLLOUT, timeout_ms, {}))
            fail("connect timeout " + endpoint);
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
            errno = err;
            fail("connect " + endpoint);
        }
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return conn;
}

void raw_conn::send_bytes(const bytes& data, int timeout_ms) {
    const auto deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            fail("send");
        if (!wait_fd(fd_, POLLOUT, remaining_ms(deadline), {}))
            fail("send timeout after " + std::to_string(done) + " of " +
                 std::to_string(data.size()) + " bytes");
    }
}

bool raw_conn::fill(int timeout_ms) {
    std::uint8_t buf[65536];
    for (;;) {
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n > 0) {
            in_.insert(in_.end(), buf, buf + n);
            return true;
        }
        if (n == 0) {
            errno = 0;
            fail("connection closed by peer");
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            fail("recv");
        if (!wait_fd(fd_, POLLIN, timeout_ms, {}))
            return false;
    }
}

bytes raw_conn::read_exact(std::size_t n, int timeout_ms) {
    const auto deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
    while (in_.size() < n) {
        if (!fill(remaining_ms(deadline))) {
            errno = 0;
            fail("timeout reading " + std::to_string(n) + " bytes, have " +
                 std::to_string(in_.size()) + ": " + hex(in_));
        }
    }
    bytes out(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(n));
    in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(n));
    return out;
}

std::optional<raw_frame> raw_conn::read_frame(int timeout_ms, const std::function<void()>& pump) {
    const auto deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        if (in_.size() >= 2) {
            const bool is_long = (in_[0] & 0x02) != 0;
            const std::size_t header = is_long ? 9 : 2;
            if (in_.size() >= header) {
                std::uint64_t size = 0;
                if (is_long)
                    for (std::size_t i = 1; i < 9; ++i)
                        size = (size << 8) | in_[i];
                else
                    size = in_[1];
                if (size > (1u << 30)) {
                    errno = 0;
                    fail("absurd frame size in header " + hex(bytes(in_.begin(), in_.begin() + 9)));
                }
                if (in_.size() >= header + size) {
                    raw_frame f;
                    f.flags = in_[0];
                    f.header.assign(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(header));
                    f.body.assign(in_.begin() + static_cast<std::ptrdiff_t>(header),
                                  in_.begin() + static_cast<std::ptrdiff_t>(header + size));
                    in_.erase(in_.begin(),
                              in_.begin() + static_cast<std::ptrdiff_t>(header + size));
                    return f;
                }
            }
        }
        const int left = remaining_ms(deadline);
        if (pump) {
            pump();
            if (!fill(std::min(left, 5)) && clock::now() >= deadline)
                return std::nullopt;
        } else if (!fill(left)) {
            return std::nullopt;
        }
    }
}

raw_frame raw_conn::expect_frame(int timeout_ms, const std::function<void()>& pump) {
    auto f = read_frame(timeout_ms, pump);
    if (!f) {
        errno = 0;
        fail("no frame within " + std::to_string(timeout_ms) + " ms");
    }
    return std::move(*f);
}

std::optional<std::vector<std::string>> raw_conn::read_message(int timeout_ms) {
    auto f = read_frame(timeout_ms);
    if (!f)
        return std::nullopt;
    std::vector<std::string> out{f->text()};
    while (f->more()) {
        f = expect_frame();
        out.push_back(f->text());
    }
    return out;
}

bool raw_conn::wait_eof(int timeout_ms) {
    const auto deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
    std::uint8_t buf[65536];
    for (;;) {
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            return true;
        if (n > 0)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            fail("recv");
        if (!wait_fd(fd_, POLLIN, remaining_ms(deadline), {}))
            return false;
    }
}

bytes raw_conn::handshake(std::uint8_t minor, std::string_view socket_type) {
    std::uint8_t greeting[wire::greeting_size];
    wire::encode_greeting(greeting, minor);
    bytes out(greeting, greeting + sizeof greeting);
    wire::append_ready(out, socket_type);
    send_bytes(out);
    bytes peer = read_exact(wire::greeting_size);
    const raw_frame ready = expect_frame();
    if (!ready.command()) {
        errno = 0;
        fail("expected READY, got data frame " + hex(ready.body));
    }
    const auto cmd = wire::parse_command(ready.body.data(), ready.body.size());
    if (!cmd || cmd->name != wire::ready_command) {
        errno = 0;
        fail("expected READY, got " + hex(ready.body));
    }
    const auto props = wire::parse_ready(*cmd);
    if (props.error) {
        errno = 0;
        fail("malformed READY " + hex(ready.body));
    }
    const auto type = wire::find_property(props.properties, wire::socket_type_property);
    peer_type_ = type ? std::string(*type) : std::string();
    return peer;
}

raw_listener::raw_listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0)
        fail("socket");
    const int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
        fail("bind");
    if (::listen(fd_, 16) < 0)
        fail("listen");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
}

raw_listener::~raw_listener() {
    if (fd_ >= 0)
        ::close(fd_);
}

std::string raw_listener::endpoint() const {
    return "tcp://127.0.0.1:" + std::to_string(port_);
}

raw_conn raw_listener::accept(int timeout_ms, const std::function<void()>& pump) {
    if (!wait_fd(fd_, POLLIN, timeout_ms, pump)) {
        errno = 0;
        fail("no connection accepted within " + std::to_string(timeout_ms) + " ms");
    }
    const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
        fail("accept");
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return raw_conn(fd);
}

bytes data_frame(std::string_view body, bool more) {
    bytes out;
    put_size(out, more ? 0x01 : 0x00, body.size());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

bytes command_subscription(bool subscribe, std::string_view topic) {
    const std::string_view name = subscribe ? "SUBSCRIBE" : "CANCEL";
    bytes out;
    put_size(out, 0x04, 1 + name.size() + topic.size());
    out.push_back(static_cast<std::uint8_t>(name.size()));
    out.insert(out.end(), name.begin(), name.end());
    out.insert(out.end(), topic.begin(), topic.end());
    return out;
}

bytes legacy_subscription(bool subscribe, std::string_view topic) {
    std::string body(1, subscribe ? '\x01' : '\x00');
    body += topic;
    return data_frame(body);
}

} // namespace zmtp::pubsub_test
