// PING/PONG heartbeat commands (RFC 37 §Connection Heartbeating; conformance C-HB-1, C-HB-4).
#pragma once

#include "core/wire/command_frame.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace zmtp::wire {

/// Longest ping context the grammar allows (`ping-context = 0*16OCTET`).
inline constexpr std::size_t max_ping_context = 16;

/// The largest TTL worth sending: libzmq multiplies the TTL by 100 in 16 bits, so 656 ds and
/// more wrap to a much shorter timeout there (C-HB-4, Issue #4226); 655 ds = 65.5 s.
inline constexpr std::uint16_t max_sent_ttl_ds = 655;

/// The TTL field for a HEARTBEAT_TTL of `ttl_ms` milliseconds: whole deciseconds, as libzmq
/// (C-HB-3), capped at max_sent_ttl_ds.
inline constexpr std::uint16_t ttl_to_wire(int ttl_ms) noexcept {
    const int ds = ttl_ms > 0 ? ttl_ms / 100 : 0;
    return static_cast<std::uint16_t>(ds < max_sent_ttl_ds ? ds : max_sent_ttl_ds);
}

/// A received TTL field in milliseconds, without libzmq's 16-bit wrap (C-HB-4).
inline constexpr std::uint32_t ttl_to_ms(std::uint16_t ttl_ds) noexcept {
    return std::uint32_t{ttl_ds} * 100u;
}

/// Appends a PING with a TTL in deciseconds; `context` is truncated to 16 octets. Note libzmq
/// wraps TTLs above 655 ds (C-HB-4), so callers should cap what they send to libzmq.
void append_ping(std::vector<std::uint8_t> &out, std::uint16_t ttl_ds,
                 std::string_view context = {});

/// Appends a PONG echoing `context` truncated to 16 octets, as libzmq does (C-HB-4).
void append_pong(std::vector<std::uint8_t> &out, std::string_view context);

/// A parsed PING.
struct ping_view {
    std::uint16_t ttl_ds = 0; ///< peer's TTL in deciseconds (0 = none)
    std::string_view context; ///< everything after the TTL, possibly more than 16 octets
};

/// Parses a PING's data. Never fails and never reads past the body: data shorter than the
/// 2-octet TTL yields ttl 0 and an empty context (libzmq would read past it, C-HB-4).
ping_view parse_ping(const command_view &cmd) noexcept;

/// The context echoed by a PONG (its whole data).
inline std::string_view parse_pong(const command_view &cmd) noexcept {
    return data_string(cmd);
}

} // namespace zmtp::wire
