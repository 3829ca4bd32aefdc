// Test payloads: position- and seed-dependent byte patterns, and a comparison that reports
// where two large payloads differ instead of printing megabytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace zmtp::test {

/// `n` bytes of a position- and seed-dependent pattern (catches shifted or swapped data).
std::string pattern(std::size_t n, std::uint32_t seed);

/// Offset of the first differing byte, or -1 when equal (sizes included); never prints
/// megabytes the way REQUIRE(a == b) would.
long long first_mismatch(const std::string& a, const std::string& b);

} // namespace zmtp::test
