// Interop test support: libzmq RAII wrappers, our sockets with timeouts, patterns, ports.
#include "tests/interop/interop_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>

namespace zmtp::interop {

namespace {

[[noreturn]] void fail_zmq(const char* call) {
    const int e = zmq_errno();
    throw std::runtime_error(std::string("libzmq ") + call + " failed: " + zmq_strerror(e) +
                             (e == EAGAIN ? " (timeout)" : ""));
}

} // namespace

// ---- zctx / zsock ----

zctx::zctx() : ctx_(zmq_ctx_new()) {
    if (!ctx_)
        fail_zmq("zmq_ctx_new");
}

void zctx::term() noexcept {
    if (!ctx_)
        return;
    while (zmq_ctx_term(ctx_) != 0 && zmq_errno() == EINTR) {
    }
    ctx_ = nullptr;
}

zsock::zsock(const zctx& ctx, int type) : sock_(zmq_socket(ctx.get(), type)) {
    if (!sock_)
        fail_zmq("zmq_socket");
    set_int(ZMQ_LINGER, 0);
    set_int(ZMQ_RCVTIMEO, timeout_ms);
    set_int(ZMQ_SNDTIMEO, timeout_ms);
}

void zsock::close() noexcept {
    if (!sock_)
        return;
    int zero = 0;
    zmq_setsockopt(sock_, ZMQ_LINGER, &zero, sizeof zero);
    zmq_close(sock_);
    sock_ = nullptr;
}

void zsock::set_int(int option, int value) {
    if (zmq_setsockopt(sock_, option, &value, sizeof value) != 0)
        fail_zmq("zmq_setsockopt");
}

void zsock::bind(const std::string& endpoint) {
    if (zmq_bind(sock_, endpoint.c_str()) != 0)
        fail_zmq(("zmq_bind " + endpoint).c_str());
}

void zsock::connect(const std::string& endpoint) {
    if (zmq_connect(sock_, endpoint.c_str()) != 0)
        fail_zmq(("zmq_connect " + endpoint).c_str());
}

std::string zsock::last_endpoint() const {
    char buf[256];
    size_t size = sizeof buf;
    if (zmq_getsockopt(sock_, ZMQ_LAST_ENDPOINT, buf, &size) != 0)
        fail_zmq("zmq_getsockopt(ZMQ_LAST_ENDPOINT)");
    return std::string(buf, size > 0 ? size - 1 : 0);
}

void zsock::send(std::string_view data, bool more) {
    if (zmq_send(sock_, data.data(), data.size(), more ? ZMQ_SNDMORE : 0) < 0)
        fail_zmq("zmq_send");
}

void zsock::send_multipart(const std::vector<std::string>& parts) {
    for (std::size_t i = 0; i < parts.size(); ++i)
        send(parts[i], i + 1 < parts.size());
}

std::string zsock::recv(bool* more) {
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, sock_, 0) < 0) {
        zmq_msg_close(&msg);
        fail_zmq("zmq_msg_recv");
    }
    std::string out(static_cast<const char*>(zmq_msg_data(&msg)), zmq_msg_size(&msg));
    const bool msg_more = zmq_msg_more(&msg) != 0;
    zmq_msg_close(&msg);
    int rcvmore = -1;
    size_t size = sizeof rcvmore;
    if (zmq_getsockopt(sock_, ZMQ_RCVMORE, &rcvmore, &size) != 0)
        fail_zmq("zmq_getsockopt(ZMQ_RCVMORE)");
    if ((rcvmore != 0) != msg_more)
        throw std::runtime_error("libzmq: ZMQ_RCVMORE disagrees with zmq_msg_more");
    if (more)
        *more = msg_more;
    return out;
}

bool zsock::try_recv(std::string& out) {
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, sock_, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&msg);
        if (zmq_errno() == EAGAIN)
            return false;
        fail_zmq("zmq_msg_recv(ZMQ_DONTWAIT)");
    }
    out.assign(static_cast<const char*>(zmq_msg_data(&msg)), zmq_msg_size(&msg));
    zmq_msg_close(&msg);
    return true;
}

