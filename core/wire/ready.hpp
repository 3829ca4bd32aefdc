// The READY command and its connection metadata (RFC 23/37 §The NULL Security Mechanism,
// §Connection Metadata; conformance C-HS-1..4, C-HS-7).
#pragma once

#include "core/wire/command_frame.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace zmtp::wire {

/// Metadata property names we send or look for.
inline constexpr std::string_view socket_type_property = "Socket-Type";
inline constexpr std::string_view identity_property = "Identity";

/// Largest value length the grammar allows: 4 octets, < 2^31 (C-HS-2).
inline constexpr std::uint32_t max_property_value = 0x7FFFFFFF;

/// One metadata property (name, opaque value), in wire order.
using property = std::pair<std::string, std::string>;
/// All properties of one READY, in wire order (duplicates kept).
using property_list = std::vector<property>;

/// Appends a READY frame with Socket-Type and, if non-empty, Identity (golden V-4/V-5).
void append_ready(std::vector<std::uint8_t> &out, std::string_view socket_type,
                  std::string_view identity = {});

/// Appends a READY frame carrying exactly `properties` (names 1..255 octets).
void append_ready_properties(std::vector<std::uint8_t> &out, const property_list &properties);

/// Outcome of parse_ready.
struct ready_result {
    std::error_code error;    ///< malformed_command, or unexpected_command if not a READY
    property_list properties; ///< valid when !error
};

/// Parses a READY's metadata: name-length 1..255, name, 4-octet value length < 2^31, value,
/// repeated to the exact end of the data. Zero properties are fine; trailing bytes are not.
/// Name characters are not checked (libzmq does not either).
ready_result parse_ready(const command_view &cmd);

/// Value of the first property called `name`, compared case-insensitively (RFC 23 §Connection
/// Metadata; libzmq compares case-sensitively, C-HS-7 / C-DISC-4).
std::optional<std::string_view> find_property(const property_list &properties,
                                              std::string_view name) noexcept;

} // namespace zmtp::wire
