// Wire-level error codes (std::error_code category "zmtp.wire") for greeting, framing and the
// NULL handshake (RFC 23 / RFC 37), plus their mapping to libzmq's ZMQ_PROTOCOL_ERROR_* values.
#pragma once

#include <cstdint>
#include <system_error>

namespace zmtp::wire {

/// Why a peer's bytes were refused; every value closes the connection.
enum class wire_errc {
    bad_signature = 1,    ///< byte 0 != 0xFF or byte 9 LSB == 0: a ZMTP 1.0 peer (C-GRT-7)
    unsupported_version,  ///< peer major version < 3: ZMTP 1.0/2.0 (C-VER-1, C-VER-3)
    mechanism_mismatch,   ///< peer mechanism is not exactly "NULL" (C-GRT-3)
    malformed_command,    ///< command body does not match its grammar (C-FRM-5, C-HS-2)
    unexpected_command,   ///< anything but READY/ERROR during the handshake (C-HS-8)
    socket_type_mismatch, ///< peer Socket-Type is not a valid partner of ours (C-TYPE-1)
    error_received,       ///< peer sent an ERROR command (C-TYPE-4)
    invalid_frame_size,   ///< declared frame size has the top bit set (>= 2^63) (C-FRM-2)
    message_too_large,    ///< declared frame size exceeds MAXMSGSIZE (C-FRM-7)
    handshake_timeout,    ///< the engine's handshake timer expired (C-HS-9)
    /// a command before the handshake completed declared more than max_handshake_command
    handshake_command_too_large,
};

/// The category of wire_errc values.
const std::error_category &wire_category() noexcept;

/// Wraps a wire_errc in a std::error_code of wire_category().
std::error_code make_error_code(wire_errc e) noexcept;

/// libzmq's ZMQ_PROTOCOL_ERROR_* numbers (include/zmq.h), conformance §17.
namespace protocol_error {
inline constexpr std::uint32_t zmtp_unspecified = 0x10000000;
inline constexpr std::uint32_t zmtp_unexpected_command = 0x10000001;
inline constexpr std::uint32_t zmtp_malformed_command_unspecified = 0x10000011;
inline constexpr std::uint32_t zmtp_malformed_command_error = 0x10000015;
inline constexpr std::uint32_t zmtp_malformed_command_ready = 0x10000016;
inline constexpr std::uint32_t zmtp_invalid_metadata = 0x10000018;
inline constexpr std::uint32_t zmtp_mechanism_mismatch = 0x11000002;
} // namespace protocol_error

/// The ZMQ_PROTOCOL_ERROR_* value a monitor's HANDSHAKE_FAILED_PROTOCOL event would carry for
/// `ec`, or 0 when none applies (not a wire error, or libzmq reports no protocol error for it).
/// Note (C-MON-2): libzmq emits no HANDSHAKE_FAILED_PROTOCOL event at all for a socket-type
/// mismatch, an ERROR received or a malformed READY; the monitor layer decides whether to emit.
std::uint32_t protocol_error_value(std::error_code ec) noexcept;

} // namespace zmtp::wire

namespace std {
template <> struct is_error_code_enum<zmtp::wire::wire_errc> : true_type {};
} // namespace std
