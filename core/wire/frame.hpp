// Frame headers: the flags octet plus a 1- or 8-octet size (RFC 23/37 §Framing). A stateless
// decoder that never trusts a peer length, and the matching encoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <system_error>
#include <vector>

namespace zmtp::wire {

/// Flags octet bits (C-FRM-1).
inline constexpr std::uint8_t flag_more = 0x01;
inline constexpr std::uint8_t flag_long = 0x02;
inline constexpr std::uint8_t flag_command = 0x04;

/// Header sizes: flags + 1-octet size, flags + 8-octet size.
inline constexpr std::size_t short_header_size = 2;
inline constexpr std::size_t long_header_size = 9;
inline constexpr std::size_t max_header_size = long_header_size;
/// Largest body a short header can carry; libzmq and we go long above it (C-FRM-3).
inline constexpr std::uint64_t max_short_size = 255;
/// The largest body this machine can hold in one object (PTRDIFF_MAX: 2^31 - 1 on 32-bit
/// targets, 2^63 - 1 on 64-bit ones). frame_decoder refuses larger declared sizes as
/// message_too_large: a 64-bit length is never truncated to size_t.
inline constexpr std::uint64_t max_frame_size =
    static_cast<std::uint64_t>(std::numeric_limits<std::ptrdiff_t>::max());

/// A decoded frame header.
struct frame_header {
    /// Normalised flags: reserved bits cleared, MORE cleared on commands (see decoder).
    std::uint8_t flags = 0;
    std::uint64_t size = 0;      ///< body size in octets (< 2^63, <= max_size)
    std::size_t header_size = 0; ///< 2 or 9

    /// True if more frames of this message follow (never true for commands).
    bool more() const noexcept { return (flags & flag_more) != 0; }
    /// True for a command frame.
    bool command() const noexcept { return (flags & flag_command) != 0; }
};

/// Result status of decode_frame_header.
enum class header_status { need_more, ok, failed };

/// Outcome of decode_frame_header.
struct header_result {
    header_status status = header_status::need_more; ///< need_more, ok or failed
    frame_header header;                             ///< valid when ok
    std::error_code error;                           ///< set when failed
};

/// Decodes the header at [p, p+n); needs 2 octets (short) or 9 (long), never reads further.
///
/// Tolerance mirrors libzmq (C-FRM-4): reserved flag bits 3-7 are ignored and cleared, and MORE
/// on a command is ignored and cleared; a long encoding of a size <= 255 is legal (C-FRM-3).
/// Refusals: size >= 2^63 -> invalid_frame_size; size > max_size (when max_size >= 0) ->
/// message_too_large, commands included (C-FRM-7). Nothing is allocated here. `header.size`
/// is the full 64-bit length on every target: before sizing a buffer from it, a caller checks
/// it against max_frame_size (frame_decoder does), as a 32-bit size_t cannot hold it all.
header_result decode_frame_header(const std::uint8_t *p, std::size_t n,
                                  std::int64_t max_size = -1) noexcept;

/// Header size our encoder uses for a body of `size` octets: 2 if size <= 255, else 9.
inline std::size_t frame_header_size(std::uint64_t size) noexcept {
    return size <= max_short_size ? short_header_size : long_header_size;
}

/// Writes a header to `out` (room for 9 octets); short iff size <= 255; MORE is never set on a
/// command. Returns the octets written.
std::size_t encode_frame_header(std::uint8_t *out, std::uint64_t size, bool more,
                                bool command) noexcept;

/// Appends a whole frame (header + body) to `out`.
void append_frame(std::vector<std::uint8_t> &out, const std::uint8_t *data, std::size_t size,
                  bool more, bool command);

} // namespace zmtp::wire
