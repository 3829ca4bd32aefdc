// Helpers for the C API tests: RAII for contexts and sockets, option shortcuts, ephemeral tcp
// endpoints and a condition wait. Everything goes through zmq.h, nothing through zmtp's C++ API.
#pragma once

#include <zmq.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace capi_test {

/// A context terminated at scope exit (after the sockets declared later are closed).
struct context {
    void *ctx = zmq_ctx_new();
    context() = default;
    context(const context &) = delete;
    context &operator=(const context &) = delete;
    ~context() {
        if (ctx)
            zmq_ctx_term(ctx);
    }
    operator void *() const { return ctx; }
};

inline int get_int(void *s, int option) {
    int value = -12345;
    size_t size = sizeof value;
    return zmq_getsockopt(s, option, &value, &size) == 0 ? value : -12345;
}

inline int set_int(void *s, int option, int value) {
    return zmq_setsockopt(s, option, &value, sizeof value);
}

/// A socket closed with LINGER 0 at scope exit; blocking calls time out after 5 s.
struct socket {
    void *s;
    socket(void *ctx, int type) : s(zmq_socket(ctx, type)) {
        if (s) {
            set_int(s, ZMQ_RCVTIMEO, 5000);
            set_int(s, ZMQ_SNDTIMEO, 5000);
        }
    }
    socket(const socket &) = delete;
    socket &operator=(const socket &) = delete;
    ~socket() {
        if (s) {
            set_int(s, ZMQ_LINGER, 0);
            zmq_close(s);
        }
    }
    operator void *() const { return s; }
};

inline std::string last_endpoint(void *s) {
    char buf[256];
    size_t size = sizeof buf;
    if (zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, buf, &size) != 0 || size == 0)
        return "<error>";
    return std::string(buf, size - 1);
}

/// Binds `s` to an ephemeral loopback tcp port and returns the endpoint to connect to.
inline std::string bind_loopback(void *s) {
    if (zmq_bind(s, "tcp://127.0.0.1:*") != 0)
        return "<bind failed>";
    return last_endpoint(s);
}

/// Receives one frame as a string ("<errno N>" on failure).
inline std::string recv_string(void *s, int flags = 0) {
    char buf[1024];
    const int n = zmq_recv(s, buf, sizeof buf, flags);
    if (n < 0)
        return "<errno " + std::to_string(zmq_errno()) + ">";
    return std::string(buf,
                       static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf);
}

inline int send_string(void *s, const std::string &text, int flags = 0) {
    return zmq_send(s, text.data(), text.size(), flags);
}

/// errno of a call that is expected to fail (-1); 0 if it unexpectedly succeeded.
inline int errno_of(int rc) {
    return rc == -1 ? zmq_errno() : 0;
}
/// errno of a pointer-returning call that is expected to fail (NULL).
inline int errno_of(const void *p) {
    return p == nullptr ? zmq_errno() : 0;
}

/// Polls `cond` until it holds or `timeout` passes; returns its last value.
template <typename F>
bool wait_until(F cond, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!cond()) {
        if (std::chrono::steady_clock::now() > deadline)
            return cond();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

/// A connected tcp PAIR (bind side `a`, connect side `b`) on loopback.
struct tcp_pair {
    context ctx;
    socket a{ctx, ZMQ_PAIR};
    socket b{ctx, ZMQ_PAIR};
    std::string endpoint = bind_loopback(a);
    int connected = zmq_connect(b, endpoint.c_str());
};

} // namespace capi_test
