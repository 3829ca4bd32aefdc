// Real libzmq sockets for the interop suites (see libzmq_socket.hpp).
#include "tests/support/libzmq_socket.hpp"

#include "tests/support/wait.hpp"

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace zmtp::test {

namespace {

[[noreturn]] void zmq_fail(const std::string& what) {
    throw std::runtime_error("libzmq " + what + ": " + zmq_strerror(zmq_errno()));
}

} // namespace

zmq_context::zmq_context() : ctx_(zmq_ctx_new()) {
    if (!ctx_)
        zmq_fail("zmq_ctx_new");
}

zmq_context::~zmq_context() {
    zmq_ctx_term(ctx_);
}

zmq_sock::zmq_sock(const zmq_context& ctx, int type) : sock_(zmq_socket(ctx.get(), type)) {
    if (!sock_)
        zmq_fail("zmq_socket");
    set_int(ZMQ_LINGER, 0);
    set_int(ZMQ_SNDTIMEO, timeout_ms);
    set_int(ZMQ_RCVTIMEO, timeout_ms);
}

void zmq_sock::close() {
    if (sock_)
        zmq_close(sock_);
    sock_ = nullptr;
}

void zmq_sock::set_int(int option, int value) {
    if (zmq_setsockopt(sock_, option, &value, sizeof value) != 0)
        zmq_fail("zmq_setsockopt " + std::to_string(option));
}

void zmq_sock::set_bytes(int option, const std::string& value) {
    if (zmq_setsockopt(sock_, option, value.data(), value.size()) != 0)
        zmq_fail("zmq_setsockopt " + std::to_string(option));
}

void zmq_sock::bind(const std::string& endpoint) {
    if (zmq_bind(sock_, endpoint.c_str()) != 0)
        zmq_fail("zmq_bind " + endpoint);
}

void zmq_sock::bind_again(const std::string& endpoint) {
    int err = 0;
    if (!zmtp::test::wait_until([&] {
            if (zmq_bind(sock_, endpoint.c_str()) == 0)
                return true;
            err = zmq_errno();
            return false;
        }))
        throw std::runtime_error("libzmq zmq_bind " + endpoint + ": " + zmq_strerror(err));
}

void zmq_sock::connect(const std::string& endpoint) {
    if (zmq_connect(sock_, endpoint.c_str()) != 0)
        zmq_fail("zmq_connect " + endpoint);
}

std::string zmq_sock::last_endpoint() const {
    char buf[256];
    std::size_t size = sizeof buf;
    if (zmq_getsockopt(sock_, ZMQ_LAST_ENDPOINT, buf, &size) != 0)
        zmq_fail("ZMQ_LAST_ENDPOINT");
    return std::string(buf, size > 0 ? size - 1 : 0);
}

bool zmq_sock::send_parts(const parts& msg, int flags) {
    for (std::size_t i = 0; i < msg.size(); ++i) {
        const int f = flags | (i + 1 < msg.size() ? ZMQ_SNDMORE : 0);
        if (zmq_send(sock_, msg[i].data(), msg[i].size(), f) < 0) {
            if (i == 0 && zmq_errno() == EAGAIN)
                return false;
            zmq_fail("zmq_send");
        }
    }
    return true;
}

std::optional<parts> zmq_sock::recv_parts(int ms) {
    zmq_pollitem_t item{sock_, 0, ZMQ_POLLIN, 0};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        const int rc = zmq_poll(&item, 1, left > 0 ? static_cast<long>(left) : 0);
        if (rc < 0 && zmq_errno() != EINTR)
            zmq_fail("zmq_poll");
        if (rc > 0)
            break;
        if (left <= 0)
            return std::nullopt;
    }
    parts out;
    for (;;) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, sock_, out.empty() ? ZMQ_DONTWAIT : 0) < 0) {
            zmq_msg_close(&m);
            if (out.empty() && zmq_errno() == EAGAIN)
                return std::nullopt; // POLLIN was stale
            zmq_fail("zmq_msg_recv");
        }
        out.emplace_back(static_cast<const char*>(zmq_msg_data(&m)), zmq_msg_size(&m));
        const bool more = zmq_msg_more(&m) != 0;
        zmq_msg_close(&m);
        if (!more)
            return out;
    }
}

parts zmq_sock::expect_parts(int ms) {
    auto m = recv_parts(ms);
    if (!m)
        FAIL("libzmq socket: no message within " << ms << " ms");
    return std::move(*m);
}

void zmq_sock::pump() {
    int events = 0;
    std::size_t size = sizeof events;
    zmq_getsockopt(sock_, ZMQ_EVENTS, &events, &size);
}

zmq_monitor::zmq_monitor(const zmq_context& ctx, zmq_sock& target, const std::string& name,
                         int events)
    : target_(target), pipe_(ctx, ZMQ_PAIR) {
    if (zmq_socket_monitor(target.get(), ("inproc://" + name).c_str(), events) != 0)
        zmq_fail("zmq_socket_monitor");
    pipe_.connect("inproc://" + name);
}

zmq_monitor::~zmq_monitor() {
    if (target_.get())
        zmq_socket_monitor(target_.get(), nullptr, 0);
}

int zmq_monitor::next_event(int ms) {
    const auto event = pipe_.recv_parts(ms); // [u16 event, u32 value][endpoint]
    if (!event)
        return 0;
    if (event->size() != 2 || (*event)[0].size() != 6)
        throw std::runtime_error("zmq_monitor: malformed monitor event");
    std::uint16_t id;
    std::memcpy(&id, (*event)[0].data(), sizeof id);
    return id;
}

} // namespace zmtp::test