std::vector<std::string> zsock::recv_multipart() {
    std::vector<std::string> parts;
    bool more = true;
    while (more)
        parts.push_back(recv(&more));
    return parts;
}

bool zsock::poll_in(int ms) {
    zmq_pollitem_t item{sock_, 0, ZMQ_POLLIN, 0};
    const int rc = zmq_poll(&item, 1, ms);
    if (rc < 0)
        fail_zmq("zmq_poll");
    return rc > 0 && (item.revents & ZMQ_POLLIN) != 0;
}

// ---- our sockets ----

zmtp::socket make_pair(zmtp::context& ctx) {
    zmtp::socket s(ctx, zmtp::socket_type::pair);
    s.set(zmtp::opt::linger, 0);
    s.set(zmtp::opt::rcvtimeo, timeout_ms);
    s.set(zmtp::opt::sndtimeo, timeout_ms);
    return s;
}

void send_ours(zmtp::socket& s, std::string_view data, bool more) {
    zmtp::message msg(data.data(), data.size());
    const bool sent = s.send(msg, more ? zmtp::send_flags::sndmore : zmtp::send_flags::none);
    if (!sent)
        throw std::runtime_error("zmtp send: would block after SNDTIMEO (timeout)");
}

void send_multipart_ours(zmtp::socket& s, const std::vector<std::string>& parts) {
    for (std::size_t i = 0; i < parts.size(); ++i)
        send_ours(s, parts[i], i + 1 < parts.size());
}

std::string recv_ours(zmtp::socket& s, bool* more) {
    zmtp::message msg;
    if (!s.recv(msg))
        throw std::runtime_error("zmtp recv: nothing received within RCVTIMEO (timeout)");
    const int rcvmore = s.get(zmtp::opt::rcvmore);
    if ((rcvmore != 0) != msg.more())
        throw std::runtime_error("zmtp: opt::rcvmore disagrees with message::more()");
    if (more)
        *more = msg.more();
    return msg.to_string();
}

std::vector<std::string> recv_multipart_ours(zmtp::socket& s) {
    std::vector<std::string> parts;
    bool more = true;
    while (more)
        parts.push_back(recv_ours(s, &more));
    return parts;
}

// ---- pair_link ----

pair_link::pair_link(role r_, const std::string& bind_endpoint, bool ipv6)
    : r(r_), ours(make_pair(ctx)), theirs(zc) {
    if (ipv6) {
        ours.set(zmtp::opt::ipv6, 1);
        theirs.set_int(ZMQ_IPV6, 1);
    }
    if (r == role::zmtp_binds) {
        ours.bind(bind_endpoint);
        endpoint = ours.get(zmtp::opt::last_endpoint);
        theirs.connect(endpoint);
    } else {
        theirs.bind(bind_endpoint);
        endpoint = theirs.last_endpoint();
        ours.connect(endpoint);
    }
}

void pair_link::sync() {
    std::string got;
    if (r == role::zmtp_binds) {
        theirs.send("sync");
        got = recv_ours(ours);
    } else {
        send_ours(ours, "sync");
        got = theirs.recv();
    }
    if (got != "sync")
        throw std::runtime_error("pair_link::sync: expected \"sync\", got " +
                                 std::to_string(got.size()) + " bytes");
}

void round_trip(zmtp::socket& ours, zsock& theirs, const std::string& tag) {
    send_ours(ours, "ping-" + tag);
    const std::string ping = theirs.recv();
    if (ping != "ping-" + tag)
        throw std::runtime_error("round_trip " + tag + ": libzmq received \"" + ping + '"');
    theirs.send("pong-" + tag);
    const std::string pong = recv_ours(ours);
    if (pong != "pong-" + tag)
        throw std::runtime_error("round_trip " + tag + ": zmtp received \"" + pong + '"');
}

// ---- data ----

