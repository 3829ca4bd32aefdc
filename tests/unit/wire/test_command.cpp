// Tests for core/wire command bodies: name split, ERROR and PING/PONG (C-FRM-5, C-TYPE-4/5,
// C-HB-1, C-HB-4).
#include "core/wire/command.hpp"
#include "core/wire/frame.hpp"
#include "tests/support/catch.hpp"
#include "tests/unit/wire/hex.hpp"

#include <string>

using namespace zmtp::wire;
using namespace zmtp::wire::test;

namespace {

// Decodes one whole command frame from `v` (header + body) and splits it.
std::optional<command_view> command_of(const byte_vec &v) {
    const auto h = decode_frame_header(v.data(), v.size(), -1);
    REQUIRE(h.status == header_status::ok);
    REQUIRE(h.header.command());
    REQUIRE(h.header.header_size + h.header.size == v.size());
    return parse_command(v.data() + h.header.header_size, static_cast<std::size_t>(h.header.size));
}

} // namespace

TEST_CASE("C-FRM-5 command name is length-prefixed", "[wire]") {
    const auto body = bytes("05 'READY' 0b 'Socket-Type'");
    const auto cmd = parse_command(body.data(), body.size());
    REQUIRE(cmd);
    CHECK(cmd->name == "READY");
    CHECK(cmd->size == 12);
    CHECK(cmd->data == body.data() + 6);
}

TEST_CASE("C-FRM-5 command with a name and no data", "[wire]") {
    const auto body = bytes("04 'PONG'");
    const auto cmd = parse_command(body.data(), body.size());
    REQUIRE(cmd);
    CHECK(cmd->name == "PONG");
    CHECK(cmd->size == 0);
}

TEST_CASE("C-FRM-5 malformed command bodies", "[wire]") {
    CHECK_FALSE(parse_command(nullptr, 0));
    const auto zero_name = bytes("00 'READY'");
    CHECK_FALSE(parse_command(zero_name.data(), zero_name.size()));
    const auto past_end = bytes("06 'READY'");
    CHECK_FALSE(parse_command(past_end.data(), past_end.size()));
    const auto only_len = bytes("ff");
    CHECK_FALSE(parse_command(only_len.data(), only_len.size()));
}

TEST_CASE("C-FRM-5 truncation of a command body at every offset", "[wire]") {
    const auto body = bytes("09 'SUBSCRIBE' 'topic'");
    for (std::size_t k = 0; k <= body.size(); ++k) {
        const auto cmd = parse_command(body.data(), k);
        CHECK(cmd.has_value() == (k >= 10));
    }
}

TEST_CASE("C-FRM-5 255-octet command name", "[wire]") {
    const std::string name(255, 'Z');
    byte_vec out;
    append_command(out, name, nullptr, 0);
    const auto cmd = command_of(out);
    REQUIRE(cmd);
    CHECK(cmd->name == name);
    CHECK(out[0] == 0x06); // body is 256 octets: long (C-FRM-3)
}

TEST_CASE("C-TYPE-4 ERROR command format", "[wire]") {
    byte_vec out;
    append_error(out, "oops");
    CHECK(hex(out) == hex(bytes("04 0b 05 45 52 52 4f 52 04 'oops'")));
    const auto cmd = command_of(out);
    REQUIRE(cmd);
    CHECK(parse_error_reason(*cmd) == std::optional<std::string_view>("oops"));
}

TEST_CASE("C-TYPE-4 ERROR with empty reason", "[wire]") {
    byte_vec out;
    append_error(out, "");
    CHECK(hex(out) == hex(bytes("04 07 05 'ERROR' 00")));
    const auto cmd = command_of(out);
    REQUIRE(cmd);
    CHECK(parse_error_reason(*cmd) == std::optional<std::string_view>(""));
}

TEST_CASE("C-TYPE-4 ERROR reason is truncated to 255", "[wire]") {
    const std::string reason(300, 'r');
    byte_vec out;
    append_error(out, reason);
    const auto cmd = command_of(out);
    REQUIRE(cmd);
    const auto parsed = parse_error_reason(*cmd);
    REQUIRE(parsed);
    CHECK(parsed->size() == 255);
    CHECK(out[0] == 0x06); // 1 + 5 + 1 + 255 = 262 octets: long
}

