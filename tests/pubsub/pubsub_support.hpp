// PUB/SUB test support: the transports the suite runs over, endpoints, numbered messages and
// the slow-joiner probe (C-PUB-10, C-TEST-2); our sockets with every blocking call bounded and
// multipart helpers come from tests/support/socket_helpers.hpp.
#pragma once

#include "tests/support/catch.hpp"
#include "tests/support/socket_helpers.hpp"
#include "zmtp/zmtp.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zmtp::pubsub_test {

// Shared with the other suites (tests/support/socket_helpers.hpp).
using zmtp::test::be64;
using zmtp::test::expect_parts;
using zmtp::test::from_be64;
using zmtp::test::make_socket;
using zmtp::test::parts;
using zmtp::test::recv_for;
using zmtp::test::recv_parts;
using zmtp::test::send_parts;
using zmtp::test::timeout_ms;

/// The transports every transport-generic case runs over (add "ipc", "inproc" here).
const std::vector<std::string>& transports();

/// transports() without inproc: the ones where a connecting side re-dials a restarted binder
/// (libzmq's inproc does not reconnect).
std::vector<std::string> reconnecting_transports();

/// An endpoint to bind for `transport`, unique within the process ("tcp://127.0.0.1:*" for tcp:
/// the real port is read back with opt::last_endpoint).
std::string endpoint_for(const std::string& transport);

/// Binds `s` to endpoint_for(transport) and returns the endpoint to connect to.
std::string bind_any(zmtp::socket& s, const std::string& transport);

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
