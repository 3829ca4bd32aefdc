// Heartbeat test support: a thread-safe log of one socket's monitor events that a test waits
// on (never sleep-and-check), our PAIR sockets with heartbeat options, and PING/PONG bytes.
#pragma once

#include "tests/support/raw_peer.hpp"
#include "zmtp/zmtp.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace zmtp::test {

using namespace std::chrono_literals;

/// Bound of every wait in the suite: far above any interval used, so a slow machine only
/// makes a test slower, never wrong.
inline constexpr std::chrono::milliseconds hb_wait = 5s;

/// Records every event of a socket's monitor (from any thread) and lets a test wait for them.
class event_log {
public:
    explicit event_log(zmtp::socket& s);
    /// Waits until `e` has been seen `n` times in all; false if `timeout` passes first.
    bool wait_for(socket_event e, std::size_t n = 1, std::chrono::milliseconds timeout = hb_wait);
    std::size_t count(socket_event e) const;

private:
    struct state {
        mutable std::mutex m;
        std::condition_variable cv;
        std::vector<socket_event> events;
    };
    std::shared_ptr<state> state_; // shared with the monitor callback, which may outlive us
};

/// Heartbeat options of one socket (timeout -1: not set, i.e. the default "same as IVL").
struct heartbeat_options {
    int ivl = 0;
    int ttl = 0;
    int timeout = -1;
};

/// A PAIR with LINGER 0, 5 s send/receive timeouts and the given heartbeat options.
zmtp::socket heartbeat_pair(zmtp::context& ctx, const heartbeat_options& hb);

/// The data of a PING command as it must be on the wire: TTL (2 octets, big-endian) + context.
bytes ping_data(std::uint16_t ttl_ds, std::string_view context = {});
/// A whole PING command frame (built by hand, not by the codec under test).
bytes ping_command(std::uint16_t ttl_ds, std::string_view context = {});

/// Reads frames until a command arrives (data frames are skipped); its name and data.
/// Fails the test if none arrives within `timeout` or the connection ends.
raw_frame expect_command(raw_peer& peer, std::chrono::milliseconds timeout = hb_wait);

/// Sends one message from `from` that `to` must receive (both PAIRs, bounded by RCVTIMEO).
void round_trip(zmtp::socket& from, zmtp::socket& to, const std::string& text);

} // namespace zmtp::test
