// Command bodies: a length-prefixed name followed by data (RFC 23/37 §Commands, grammar
// `command-name = OCTET 1*255 ALPHA`; C-FRM-5), and the generic command-frame builder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace zmtp::wire {

/// Command names this codec knows (case-sensitive on the wire).
inline constexpr std::string_view ready_command = "READY";
inline constexpr std::string_view error_command = "ERROR";
inline constexpr std::string_view ping_command = "PING";
inline constexpr std::string_view pong_command = "PONG";
inline constexpr std::string_view subscribe_command = "SUBSCRIBE";
inline constexpr std::string_view cancel_command = "CANCEL";

/// Longest command name the one-octet length can carry.
inline constexpr std::size_t max_command_name = 255;

/// A parsed command body; views into the caller's buffer.
struct command_view {
    std::string_view name;              ///< 1..255 octets, not validated beyond length
    const std::uint8_t *data = nullptr; ///< command data after the name
    std::size_t size = 0;               ///< octets of data
};

/// Splits a command body into name and data; nullopt when the name length octet is missing, 0,
/// or runs past the body (callers report wire_errc::malformed_command).
std::optional<command_view> parse_command(const std::uint8_t *body, std::size_t n) noexcept;

/// Appends a command frame header plus the name for `data_size` octets of data that the caller
/// appends next. `name` must be 1..255 octets.
void append_command_header(std::vector<std::uint8_t> &out, std::string_view name,
                           std::size_t data_size);

/// Appends a complete command frame: header, name, data.
void append_command(std::vector<std::uint8_t> &out, std::string_view name, const std::uint8_t *data,
                    std::size_t size);

/// View of a command's data as characters.
inline std::string_view data_string(const command_view &cmd) noexcept {
    return {reinterpret_cast<const char *>(cmd.data), cmd.size};
}

} // namespace zmtp::wire
