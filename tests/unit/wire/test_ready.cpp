// Tests for core/wire/ready: READY builder and metadata grammar (C-HS-1..4, C-HS-7).
#include "core/wire/error.hpp"
#include "core/wire/frame.hpp"
#include "core/wire/ready.hpp"
#include "tests/support/catch.hpp"
#include "tests/unit/wire/hex.hpp"

#include <string>

using namespace zmtp::wire;
using namespace zmtp::wire::test;

namespace {

// Parses a READY body ("05 'READY' ..." without frame header).
ready_result ready_body(const byte_vec &body) {
    const auto cmd = parse_command(body.data(), body.size());
    REQUIRE(cmd);
    return parse_ready(*cmd);
}

} // namespace

TEST_CASE("C-HS-4 READY from SUB, XPUB, XSUB match libzmq", "[wire]") {
    const std::pair<const char *, const char *> cases[] = {
        {"SUB", "04 19 05 'READY' 0b 'Socket-Type' 00 00 00 03 'SUB'"},
        {"XPUB", "04 1a 05 'READY' 0b 'Socket-Type' 00 00 00 04 'XPUB'"},
        {"XSUB", "04 1a 05 'READY' 0b 'Socket-Type' 00 00 00 04 'XSUB'"},
    };
    for (const auto &[type, spec] : cases) {
        byte_vec out;
        append_ready(out, type);
        CHECK(hex(out) == hex(bytes(spec)));
    }
}

TEST_CASE("C-HS-3 READY with Identity", "[wire]") {
    byte_vec out;
    append_ready(out, "DEALER", "id1");
    CHECK(hex(out) == hex(bytes("04 2c 05 'READY' 0b 'Socket-Type' 00 00 00 06 'DEALER' "
                                "08 'Identity' 00 00 00 03 'id1'")));
    const auto r = ready_body(byte_vec(out.begin() + 2, out.end()));
    REQUIRE_FALSE(r.error);
    REQUIRE(r.properties.size() == 2);
    CHECK(r.properties[1].first == "Identity");
    CHECK(r.properties[1].second == "id1");
}

TEST_CASE("C-HS-2 READY round trip with several properties", "[wire]") {
    const property_list props = {
        {"Socket-Type", "PAIR"}, {"X-Empty", ""}, {"X-Bin", std::string("\0\x01\xff", 3)}};
    byte_vec out;
    append_ready_properties(out, props);
    const auto h = decode_frame_header(out.data(), out.size(), -1);
    REQUIRE(h.status == header_status::ok);
    const auto r = ready_body(byte_vec(out.begin() + 2, out.end()));
    REQUIRE_FALSE(r.error);
    CHECK(r.properties == props);
}

TEST_CASE("C-HS-7 READY with zero properties is accepted", "[wire]") {
    const auto r = ready_body(bytes("05 'READY'"));
    CHECK_FALSE(r.error);
    CHECK(r.properties.empty());
}

TEST_CASE("C-HS-2 zero-length value is allowed", "[wire]") {
    const auto r = ready_body(bytes("05 'READY' 05 'X-Foo' 00 00 00 00"));
    REQUIRE_FALSE(r.error);
    REQUIRE(r.properties.size() == 1);
    CHECK(r.properties[0].second.empty());
}

TEST_CASE("C-HS-2 zero-length name is malformed", "[wire]") {
    CHECK(ready_body(bytes("05 'READY' 00 00 00 00 00")).error == wire_errc::malformed_command);
}

TEST_CASE("C-HS-2 value length >= 2^31 is malformed", "[wire]") {
    CHECK(ready_body(bytes("05 'READY' 01 'A' 80 00 00 00")).error == wire_errc::malformed_command);
    CHECK(ready_body(bytes("05 'READY' 01 'A' ff ff ff ff")).error == wire_errc::malformed_command);
}

TEST_CASE("C-HS-2 value length past the body is malformed", "[wire]") {
    CHECK(ready_body(bytes("05 'READY' 01 'A' 00 00 00 05 'abcd'")).error ==
          wire_errc::malformed_command);
    CHECK(ready_body(bytes("05 'READY' 01 'A' 7f ff ff ff 'x'")).error ==
          wire_errc::malformed_command);
}

TEST_CASE("C-HS-7 trailing bytes after the last property are malformed", "[wire]") {
    CHECK(ready_body(bytes("05 'READY' 0b 'Socket-Type' 00 00 00 03 'PUB' 00")).error ==
          wire_errc::malformed_command);
    CHECK(ready_body(bytes("05 'READY' 0b 'Socket-Type' 00 00 00 03 'PUB' 05 58 2d")).error ==
          wire_errc::malformed_command);
}

TEST_CASE("C-HS-2 READY truncated at every offset", "[wire]") {
    const auto body = bytes("05 'READY' 0b 'Socket-Type' 00 00 00 03 'PUB' 05 'X-Foo' 00 00 00 "
                            "02 'hi'");
    const std::size_t prop1_end = 6 + 1 + 11 + 4 + 3;
    for (std::size_t k = 6; k <= body.size(); ++k) {
        const auto r = ready_body(byte_vec(body.begin(), body.begin() + k));
        const bool boundary = k == 6 || k == prop1_end || k == body.size();
        CHECK(static_cast<bool>(r.error) == !boundary);
        if (r.error) {
            CHECK(r.error == wire_errc::malformed_command);
        }
    }
}

TEST_CASE("C-HS-8 parse_ready refuses other commands", "[wire]") {
    const auto body = bytes("04 'PING' 00 00");
    const auto cmd = parse_command(body.data(), body.size());
    REQUIRE(cmd);
    CHECK(parse_ready(*cmd).error == wire_errc::unexpected_command);
}

TEST_CASE("C-HS-7 find_property compares names case-insensitively", "[wire]") {
    const property_list props = {{"X-Foo", "1"}, {"socket-type", "PUB"}, {"Socket-Type", "SUB"}};
    CHECK(find_property(props, "Socket-Type") == std::optional<std::string_view>("PUB"));
    CHECK(find_property(props, "SOCKET-TYPE") == std::optional<std::string_view>("PUB"));
    CHECK(find_property(props, "x-foo") == std::optional<std::string_view>("1"));
    CHECK_FALSE(find_property(props, "Identity"));
    CHECK_FALSE(find_property(props, "Socket-Typ"));
    CHECK_FALSE(find_property({}, "Socket-Type"));
}

TEST_CASE("C-HS-7 unknown X- properties are kept", "[wire]") {
    const auto r = ready_body(
        bytes("05 'READY' 05 'X-Foo' 00 00 00 03 'bar' 0b 'Socket-Type' 00 00 00 03 'PUB'"));
    REQUIRE_FALSE(r.error);
    REQUIRE(r.properties.size() == 2);
    CHECK(r.properties[0] == property{"X-Foo", "bar"});
    CHECK(find_property(r.properties, "Socket-Type") == std::optional<std::string_view>("PUB"));
}

TEST_CASE("C-HS-2 255-octet property name", "[wire]") {
    const std::string name(255, 'n');
    const auto r = ready_body(cat(bytes("05 'READY' ff"), text(name), bytes("00 00 00 01 'v'")));
    REQUIRE_FALSE(r.error);
    CHECK(r.properties[0].first == name);
}
