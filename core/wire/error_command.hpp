// The ERROR command: a fatal, human-readable reason sent before closing (RFC 23 §Error
// Handling; RFC 37 grammar `error-reason = OCTET 0*255VCHAR`; conformance C-TYPE-4, C-TYPE-5).
#pragma once

#include "core/wire/command_frame.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace zmtp::wire {

/// Longest reason the one-octet length can carry.
inline constexpr std::size_t max_error_reason = 255;

/// Appends an ERROR frame; `reason` is truncated to 255 octets.
void append_error(std::vector<std::uint8_t> &out, std::string_view reason);

/// The reason of an ERROR; nullopt if not an ERROR, or if the length octet is missing or runs
/// past the body (malformed). Octets after the reason are ignored, as libzmq does.
std::optional<std::string_view> parse_error_reason(const command_view &cmd) noexcept;

} // namespace zmtp::wire
