// Helpers for tests that drive our sockets: every blocking call bounded by timeout_ms,
// multipart messages as vectors of strings, fixed-width sequence numbers.
#pragma once

#include "tests/support/catch.hpp"
#include "zmtp/zmtp.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zmtp::test {

/// Upper bound of every blocking send/recv, in milliseconds.
constexpr int timeout_ms = 10000;

/// A multipart message as strings, one per frame.
using parts = std::vector<std::string>;

/// A socket with LINGER 0 and SNDTIMEO/RCVTIMEO = timeout_ms.
zmtp::socket make_socket(zmtp::context& ctx, zmtp::socket_type type);

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

} // namespace zmtp::test
