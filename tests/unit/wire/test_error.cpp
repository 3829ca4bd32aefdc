// Tests for core/wire/error: the error category, messages and libzmq protocol-error values
// (conformance §17, C-MON-2).
#include "core/wire/error.hpp"
#include "tests/support/catch.hpp"

#include <string>

using namespace zmtp::wire;

TEST_CASE("C-MON wire_errc converts to std::error_code of the wire category", "[wire]") {
    const std::error_code ec = wire_errc::mechanism_mismatch;
    CHECK(ec.category() == wire_category());
    CHECK(ec.value() == static_cast<int>(wire_errc::mechanism_mismatch));
    CHECK(ec == wire_errc::mechanism_mismatch);
    CHECK(ec != wire_errc::bad_signature);
    CHECK(std::string(wire_category().name()) == "zmtp.wire");
    CHECK_FALSE(std::error_code{});
}

TEST_CASE("C-MON every wire_errc has a distinct message", "[wire]") {
    std::string previous;
    for (int v = static_cast<int>(wire_errc::bad_signature);
         v <= static_cast<int>(wire_errc::handshake_timeout); ++v) {
        const auto msg = make_error_code(static_cast<wire_errc>(v)).message();
        CHECK_FALSE(msg.empty());
        CHECK(msg != previous);
        CHECK(msg.find("unknown") == std::string::npos);
        previous = msg;
    }
    CHECK(make_error_code(static_cast<wire_errc>(99)).message().find("unknown") !=
          std::string::npos);
}

TEST_CASE("C-MON-2 protocol_error_value matches zmq.h numbers", "[wire]") {
    CHECK(protocol_error_value(wire_errc::mechanism_mismatch) == 0x11000002u);
    CHECK(protocol_error_value(wire_errc::unexpected_command) == 0x10000001u);
    CHECK(protocol_error_value(wire_errc::malformed_command) == 0x10000011u);
    CHECK(protocol_error_value(wire_errc::bad_signature) == 0);
    CHECK(protocol_error_value(wire_errc::unsupported_version) == 0);
    CHECK(protocol_error_value(wire_errc::socket_type_mismatch) == 0);
    CHECK(protocol_error_value(wire_errc::error_received) == 0);
    CHECK(protocol_error_value(wire_errc::invalid_frame_size) == 0);
    CHECK(protocol_error_value(wire_errc::message_too_large) == 0);
    CHECK(protocol_error_value(wire_errc::handshake_timeout) == 0);
    CHECK(protocol_error_value(std::error_code{}) == 0);
    CHECK(protocol_error_value(std::make_error_code(std::errc::protocol_error)) == 0);
}
