// The NULL-mechanism handshake of one connection as a pure state machine: our greeting + READY
// go out first and whole, then the peer's greeting and READY are checked (RFC 23/37 §The NULL
// Security Mechanism; conformance C-GRT-4, C-HS-1..8, C-TYPE-1/2, C-FRM-7).
#pragma once

#include "core/wire/frame.hpp"
#include "core/wire/greeting.hpp"
#include "core/wire/ready.hpp"
#include "core/wire/socket_type.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace zmtp::wire {

/// Reason we put in the ERROR sent before closing on a socket-type mismatch (C-TYPE-2).
inline constexpr std::string_view socket_type_error_reason = "Invalid socket type";

/// Largest command we take before the handshake completes, whatever MAXMSGSIZE says: a READY is
/// a few properties, so an unauthenticated peer never makes us hold more than this. A declared
/// size above it fails at once with handshake_command_too_large.
inline constexpr std::uint64_t max_handshake_command = 64 * 1024;

/// Outcome of one null_handshake::feed call.
struct handshake_result {
    std::size_t consumed = 0;                      ///< input bytes used; stops after READY
    parse_status status = parse_status::need_more; ///< need_more, done or failed
    std::error_code error;                         ///< set when failed
};

/// NULL handshake for one connection, either role (libzmq is symmetric, C-HS-5).
///
/// Usage: send initial_output() at once, then feed() every received chunk until done or
/// failed. On done, bytes after `consumed` are traffic for the frame decoder. On failed, send
/// whatever feed appended to `out` (an ERROR on a type mismatch) and close.
class null_handshake {
public:
    /// `max_msg_size` (-1 = none) bounds every frame, the peer's READY included (C-FRM-7); the
    /// READY is also bounded by max_handshake_command. A READY naming Socket-Type twice is
    /// refused as malformed_command.
    /// `identity`, if non-empty, is sent as the Identity property.
    explicit null_handshake(socket_kind ours, std::int64_t max_msg_size = -1,
                            std::string identity = {});

    /// Appends our 64-octet greeting (3.1, NULL) immediately followed by our READY; never waits
    /// for the peer (C-GRT-4, C-HS-5).
    void initial_output(std::vector<std::uint8_t> &out) const;

    /// Feeds peer bytes; may append an ERROR command to `out` before failing.
    handshake_result feed(const std::uint8_t *p, std::size_t n, std::vector<std::uint8_t> &out);

    /// Current status.
    parse_status status() const noexcept;
    /// The failure reason, if failed.
    std::error_code error() const noexcept { return error_; }

    /// Minor version to speak to this peer: 0 for a 3.0 peer, 1 for 3.1 or anything newer
    /// (C-VER-1: we use our own 3.1 with higher versions). Valid after the greeting.
    std::uint8_t peer_minor() const noexcept;
    /// The peer's greeting fields (major, minor, as-server, mechanism).
    const peer_greeting &peer() const noexcept { return greeting_.peer(); }
    /// Peer's Socket-Type value, empty if it sent none (valid after done).
    std::string_view peer_socket_type() const noexcept;
    /// All properties of the peer's READY in wire order (valid after done).
    const property_list &peer_properties() const noexcept { return properties_; }
    /// Reason carried by a received ERROR (after failed with error_received).
    const std::string &peer_error_reason() const noexcept { return error_reason_; }

private:
    enum class phase { greeting, header, body, done, failed };

    handshake_result fail(std::size_t consumed, std::error_code ec);
    std::error_code on_command(std::vector<std::uint8_t> &out);

    socket_kind ours_;
    std::int64_t max_msg_size_;
    std::string identity_;
    phase phase_ = phase::greeting;
    greeting_parser greeting_;
    std::vector<std::uint8_t> buf_; // header bytes, then the command body, as they arrive
    frame_header header_;
    property_list properties_;
    std::string error_reason_;
    std::error_code error_;
};

} // namespace zmtp::wire
