// PUB/SUB test support: the transports the suite runs over, endpoints, our sockets with every
// blocking call bounded, multipart helpers and the slow-joiner probe (C-PUB-10, C-TEST-2).
#pragma once

#include "tests/support/catch.hpp"
#include "zmtp/zmtp.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zmtp::pubsub_test {

/// Upper bound of every blocking send/recv in this suite, in milliseconds.
constexpr int timeout_ms = 10000;

/// A multipart message as strings, one per frame.
using parts = std::vector<std::string>;

/// The transports every transport-generic case runs over (add "ipc", "inproc" here).
const std::vector<std::string>& transports();

/// transports() without inproc: the ones where a connecting side re-dials a restarted binder
/// (libzmq's inproc does not reconnect).
std::vector<std::string> reconnecting_transports();

/// An endpoint to bind for `transport`, unique within the process ("tcp://127.0.0.1:*" for tcp:
/// the real port is read back with opt::last_endpoint).
std::string endpoint_for(const std::string& transport);

/// A socket with LINGER 0 and SNDTIMEO/RCVTIMEO = timeout_ms.
zmtp::socket make_socket(zmtp::context& ctx, zmtp::socket_type type);

/// Binds `s` to endpoint_for(transport) and returns the endpoint to connect to.
std::string bind_any(zmtp::socket& s, const std::string& transport);

/// Receives one frame within `ms`; false on timeout. Other errors fail the test.
bool recv_for(zmtp::socket& s, zmtp::message& m, int ms);

/// Receives one whole message within `ms` (nothing on timeout); once the first frame is in,
/// the others must follow at once: a missing later frame fails the test (C-FRM-6).
std::optional<parts> recv_parts(zmtp::socket& s, int ms = timeout_ms);

/// The next whole message, which must arrive within `ms` (else the test fails).
parts expect_parts(zmtp::socket& s, int ms = timeout_ms);

/// Sends all frames with SNDMORE on all but the last; every send must succeed.
void send_parts(zmtp::socket& s, const parts& msg, zmtp::send_flags flags = zmtp::send_flags::none);

/// Fixed-width big-endian encoding of `n`, so numbered messages sort and parse bytewise.
std::string be64(std::uint64_t n);
std::uint64_t from_be64(const std::string& s);

/// Publishes one probe message (a single frame `topic` + "\x7fprobe:" + number).
using probe_send_fn = std::function<void(const std::string& frame)>;
/// Waits up to `ms` for one whole message; nothing on timeout.
using probe_recv_fn = std::function<std::optional<parts>(int ms)>;

/// True if `msg` is a probe made by sync_probe (any topic).
bool is_probe(const parts& msg);

/// Slow-joiner handshake: publishes numbered probes under `topic` until the receiver gets one,
/// then drains the receiver up to the last probe published, so the subscription is known to be
/// active at the publisher and no probe is left queued. The receiver must be subscribed to a
/// prefix of `topic`. A non-probe message fails the test. Returns the number of probes sent.
std::uint64_t sync_probe(const probe_send_fn& send, const probe_recv_fn& recv,
                         const std::string& topic, int ms = timeout_ms);

/// sync_probe between two of our sockets.
std::uint64_t sync_subscription(zmtp::socket& pub, zmtp::socket& sub, const std::string& topic);

/// A numbered 3-frame message: "T", be64(seq), body.
parts numbered_message(std::uint64_t seq, const std::string& body);

/// What drain_numbered saw.
struct drain_result {
    std::uint64_t received = 0; ///< data messages (sequence < end_from)
    std::uint64_t gaps = 0;     ///< places where the sequence skipped (dropped messages)
};

/// Reads numbered messages until the first end marker (sequence >= end_from, body "end"),
/// checking that each is whole (3 frames), sequence numbers strictly increase and data bodies
/// equal `payload`. Whenever nothing arrives for 50 ms it publishes another marker through
/// `send_marker(seq)` (markers may be dropped too). Fails the test after 60 s.
drain_result drain_numbered(const probe_recv_fn& recv, std::uint64_t end_from,
                            const std::string& payload,
                            const std::function<void(std::uint64_t)>& send_marker);

/// Resident set size of this process in bytes (Linux /proc/self/statm).
std::size_t resident_bytes();

/// True when built with AddressSanitizer (RSS bounds are meaningless under its quarantine).
constexpr bool under_asan() {
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#else
    return false;
#endif
#else
    return false;
#endif
}

} // namespace zmtp::pubsub_test
