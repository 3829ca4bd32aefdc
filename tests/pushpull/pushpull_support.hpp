// PUSH/PULL interop support: our sockets and real libzmq 4.3 sockets joined over tcp or ipc,
// numbered multipart messages whose every frame depends on the sequence number, a warm-up that
// proves every peer is attached, a monitor log for our sockets and a helper thread.
#pragma once

#include "tests/support/libzmq_socket.hpp"
#include "tests/support/payload.hpp"
#include "tests/support/transports.hpp"

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace zmtp::pushpull_test {

using zmtp::test::expect_parts;
using zmtp::test::make_socket;
using zmtp::test::parts;
using zmtp::test::recv_parts;
using zmtp::test::role;
using zmtp::test::role_name;
using zmtp::test::send_parts;
using zmtp::test::timeout_ms;
using zmtp::test::zmq_context;
using zmtp::test::zmq_monitor;
using zmtp::test::zmq_sock;

/// Binds one side to a fresh endpoint on `transport` and connects the other to it; returns
/// the endpoint.
std::string link(role r, zmtp::socket& ours, zmq_sock& theirs, const std::string& transport);

/// A bound endpoint of a libzmq socket on `transport`.
std::string bind_theirs(zmq_sock& theirs, const std::string& transport);
/// A bound endpoint of one of our sockets on `transport`.
std::string bind_ours(zmtp::socket& ours, const std::string& transport);

/// Message `seq` of sender `tag`: {tag, be64(seq), body}, the body seq-dependent, of
/// seq % 300 + `extra` bytes.
parts numbered(const std::string& tag, std::uint64_t seq, std::size_t extra = 0);
/// The sequence number of a whole numbered message from `tag`; fails the test if any frame is
/// missing, extra or wrong (a multipart message split or mixed with another).
std::uint64_t check_numbered(const parts& msg, const std::string& tag, std::size_t extra = 0);
/// The tag of a numbered message (its first frame), after checking it whole.
std::string numbered_tag(const parts& msg);

/// Waits up to `ms` for one whole message; nothing on timeout.
using recv_fn = std::function<std::optional<parts>(int ms)>;
/// Receives from one of our sockets / a libzmq socket.
recv_fn receiver(zmtp::socket& s);
recv_fn receiver(zmq_sock& s);

/// Proves every receiver is attached to the sender (a bound libzmq socket attaches a peer only
/// when its thread calls into it, C-TEST-1; so does a bound socket of ours): sends single-frame
/// "warm-up" messages through `send_one` until each receiver has had one, then drains all the
/// receivers until every warm-up sent has been received. Afterwards nothing is queued.
void warm_up(const std::function<void()>& send_one, const std::vector<recv_fn>& receivers);

/// Monitor events of one of our sockets (they arrive on I/O threads).
class event_log {
public:
    zmtp::monitor_fn fn();
    /// Waits up to `ms` for `e`; true once it was reported.
    bool wait_for(zmtp::socket_event e, int ms = timeout_ms);
    bool seen(zmtp::socket_event e);
    /// The events so far as hex numbers, for failure messages.
    std::string describe();

private:
    std::mutex mutex_;
    std::vector<zmtp::socket_event> events_;
};

/// Runs `fn` on its own thread; join() waits and returns what it returned ("" = success).
/// `fn` must not use Catch assertions (they are not thread-safe).
class background {
public:
    explicit background(std::function<std::string()> fn);
    ~background();
    background(const background&) = delete;
    background& operator=(const background&) = delete;
    std::string join();

private:
    std::string result_;
    std::thread thread_;
};

} // namespace zmtp::pushpull_test
