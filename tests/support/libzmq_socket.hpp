// Real libzmq 4.3 sockets in the same process as zmtp (zmtp exports no zmq_* symbols, so both
// link into one binary), for the interop suites. Every blocking call is bounded by timeout_ms;
// failures throw std::runtime_error or fail the test.
#pragma once

#include "tests/support/socket_helpers.hpp"

#include <zmq.h>

#include <optional>
#include <string>
#include <vector>

namespace zmtp::test {

/// Which side binds in a both-directions interop case; the other connects.
enum class role { zmtp_binds, libzmq_binds };

inline const char* role_name(role r) {
    return r == role::zmtp_binds ? "zmtp binds, libzmq connects" : "libzmq binds, zmtp connects";
}

/// A libzmq context, terminated on destruction (its sockets must be closed first).
class zmq_context {
public:
    zmq_context();
    ~zmq_context();
    zmq_context(const zmq_context&) = delete;
    zmq_context& operator=(const zmq_context&) = delete;
    void* get() const { return ctx_; }

private:
    void* ctx_;
};

/// A libzmq socket: LINGER 0, SNDTIMEO/RCVTIMEO = timeout_ms. Failures throw runtime_error.
class zmq_sock {
public:
    zmq_sock(const zmq_context& ctx, int type);
    ~zmq_sock() { close(); }
    zmq_sock(const zmq_sock&) = delete;
    zmq_sock& operator=(const zmq_sock&) = delete;

    void* get() const { return sock_; }
    void close();
    void set_int(int option, int value);
    void set_bytes(int option, const std::string& value);
    void subscribe(const std::string& topic) { set_bytes(ZMQ_SUBSCRIBE, topic); }
    void unsubscribe(const std::string& topic) { set_bytes(ZMQ_UNSUBSCRIBE, topic); }
    void bind(const std::string& endpoint);
    /// zmq_bind retried while the endpoint is still held by a closing socket.
    void bind_again(const std::string& endpoint);
    void connect(const std::string& endpoint);
    std::string last_endpoint() const;

    /// Sends all frames; false if the first frame would block (EAGAIN), throws otherwise.
    bool send_parts(const parts& msg, int flags = 0);
    /// One whole message within `ms` (zmq_poll, which also lets libzmq process its commands,
    /// C-TEST-1); nothing on timeout.
    std::optional<parts> recv_parts(int ms);
    parts expect_parts(int ms = timeout_ms);
    /// Lets libzmq process pending commands (attach, reconnect, re-subscribe) without reading.
    void pump();

private:
    void* sock_;
};

/// zmq_socket_monitor on a libzmq socket, read through an inproc PAIR of the same context.
class zmq_monitor {
public:
    /// Starts monitoring `target` for `events` (ZMQ_EVENT_* mask) at inproc://`name`.
    zmq_monitor(const zmq_context& ctx, zmq_sock& target, const std::string& name, int events);
    ~zmq_monitor();
    zmq_monitor(const zmq_monitor&) = delete;
    zmq_monitor& operator=(const zmq_monitor&) = delete;
    /// The next event id within `ms`, or 0 on timeout.
    int next_event(int ms = timeout_ms);

private:
    zmq_sock& target_;
    zmq_sock pipe_;
};

} // namespace zmtp::test
