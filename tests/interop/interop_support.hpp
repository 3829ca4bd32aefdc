// Interop test support: RAII wrappers for real libzmq sockets, our sockets with timeouts set,
// payload patterns and port helpers. Every blocking call is bounded by `timeout_ms`.
#pragma once

#include "tests/support/payload.hpp"
#include "zmtp/zmtp.hpp"

#include <zmq.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zmtp::interop {

/// Upper bound of every blocking send/recv in the interop suite.
constexpr int timeout_ms = 10000;

/// Which side binds; the other connects. Every case runs in both.
enum class role { zmtp_binds, libzmq_binds };

inline const char* role_name(role r) {
    return r == role::zmtp_binds ? "zmtp binds, libzmq connects"
                                 : "libzmq binds, zmtp connects";
}

/// A libzmq context, terminated on destruction (sockets must be closed before).
class zctx {
public:
    zctx();
    ~zctx() { term(); }
    zctx(const zctx&) = delete;
    zctx& operator=(const zctx&) = delete;
    void* get() const noexcept { return ctx_; }
    /// zmq_ctx_term: returns once every socket of the context has closed its connections.
    void term() noexcept;

private:
    void* ctx_;
};

/// A libzmq socket with LINGER 0 and RCVTIMEO/SNDTIMEO = timeout_ms. Failures throw
/// std::runtime_error naming the call and zmq_strerror, which fails the test case.
class zsock {
public:
    explicit zsock(const zctx& ctx, int type = ZMQ_PAIR);
    ~zsock() { close(); }
    zsock(const zsock&) = delete;
    zsock& operator=(const zsock&) = delete;

    void* get() const noexcept { return sock_; }
    void close() noexcept;
    void set_int(int option, int value);
    void bind(const std::string& endpoint);
    void connect(const std::string& endpoint);
    std::string last_endpoint() const;
    /// Sends one frame; throws on any failure (including SNDTIMEO).
    void send(std::string_view data, bool more = false);
    void send_multipart(const std::vector<std::string>& parts);
    /// Receives one frame; throws on timeout. `more` gets ZMQ_RCVMORE (checked against
    /// zmq_msg_more).
    std::string recv(bool* more = nullptr);
    /// Receives one frame with ZMQ_DONTWAIT; false if none is ready.
    bool try_recv(std::string& out);
    std::vector<std::string> recv_multipart();
    /// zmq_poll for ZMQ_POLLIN up to `ms`; true if a message is ready.
    bool poll_in(int ms);

private:
    void* sock_;
};

/// Our PAIR socket with LINGER 0 and RCVTIMEO/SNDTIMEO = timeout_ms.
zmtp::socket make_pair(zmtp::context& ctx);
/// Sends one frame; fails the test on would-block (SNDTIMEO expired).
void send_ours(zmtp::socket& s, std::string_view data, bool more = false);
void send_multipart_ours(zmtp::socket& s, const std::vector<std::string>& parts);
/// Receives one frame; fails the test on timeout. `more` gets message::more(), checked
/// against opt::rcvmore.
std::string recv_ours(zmtp::socket& s, bool* more = nullptr);
std::vector<std::string> recv_multipart_ours(zmtp::socket& s);

/// ours sends "ping-<tag>", the libzmq socket must receive it; then "pong-<tag>" back.
void round_trip(zmtp::socket& ours, zsock& theirs, const std::string& tag);

using zmtp::test::first_mismatch; // tests/support/payload.hpp
using zmtp::test::pattern;

/// A short description of a multipart message for failure output.
std::string describe(const std::vector<std::string>& parts);

/// A tcp port on 127.0.0.1 (or ::1) that is free now and outside the kernel's ephemeral
/// range, so a connector retrying against it can never self-connect.
int free_port(bool ipv6 = false);
/// True when an IPv6 socket can bind ::1.
bool ipv6_loopback_available();
/// The port number at the end of "tcp://host:port", or -1.
int port_of(const std::string& endpoint);

/// Our PAIR and a libzmq PAIR joined over tcp, each in its own context. Members are
/// destroyed sockets first, contexts last.
struct pair_link {
    /// Binds the binder to `bind_endpoint` (an ephemeral port by default), connects the other
    /// side to the binder's LAST_ENDPOINT. `ipv6` sets opt::ipv6 / ZMQ_IPV6 on both.
    explicit pair_link(role r, const std::string& bind_endpoint = "tcp://127.0.0.1:*",
                       bool ipv6 = false);
    /// The connector sends one frame the binder receives: afterwards both sides have their
    /// pipe attached (no sleeping; C-TEST-1 pumping happens inside the libzmq recv).
    void sync();

    role r;
    zmtp::context ctx;
    zctx zc;
    zmtp::socket ours;
    zsock theirs;
    std::string endpoint; ///< the binder's LAST_ENDPOINT
};

/// A plain POSIX listening socket (SO_REUSEADDR) used to observe that a peer redials.
class raw_listener {
public:
    /// Binds 127.0.0.1:`port` and listens; throws std::runtime_error on failure.
    explicit raw_listener(int port);
    ~raw_listener();
    raw_listener(const raw_listener&) = delete;
    raw_listener& operator=(const raw_listener&) = delete;
    /// Waits up to `ms` for one incoming connection; true when one was accepted.
    bool accept_one(int ms);
    /// Closes the listener and any accepted connection.
    void close() noexcept;

private:
    int fd_ = -1;
    int conn_ = -1;
};

/// Waits for the first of `events` on a libzmq socket monitored through zmq_socket_monitor;
/// returns the event id, or 0 on timeout.
class zmonitor {
public:
    zmonitor(const zctx& ctx, zsock& target, const std::string& name, int events);
    ~zmonitor();
    zmonitor(const zmonitor&) = delete;
    zmonitor& operator=(const zmonitor&) = delete;
    int next_event(int ms);

private:
    zsock& target_;
    zsock pipe_;
};

} // namespace zmtp::interop
