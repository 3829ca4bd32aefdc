// One socket of a network-fault test, zmtp's or libzmq's behind one interface, so each case
// runs zmtp against zmtp and against the real libzmq 4.3 (when the tree found it).
#pragma once

#include "zmtp/zmtp.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zmtp::test {

/// libzmq's numbers for what the tests use (zmq.h is not included: it may be either library's).
namespace zo {
constexpr int pair = 0, pub = 1, sub = 2;
constexpr int sndbuf = 11, rcvbuf = 12, linger = 17, reconnect_ivl = 18, sndhwm = 23,
              rcvhwm = 24, heartbeat_ivl = 75, heartbeat_timeout = 77, connect_timeout = 79;
} // namespace zo

enum class impl { zmtp, libzmq };
const char* impl_name(impl i);
/// The implementations this build can run: zmtp, and libzmq when it was found.
std::vector<impl> peer_impls();

/// Monitor events counted by a peer (libzmq's ZMQ_EVENT_* numbers, zmtp's socket_event).
enum class ev { connected = 0x0001, accepted = 0x0020, disconnected = 0x0200,
                handshake_ok = 0x1000 };

class peer {
public:
    virtual ~peer() = default;
    /// Options by libzmq number (both libraries use the same numbers and values).
    virtual void set_int(int option, int value) = 0;
    virtual void subscribe(const std::string& topic) = 0;
    /// Binds tcp://127.0.0.1:* and returns the port.
    virtual std::uint16_t bind_any() = 0;
    virtual void connect(const std::string& endpoint) = 0;
    /// One single-frame message without blocking; false when it would block (EAGAIN).
    virtual bool send(const std::string& msg) = 0;
    /// One single-frame message within `ms` (0: only if one is there).
    virtual std::optional<std::string> recv(int ms) = 0;
    /// How many times the socket reported `e` so far.
    virtual int events(ev e) = 0;
};

/// A socket of `type` (ZMQ_PAIR, ZMQ_PUB, ZMQ_SUB) with LINGER 0, monitored from the start.
std::unique_ptr<peer> make_peer(impl i, int type);

/// zmtp's own PUB, for its per-subscriber counters.
zmtp::socket& zmtp_socket_of(peer& p);

/// Fixed-width sequence numbers inside messages: "<tag><16 hex digits><padding>".
std::string numbered(const std::string& tag, std::uint64_t n, std::size_t size = 0);
/// The number of a message made by numbered() with that tag; nullopt for anything else.
std::optional<std::uint64_t> number_of(const std::string& tag, const std::string& msg);

/// Polls `cond` (every millisecond) until true or 10 s pass: a hang guard, not a timing
/// assumption. Returns the last value.
template <typename F> bool await(F cond);

/// Bytes of heap this process has allocated and not freed (malloc's count, or the sanitizer
/// allocator's under ASan/TSan, whose quarantine would make RSS meaningless).
std::uint64_t heap_in_use();

} // namespace zmtp::test

#include "tests/support/wait.hpp"
template <typename F> bool zmtp::test::await(F cond) {
    return zmtp::test::wait_until(cond, std::chrono::seconds(10));
}
