// Greeting encoder and incremental greeting parser (RFC 23/37 §Greeting; conformance C-GRT,
// C-VER).
#include "core/wire/greeting.hpp"

#include "core/wire/error.hpp"

#include <cstring>

namespace zmtp::wire {
namespace {

constexpr std::size_t signature_end = 9;
constexpr std::size_t major_offset = 10;
constexpr std::size_t minor_offset = 11;
constexpr std::size_t mechanism_offset = 12;
constexpr std::size_t as_server_offset = 32;
constexpr char null_mechanism[mechanism_field_size] = {'N', 'U', 'L', 'L'};

} // namespace

void encode_greeting(std::uint8_t (&out)[greeting_size], std::uint8_t minor) noexcept {
    std::memset(out, 0, greeting_size);
    out[0] = 0xFF;
    out[signature_end] = 0x7F; // always the full 0x7F, C-GRT-7
    out[major_offset] = our_major_version;
    out[minor_offset] = minor;
    std::memcpy(out + mechanism_offset, null_mechanism, mechanism_field_size);
    // as-server (octet 32) stays 0: NULL has no server role (C-GRT-6).
}

std::error_code greeting_parser::check_octet(std::size_t index) {
    switch (index) {
    case 0:
        if (buf_[0] != 0xFF) {
            return wire_errc::bad_signature;
        }
        break;
    case signature_end:
        // Only the LSB is significant: a clear bit marks a ZMTP 1.0 peer (RFC 23 §Detecting).
        if ((buf_[signature_end] & 0x01) == 0) {
            return wire_errc::bad_signature;
        }
        break;
    case major_offset:
        peer_.major = buf_[major_offset];
        if (peer_.major < 3) {
            return wire_errc::unsupported_version; // 1.0/2.0 peer; we speak 3.x only (C-VER-3)
        }
        break;
    case minor_offset:
        peer_.minor = buf_[minor_offset];
        break;
    case mechanism_offset + mechanism_field_size - 1: {
        const char *mech = reinterpret_cast<const char *>(buf_ + mechanism_offset);
        const void *nul = std::memchr(mech, 0, mechanism_field_size);
        peer_.mechanism.assign(mech, nul ? static_cast<const char *>(nul) - mech
                                         : static_cast<std::ptrdiff_t>(mechanism_field_size));
        // All 20 octets, byte for byte: "null" or "NULL\0junk" are refused (C-GRT-3).
        if (std::memcmp(mech, null_mechanism, mechanism_field_size) != 0) {
            return wire_errc::mechanism_mismatch;
        }
        break;
    }
    case as_server_offset:
        peer_.as_server = buf_[as_server_offset] != 0;
        break;
    default:
        break;
    }
    return {};
}

greeting_result greeting_parser::feed(const std::uint8_t *p, std::size_t n) noexcept {
    std::size_t consumed = 0;
    while (status_ == parse_status::need_more && consumed < n) {
        const std::size_t index = pos_++;
        buf_[index] = p[consumed++];
        if (auto ec = check_octet(index)) {
            status_ = parse_status::failed;
            error_ = ec;
        } else if (pos_ == greeting_size) {
            status_ = parse_status::done;
        }
    }
    return {consumed, status_, error_};
}

} // namespace zmtp::wire
