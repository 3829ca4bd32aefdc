// The "zmtp.wire" error category: messages for wire_errc and the libzmq protocol-error mapping
// (conformance §17, C-MON-2).
#include "core/wire/error.hpp"

#include <string>

namespace zmtp::wire {
namespace {

class wire_category_impl final : public std::error_category {
public:
    const char *name() const noexcept override { return "zmtp.wire"; }

    std::string message(int value) const override {
        switch (static_cast<wire_errc>(value)) {
        case wire_errc::bad_signature:
            return "bad greeting signature (ZMTP 1.0 peer refused)";
        case wire_errc::unsupported_version:
            return "unsupported ZMTP version (1.0/2.0 peer refused)";
        case wire_errc::mechanism_mismatch:
            return "security mechanism mismatch (expected NULL)";
        case wire_errc::malformed_command:
            return "malformed command";
        case wire_errc::unexpected_command:
            return "unexpected command or message during handshake";
        case wire_errc::socket_type_mismatch:
            return "incompatible peer socket type";
        case wire_errc::error_received:
            return "peer sent an ERROR command";
        case wire_errc::invalid_frame_size:
            return "invalid frame size (2^63 or more)";
        case wire_errc::message_too_large:
            return "frame larger than the maximum message size";
        case wire_errc::handshake_timeout:
            return "handshake timed out";
        case wire_errc::handshake_command_too_large:
            return "handshake command larger than 64 KiB";
        }
        return "unknown zmtp.wire error";
    }
};

} // namespace

const std::error_category &wire_category() noexcept {
    static const wire_category_impl category;
    return category;
}

std::error_code make_error_code(wire_errc e) noexcept {
    return {static_cast<int>(e), wire_category()};
}

std::uint32_t protocol_error_value(std::error_code ec) noexcept {
    if (ec.category() != wire_category()) {
        return 0;
    }
    switch (static_cast<wire_errc>(ec.value())) {
    case wire_errc::mechanism_mismatch:
        return protocol_error::zmtp_mechanism_mismatch;
    case wire_errc::unexpected_command:
        return protocol_error::zmtp_unexpected_command;
    case wire_errc::malformed_command:
        // The code does not say which command was malformed (READY or ERROR), so report the
        // unspecified variant rather than guess.
        return protocol_error::zmtp_malformed_command_unspecified;
    default:
        // Signature/version refusals, timeouts and size violations are not protocol errors in
        // libzmq's monitor (NO_DETAIL or plain DISCONNECTED); type mismatch and ERROR received
        // produce only DISCONNECTED (C-MON-2).
        return 0;
    }
}

} // namespace zmtp::wire
