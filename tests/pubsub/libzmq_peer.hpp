// Real libzmq 4.3 sockets for the PUB/SUB interop cases (same process: zmtp exports no zmq_*),
// and a child process with piped stdin/stdout for the pyzmq peer. Every wait is bounded.
#pragma once

#include "tests/pubsub/pubsub_support.hpp"

#include <zmq.h>

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace zmtp::pubsub_test {

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

/// A child process with its stdin and stdout piped to us; killed and reaped on destruction.
class child_process {
public:
    explicit child_process(const std::vector<std::string>& argv);
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    /// The next stdout line (no '\n'), or nothing on EOF or after `ms`.
    std::optional<std::string> read_line(int ms);
    /// Writes a line (adds '\n') to the child's stdin.
    void write_line(const std::string& line);
    /// Exit status once it exited within `ms` (128 + signal if killed), else nothing.
    std::optional<int> wait_exit(int ms);

private:
    pid_t pid_ = -1;
    int in_fd_ = -1;  ///< child's stdin (we write)
    int out_fd_ = -1; ///< child's stdout (we read)
    std::string buffer_;
    std::optional<int> status_;
};

} // namespace zmtp::pubsub_test