TEST_CASE("C-TYPE-5 malformed ERROR bodies", "[wire]") {
    const auto no_len = bytes("05 'ERROR'");
    auto cmd = parse_command(no_len.data(), no_len.size());
    REQUIRE(cmd);
    CHECK_FALSE(parse_error_reason(*cmd));
    const auto past_end = bytes("05 'ERROR' 05 'oops'");
    cmd = parse_command(past_end.data(), past_end.size());
    REQUIRE(cmd);
    CHECK_FALSE(parse_error_reason(*cmd));
    const auto trailing = bytes("05 'ERROR' 02 'no' 'extra'");
    cmd = parse_command(trailing.data(), trailing.size());
    REQUIRE(cmd);
    CHECK(parse_error_reason(*cmd) == std::optional<std::string_view>("no"));
    const auto other = bytes("05 'READY' 00");
    cmd = parse_command(other.data(), other.size());
    REQUIRE(cmd);
    CHECK_FALSE(parse_error_reason(*cmd));
}

TEST_CASE("C-HB-1 PING with TTL and context round-trips", "[wire]") {
    byte_vec out;
    append_ping(out, 0x1234, "ab");
    CHECK(hex(out) == hex(bytes("04 09 04 'PING' 12 34 'ab'")));
    const auto cmd = command_of(out);
    REQUIRE(cmd);
    const auto ping = parse_ping(*cmd);
    CHECK(ping.ttl_ds == 0x1234);
    CHECK(ping.context == "ab");
}

TEST_CASE("C-HB-1 PING context is truncated to 16 on send", "[wire]") {
    byte_vec out;
    append_ping(out, 1, std::string(20, 'c'));
    const auto cmd = command_of(out);
    REQUIRE(cmd);
    CHECK(parse_ping(*cmd).context == std::string(16, 'c'));
}

TEST_CASE("C-HB-4 PING shorter than the TTL is ttl 0 with empty context", "[wire]") {
    for (const char *spec : {"04 'PING'", "04 'PING' 07"}) {
        const auto body = bytes(spec);
        const auto cmd = parse_command(body.data(), body.size());
        REQUIRE(cmd);
        const auto ping = parse_ping(*cmd);
        CHECK(ping.ttl_ds == 0);
        CHECK(ping.context.empty());
    }
}

TEST_CASE("C-HB-4 PING context longer than 16 is parsed whole, PONG echoes 16", "[wire]") {
    const auto body = cat(bytes("04 'PING' 00 05"), text("0123456789abcdefghij"));
    const auto cmd = parse_command(body.data(), body.size());
    REQUIRE(cmd);
    const auto ping = parse_ping(*cmd);
    CHECK(ping.ttl_ds == 5);
    CHECK(ping.context == "0123456789abcdefghij");
    byte_vec out;
    append_pong(out, ping.context);
    CHECK(hex(out) == hex(bytes("04 15 04 'PONG' '0123456789abcdef'")));
}

TEST_CASE("C-HB-4 PONG context exactly 16 and empty", "[wire]") {
    byte_vec out;
    append_pong(out, "0123456789abcdef");
    CHECK(hex(out) == hex(bytes("04 15 04 'PONG' '0123456789abcdef'")));
    out.clear();
    append_pong(out, "");
    CHECK(hex(out) == hex(bytes("04 05 04 'PONG'")));
    const auto cmd = command_of(out);
    REQUIRE(cmd);
    CHECK(parse_pong(*cmd).empty());
}

TEST_CASE("commands appended one by one grow the buffer geometrically (issue 11 item 7)",
          "[wire]") {
    // 100 000 PONGs into one buffer: reserving exactly the new size each time would reallocate
    // (and copy everything) 100 000 times; doubling needs about log2(1.9 MB) ≈ 21.
    byte_vec out;
    std::size_t reallocations = 0;
    auto capacity = out.capacity();
    for (int i = 0; i < 100000; ++i) {
        append_pong(out, "0123456789abcdef");
        if (out.capacity() != capacity) {
            ++reallocations;
            capacity = out.capacity();
        }
    }
    CHECK(out.size() == 100000u * 23u);
    CHECK(reallocations <= 40);
}
