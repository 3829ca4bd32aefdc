// The 64-octet ZMTP 3.x greeting: our NULL-mechanism encoder and an incremental parser for the
// peer's greeting that refuses 1.0/2.0 peers and other mechanisms as early as possible
// (RFC 23/37 §Greeting, §Version Negotiation, §Detecting ZMTP 1.0 and 2.0 Peers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>

namespace zmtp::wire {

/// Size of a ZMTP 3.x greeting in octets (C-GRT-1).
inline constexpr std::size_t greeting_size = 64;
/// Size of the NUL-padded mechanism field (octets 12-31).
inline constexpr std::size_t mechanism_field_size = 20;
/// Our protocol version: 3.1 (RFC 37).
inline constexpr std::uint8_t our_major_version = 3;
inline constexpr std::uint8_t our_minor_version = 1;

/// Writes our greeting: signature ff 00..00 7f, version 3.minor, "NULL", as-server 0, zero filler.
void encode_greeting(std::uint8_t (&out)[greeting_size], std::uint8_t minor = 1) noexcept;

/// The fields of a peer's greeting that matter after validation.
struct peer_greeting {
    std::uint8_t major = 0; ///< octet 10
    std::uint8_t minor = 0; ///< octet 11 (any value accepted)
    bool as_server = false; ///< octet 32 != 0 (never validated, C-GRT-6)
    std::string mechanism;  ///< octets 12-31 up to the first NUL
};

/// Progress of an incremental parser or state machine.
enum class parse_status { need_more, done, failed };

/// Outcome of one greeting_parser::feed call.
struct greeting_result {
    std::size_t consumed = 0;                      ///< bytes taken from the input (never past 64)
    parse_status status = parse_status::need_more; ///< need_more, done or failed
    std::error_code error;                         ///< set when failed
};

/// Incremental parser of the peer's 64-octet greeting.
///
/// Checks happen as soon as the relevant octet arrives: octet 0 (0xFF) and octet 9 (LSB set)
/// else `bad_signature`; octet 10 (major >= 3) else `unsupported_version`; octet 31 (all 20
/// mechanism octets equal "NULL" + 16 NULs, case-sensitive) else `mechanism_mismatch`. Padding
/// (octets 1-8), as-server and filler are never validated (C-GRT-2, C-GRT-6).
class greeting_parser {
public:
    /// Consumes up to the end of the greeting from [p, p+n); stops at the first failure.
    greeting_result feed(const std::uint8_t *p, std::size_t n) noexcept;

    /// The parsed fields (complete once feed returned done).
    const peer_greeting &peer() const noexcept { return peer_; }

    /// Current status without feeding.
    parse_status status() const noexcept { return status_; }

private:
    std::error_code check_octet(std::size_t index);

    std::uint8_t buf_[greeting_size] = {};
    std::size_t pos_ = 0;
    parse_status status_ = parse_status::need_more;
    std::error_code error_;
    peer_greeting peer_;
};

} // namespace zmtp::wire
