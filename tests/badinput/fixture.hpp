// Fixtures of the bad-input suite: a zmtp PAIR bound on loopback, a GOOD peer exchanging
// sequence-numbered messages with it (each must arrive exactly once and in order), and helpers
// that run one bad raw connection against the server while the good traffic goes on.
#pragma once

#include "tests/support/raw_peer.hpp"

#include "zmtp/zmtp.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zmtp::test {

/// Bound for every blocking call and for "the server closes the connection".
inline constexpr std::chrono::milliseconds io_timeout{5000};

/// Options applied to the server before bind.
struct server_options {
    std::optional<int> handshake_ivl;
    std::optional<std::int64_t> maxmsgsize;
};

/// LINGER 0 and bounded send/recv on any socket of the suite.
void configure(zmtp::socket& s);

/// A PAIR bound to tcp://127.0.0.1:* (port from LAST_ENDPOINT).
struct bound_server {
    bound_server(zmtp::context& ctx, const server_options& opts = {});
    zmtp::socket sock;
    std::string endpoint;
    std::uint16_t port = 0;
};

/// A GOOD zmtp PAIR connected to the server. Messages are "c2s-N" (peer to server) and
/// "s2c-N" (server to peer); expect_all() receives everything sent so far on both sides and
/// checks it is exactly the next numbers, in order.
class good_peer {
public:
    good_peer(zmtp::context& ctx, bound_server& server);
    /// Queues n messages in each direction (no receive).
    void send_both(int n);
    /// Receives and checks every message sent so far, in both directions.
    void expect_all();
    void round_trip(int n) {
        send_both(n);
        expect_all();
    }
    /// A sentinel each way: it must be the very next message (so nothing was duplicated
    /// before it), and nothing may follow it.
    void finish();

    zmtp::socket sock;

private:
    zmtp::socket& server_;
    int c2s_sent_ = 0, c2s_got_ = 0, s2c_sent_ = 0, s2c_got_ = 0;
};

/// Receives one frame on `s` (bounded by RCVTIMEO) and returns its text, or a text starting
/// "<no message" on timeout/error, so the caller's comparison fails readably.
std::string recv_text(zmtp::socket& s, bool* more = nullptr);
/// True if `s` has no message ready right now (DONTWAIT).
bool nothing_pending(zmtp::socket& s);

/// Connects a raw peer to a server that has NO peer yet and makes it the accepted peer: a
/// valid handshake (with `ready_frame`), then one message each way to prove it is attached.
raw_peer accept_raw(bound_server& server, const bytes& ready_frame = ready("PAIR"));

/// Ends an accepted raw peer cleanly: half-close, then wait until the server closed its side
/// too, so the server has let go of that peer before the next one connects (C-PAIR-7).
void close_and_wait(raw_peer& raw);

/// A good zmtp PAIR connects to `server` after a raw peer went away and exchanges traffic:
/// the socket still accepts and serves a new peer.
void check_new_good_peer(zmtp::context& ctx, bound_server& server);

/// Splits `stream` from `offset` into whole frames (a trailing partial frame is ignored).
std::vector<raw_frame> split_frames(const bytes& stream, std::size_t offset = 0);
/// True if `b` begins with our 64-octet greeting (ff .. 7f 03 01 "NULL", as-server 0).
bool starts_with_our_greeting(const bytes& b);

/// What the server sent on a rejected raw connection before closing it.
struct rejection {
    bool closed = false;                  ///< the server closed the connection within io_timeout
    bytes seen;                           ///< every byte the server sent before closing
    std::chrono::milliseconds elapsed{0}; ///< from connect to observed close
};

/// The core bad-input scenario (C-TEST-4): `server` is serving `good`; a raw client connects
/// and sends `bad` (after an optional shutdown of its write side when `half_close`); the
/// server must close that connection within io_timeout while the good traffic sent before,
/// during and after arrives exactly once and in order.
rejection expect_rejected(bound_server& server, good_peer& good, const bytes& bad,
                          bool half_close = false);

} // namespace zmtp::test