std::string describe(const std::vector<std::string>& parts) {
    std::string out = std::to_string(parts.size()) + " parts [";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i)
            out += ", ";
        if (parts[i].size() <= 16)
            out += '"' + parts[i] + '"';
        else
            out += std::to_string(parts[i].size()) + " bytes";
    }
    return out + "]";
}

// ---- ports ----

namespace {

bool bind_probe(bool ipv6, int port, int* bound_port) {
    const int fd = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_storage ss{};
    socklen_t len;
    if (ipv6) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        a->sin6_port = htons(static_cast<std::uint16_t>(port));
        len = sizeof *a;
    } else {
        auto* a = reinterpret_cast<sockaddr_in*>(&ss);
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a->sin_port = htons(static_cast<std::uint16_t>(port));
        len = sizeof *a;
    }
    bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) == 0;
    if (ok && bound_port) {
        socklen_t l = sizeof ss;
        ok = ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &l) == 0;
        *bound_port = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                 : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    }
    ::close(fd);
    return ok;
}

} // namespace

int free_port(bool ipv6) {
    int low = 32768, high = 60999;
    std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
    range >> low >> high;
    // Prefer ports below the ephemeral range; fall back to above it.
    int from = 10000, to = low - 1;
    if (to - from < 1000) {
        from = high + 1;
        to = 65535;
    }
    std::mt19937 rng(std::random_device{}());
    std::uniform_int_distribution<int> pick(from, to);
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int port = pick(rng);
        if (bind_probe(ipv6, port, nullptr))
            return port;
    }
    throw std::runtime_error("free_port: no free tcp port found");
}

bool ipv6_loopback_available() { return bind_probe(true, 0, nullptr); }

int port_of(const std::string& endpoint) {
    const auto colon = endpoint.rfind(':');
    if (colon == std::string::npos || colon + 1 >= endpoint.size())
        return -1;
    try {
        std::size_t used = 0;
        const int port = std::stoi(endpoint.substr(colon + 1), &used);
        return used == endpoint.size() - colon - 1 ? port : -1;
    } catch (...) {
        return -1;
    }
}

// ---- raw_listener ----

raw_listener::raw_listener(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0)
        throw std::runtime_error("raw_listener: socket: " + std::string(std::strerror(errno)));
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 8) != 0) {
        const std::string err = std::strerror(errno);
        close();
        throw std::runtime_error("raw_listener: bind/listen port " + std::to_string(port) +
                                 ": " + err);
    }
}

raw_listener::~raw_listener() { close(); }

bool raw_listener::accept_one(int ms) {
    pollfd p{fd_, POLLIN, 0};
    int rc;
    do {
        rc = ::poll(&p, 1, ms);
    } while (rc < 0 && errno == EINTR);
    if (rc <= 0)
        return false;
    conn_ = ::accept(fd_, nullptr, nullptr);
    return conn_ >= 0;
}

void raw_listener::close() noexcept {
    if (conn_ >= 0)
        ::close(conn_);
    if (fd_ >= 0)
        ::close(fd_);
    conn_ = fd_ = -1;
}

// ---- zmonitor ----

zmonitor::zmonitor(const zctx& ctx, zsock& target, const std::string& name, int events)
    : target_(target), pipe_(ctx, ZMQ_PAIR) {
    if (zmq_socket_monitor(target.get(), ("inproc://" + name).c_str(), events) != 0)
        fail_zmq("zmq_socket_monitor");
    pipe_.connect("inproc://" + name);
}

zmonitor::~zmonitor() {
    if (target_.get())
        zmq_socket_monitor(target_.get(), nullptr, 0);
}

int zmonitor::next_event(int ms) {
    if (!pipe_.poll_in(ms))
        return 0;
    const auto parts = pipe_.recv_multipart(); // [6 bytes: u16 event, u32 value][endpoint]
    if (parts.empty() || parts[0].size() < 2)
        throw std::runtime_error("zmonitor: malformed monitor event");
    std::uint16_t event;
    std::memcpy(&event, parts[0].data(), sizeof event);
    return event;
}

} // namespace zmtp::interop
