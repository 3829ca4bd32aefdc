// Tests for core/wire/handshake: the NULL handshake state machine end to end on byte vectors
// (C-GRT-4, C-HS-1..8, C-TYPE-1/2, C-FRM-7, C-VER).
#include "core/wire/command.hpp"
#include "core/wire/error.hpp"
#include "core/wire/handshake.hpp"
#include "tests/support/catch.hpp"
#include "tests/unit/wire/hex.hpp"

#include <string>

using namespace zmtp::wire;
using namespace zmtp::wire::test;

namespace {

byte_vec ready_frame(std::string_view type) {
    byte_vec out;
    append_ready(out, type);
    return out;
}

// A libzmq-like peer: staged-style greeting content (padding 00..01) then its READY.
byte_vec peer_stream(std::string_view type, std::uint8_t minor = 1) {
    return cat(libzmq_greeting(3, minor), ready_frame(type));
}

struct run_result {
    handshake_result result;
    byte_vec out;
};

run_result run(null_handshake &hs, const byte_vec &in) {
    run_result r;
    r.result = hs.feed(in.data(), in.size(), r.out);
    return r;
}

run_result run(socket_kind ours, const byte_vec &in, std::int64_t max = -1) {
    null_handshake hs(ours, max);
    return run(hs, in);
}

const byte_vec trailing = bytes("01 06 'B-head' 00 11 'A-tail-not-matter' 04 07 04 'PING' 00 0f");

} // namespace

TEST_CASE("C-HS-5 initial output is greeting then READY, before any input", "[wire]") {
    null_handshake hs(socket_kind::pub, -1);
    byte_vec out;
    hs.initial_output(out);
    std::uint8_t g[greeting_size];
    encode_greeting(g);
    CHECK(hex(out) == hex(cat(byte_vec(g, g + greeting_size),
                              bytes("04 19 05 52 45 41 44 59 0b 53 6f 63 6b 65 74 2d 54 79 70 65 "
                                    "00 00 00 03 50 55 42"))));
    CHECK(hs.status() == parse_status::need_more);
}

TEST_CASE("C-HS-3 initial output carries Identity when given", "[wire]") {
    null_handshake hs(socket_kind::dealer, -1, "me");
    byte_vec out;
    hs.initial_output(out);
    byte_vec expected_ready;
    append_ready(expected_ready, "DEALER", "me");
    CHECK(hex(byte_vec(out.begin() + greeting_size, out.end())) == hex(expected_ready));
}

TEST_CASE("C-HS-6 all at once: consumed stops at the end of READY", "[wire]") {
    const auto stream = peer_stream("SUB");
    const auto in = cat(stream, trailing);
    null_handshake hs(socket_kind::pub, -1);
    const auto r = run(hs, in);
    CHECK(r.result.status == parse_status::done);
    CHECK_FALSE(r.result.error);
    CHECK(r.result.consumed == stream.size());
    CHECK(r.out.empty());
    CHECK(hs.peer_socket_type() == "SUB");
    CHECK(hs.peer_minor() == 1);
    CHECK(hs.peer().major == 3);
    REQUIRE(hs.peer_properties().size() == 1);
    CHECK(hs.peer_properties()[0] == property{"Socket-Type", "SUB"});
    // after done nothing more is taken
    const auto again = run(hs, trailing);
    CHECK(again.result.status == parse_status::done);
    CHECK(again.result.consumed == 0);
}

TEST_CASE("C-HS-6 one byte at a time", "[wire]") {
    const auto stream = peer_stream("PAIR");
    const auto in = cat(stream, trailing);
    null_handshake hs(socket_kind::pair, -1);
    byte_vec out;
    std::size_t total = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const auto r = hs.feed(&in[i], 1, out);
        total += r.consumed;
        if (i + 1 < stream.size()) {
            REQUIRE(r.status == parse_status::need_more);
            CHECK(r.consumed == 1);
        } else if (i + 1 == stream.size()) {
            REQUIRE(r.status == parse_status::done);
            CHECK(r.consumed == 1);
        } else {
            CHECK(r.status == parse_status::done);
            CHECK(r.consumed == 0);
        }
    }
    CHECK(total == stream.size());
    CHECK(out.empty());
    CHECK(hs.peer_socket_type() == "PAIR");
}

TEST_CASE("C-HS-6 truncated at every offset, then completed", "[wire]") {
    const auto stream = peer_stream("XSUB");
    const auto in = cat(stream, trailing);
    for (std::size_t k = 0; k < stream.size(); ++k) {
        null_handshake hs(socket_kind::xpub, -1);
        byte_vec out;
        const auto a = hs.feed(in.data(), k, out);
        REQUIRE(a.status == parse_status::need_more);
        CHECK(a.consumed == k);
        const auto b = hs.feed(in.data() + k, in.size() - k, out);
        REQUIRE(b.status == parse_status::done);
        CHECK(a.consumed + b.consumed == stream.size());
    }
}

TEST_CASE("C-VER-2 negotiated minor: 3.0 peer 0, 3.1+ and 4.x peers 1", "[wire]") {
    const std::pair<std::uint8_t, std::uint8_t> cases[] = {{0, 0}, {1, 1}, {9, 1}};
    for (const auto &[minor, expected] : cases) {
        null_handshake hs(socket_kind::sub, -1);
        CHECK(run(hs, peer_stream("PUB", minor)).result.status == parse_status::done);
        CHECK(hs.peer_minor() == expected);
    }
    null_handshake hs(socket_kind::sub, -1);
    const auto in = cat(libzmq_greeting(4, 7), ready_frame("PUB"));
    CHECK(run(hs, in).result.status == parse_status::done);
    CHECK(hs.peer_minor() == 1);
}

TEST_CASE("C-VER-3 1.0/2.0 peers and bad greetings fail the handshake", "[wire]") {
    CHECK(run(socket_kind::pub, cat(libzmq_greeting(2, 0), ready_frame("SUB"))).result.error ==
          wire_errc::unsupported_version);
    auto bad_sig = peer_stream("SUB");
    bad_sig[0] = 0x00;
    CHECK(run(socket_kind::pub, bad_sig).result.error == wire_errc::bad_signature);
    auto bad_mech = peer_stream("SUB");
    bad_mech[12] = 'n';
    const auto r = run(socket_kind::pub, bad_mech);
    CHECK(r.result.error == wire_errc::mechanism_mismatch);
    CHECK(r.result.consumed == 32);
}

TEST_CASE("C-HS-7 READY without Socket-Type is accepted", "[wire]") {
    const auto r = run(socket_kind::pub, cat(libzmq_greeting(), bytes("04 06 05 'READY'")));
    CHECK(r.result.status == parse_status::done);
    null_handshake hs(socket_kind::pub, -1);
    run(hs, cat(libzmq_greeting(), bytes("04 13 05 'READY' 05 'X-Foo' 00 00 00 03 'bar'")));
    CHECK(hs.status() == parse_status::done);
    CHECK(hs.peer_socket_type().empty());
    REQUIRE(hs.peer_properties().size() == 1);
}

TEST_CASE("C-TYPE-2 type mismatch fails and appends an ERROR", "[wire]") {
    const auto r = run(socket_kind::pub, peer_stream("PUB"));
    CHECK(r.result.status == parse_status::failed);
    CHECK(r.result.error == wire_errc::socket_type_mismatch);
    CHECK(hex(r.out) == hex(bytes("04 1a 05 'ERROR' 13 'Invalid socket type'")));
    const std::pair<socket_kind, const char *> mismatches[] = {
        {socket_kind::sub, "SUB"},  {socket_kind::pair, "PUB"}, {socket_kind::pair, "SUB"},
        {socket_kind::pub, "PUSH"}, {socket_kind::pub, "PAIR"}, {socket_kind::sub, "XSUB"}};
    for (const auto &[ours, peer] : mismatches) {
        CHECK(run(ours, peer_stream(peer)).result.error == wire_errc::socket_type_mismatch);
    }
}

TEST_CASE("C-HS-7 Socket-Type value is case-sensitive", "[wire]") {
    const auto r = run(socket_kind::sub, peer_stream("pub"));
    CHECK(r.result.error == wire_errc::socket_type_mismatch);
    CHECK_FALSE(r.out.empty());
}

TEST_CASE("C-HS-7 property name is matched case-insensitively (spec, not libzmq)", "[wire]") {
    const auto ready = bytes("04 19 05 'READY' 0b 'socket-type' 00 00 00 03 'PUB'");
    CHECK(run(socket_kind::sub, cat(libzmq_greeting(), ready)).result.status == parse_status::done);
    CHECK(run(socket_kind::pub, cat(libzmq_greeting(), ready)).result.error ==
          wire_errc::socket_type_mismatch);
}

TEST_CASE("C-TYPE-1 every valid partner completes", "[wire]") {
    const std::pair<socket_kind, const char *> ok[] = {
        {socket_kind::pair, "PAIR"}, {socket_kind::pub, "SUB"},  {socket_kind::pub, "XSUB"},
        {socket_kind::sub, "PUB"},   {socket_kind::sub, "XPUB"}, {socket_kind::xpub, "SUB"},
        {socket_kind::xsub, "PUB"}};
    for (const auto &[ours, peer] : ok) {
        CHECK(run(ours, peer_stream(peer)).result.status == parse_status::done);
    }
}

TEST_CASE("C-TYPE-4 ERROR received during the handshake", "[wire]") {
    null_handshake hs(socket_kind::pub, -1);
    const auto r = run(hs, cat(libzmq_greeting(), bytes("04 0b 05 'ERROR' 04 'oops'")));
    CHECK(r.result.status == parse_status::failed);
    CHECK(r.result.error == wire_errc::error_received);
    CHECK(hs.peer_error_reason() == "oops");
    CHECK(r.out.empty());
}

TEST_CASE("C-TYPE-5 malformed ERROR is malformed_command", "[wire]") {
    const auto r =
        run(socket_kind::pub, cat(libzmq_greeting(), bytes("04 0b 05 'ERROR' 09 'oops'")));
    CHECK(r.result.error == wire_errc::malformed_command);
}

TEST_CASE("C-HS-8 PING, SUBSCRIBE or unknown command during the handshake", "[wire]") {
    for (const char *spec : {"04 07 04 'PING' 00 0f", "04 0b 09 'SUBSCRIBE' 'A'",
                             "04 06 05 'HELLO'", "04 06 05 'ready'"}) {
        INFO(spec);
        const auto r = run(socket_kind::pub, cat(libzmq_greeting(), bytes(spec)));
        CHECK(r.result.status == parse_status::failed);
        CHECK(r.result.error == wire_errc::unexpected_command);
        CHECK(r.out.empty());
    }
}

TEST_CASE("C-HS-8 data frame during the handshake fails at its header", "[wire]") {
    const auto r = run(socket_kind::pub, cat(libzmq_greeting(), bytes("00 02 'hi'")));
    CHECK(r.result.error == wire_errc::unexpected_command);
    CHECK(r.result.consumed == greeting_size + 2);
    CHECK(run(socket_kind::pub, cat(libzmq_greeting(), bytes("03 00 00 00 00 00 00 00 00")))
              .result.error == wire_errc::unexpected_command);
}

TEST_CASE("C-HS-2 malformed READY fails", "[wire]") {
    for (const char *spec : {"04 07 05 'READY' 00",                     // trailing byte
                             "04 0b 05 'READY' 00 00 00 00 00",         // zero-length name
                             "04 0d 05 'READY' 01 'A' 00 00 00 09 'x'", // value past end
                             "04 0c 05 'READY' 01 'A' 80 00 00 00",     // value >= 2^31
                             "04 00", "04 01 00", "04 03 05 'RE'"}) {   // bad names
        INFO(spec);
        const auto r = run(socket_kind::pub, cat(libzmq_greeting(), bytes(spec)));
        CHECK(r.result.status == parse_status::failed);
        CHECK(r.result.error == wire_errc::malformed_command);
    }
}

TEST_CASE("C-FRM-7 MAXMSGSIZE applies to READY", "[wire]") {
    const auto in = peer_stream("SUB"); // 25-byte READY body
    auto r = run(socket_kind::pub, in, 10);
    CHECK(r.result.error == wire_errc::message_too_large);
    CHECK(r.result.consumed == greeting_size + 2); // refused at the header, body never read
    CHECK(run(socket_kind::pub, in, 24).result.error == wire_errc::message_too_large);
    CHECK(run(socket_kind::pub, in, 25).result.status == parse_status::done);
}

TEST_CASE("C-FRM-2 frame size 2^63 during the handshake", "[wire]") {
    const auto r =
        run(socket_kind::pub, cat(libzmq_greeting(), bytes("06 80 00 00 00 00 00 00 00")));
    CHECK(r.result.error == wire_errc::invalid_frame_size);
    CHECK(r.result.consumed == greeting_size + 9);
    CHECK(run(socket_kind::pub, cat(libzmq_greeting(), bytes("06 ff ff ff ff ff ff ff ff")))
              .result.error == wire_errc::invalid_frame_size);
}

TEST_CASE("C-FRM-2 huge declared READY is refused on its header, without MAXMSGSIZE", "[wire]") {
    // 2^40 octets declared: failed at the header, none of the body is taken or buffered.
    null_handshake hs(socket_kind::pub, -1);
    const auto r = run(hs, cat(libzmq_greeting(), bytes("06 00 00 01 00 00 00 00 00 05 'READY'")));
    CHECK(r.result.status == parse_status::failed);
    CHECK(r.result.error == wire_errc::handshake_command_too_large);
    CHECK(r.result.consumed == greeting_size + 9);
}

TEST_CASE("handshake commands are capped at max_handshake_command", "[wire]") {
    // A READY body of exactly 64 KiB (padded with a long property) passes; one octet more fails.
    for (const std::size_t body : {std::size_t{max_handshake_command},
                                   std::size_t{max_handshake_command} + 1}) {
        // Body: "\x05READY" (6) + Socket-Type SUB (19) + name "X" (6 with lengths) + value.
        const property_list props = {{"Socket-Type", "SUB"}, {"X", std::string(body - 31, 'v')}};
        byte_vec in = libzmq_greeting();
        append_ready_properties(in, props);
        REQUIRE(in.size() == greeting_size + 9 + body);
        const auto r = run(socket_kind::pub, in);
        INFO("body " << body);
        if (body == max_handshake_command) {
            CHECK(r.result.status == parse_status::done);
        } else {
            CHECK(r.result.error == wire_errc::handshake_command_too_large);
            CHECK(r.result.consumed == greeting_size + 9); // dropped on the header
        }
    }
}

TEST_CASE("a READY naming Socket-Type twice is refused", "[wire]") {
    // libzmq 4.3.4 checks each Socket-Type it finds; which one counts is ambiguous, so we
    // refuse the READY whatever the values (the connection is dropped either way).
    for (const char* second : {"SUB", "PAIR"}) {
        const property_list props = {{"Socket-Type", "SUB"}, {"Socket-Type", second}};
        byte_vec in = libzmq_greeting();
        append_ready_properties(in, props);
        const auto r = run(socket_kind::pub, in);
        INFO(second);
        CHECK(r.result.error == wire_errc::malformed_command);
    }
}

TEST_CASE("C-FRM-3 long-encoded READY and MORE/reserved bits on it are accepted", "[wire]") {
    const auto long_ready =
        bytes("06 00 00 00 00 00 00 00 19 05 'READY' 0b 'Socket-Type' 00 00 00 03 'SUB'");
    const auto in = cat(libzmq_greeting(), long_ready, trailing);
    const auto r = run(socket_kind::pub, in);
    CHECK(r.result.status == parse_status::done);
    CHECK(r.result.consumed == greeting_size + long_ready.size());
    auto odd = ready_frame("SUB");
    odd[0] = 0xFD; // reserved bits + MORE + COMMAND, short
    CHECK(run(socket_kind::pub, cat(libzmq_greeting(), odd)).result.status == parse_status::done);
}

TEST_CASE("C-HS-8 a second READY is left for the caller", "[wire]") {
    const auto ready = ready_frame("SUB");
    const auto in = cat(libzmq_greeting(), ready, ready);
    const auto r = run(socket_kind::pub, in);
    CHECK(r.result.status == parse_status::done);
    CHECK(r.result.consumed == greeting_size + ready.size());
}

TEST_CASE("C-HS-8 a failed handshake stays failed", "[wire]") {
    null_handshake hs(socket_kind::pub, -1);
    run(hs, peer_stream("PUB"));
    REQUIRE(hs.status() == parse_status::failed);
    const auto r = run(hs, peer_stream("SUB"));
    CHECK(r.result.status == parse_status::failed);
    CHECK(r.result.consumed == 0);
    CHECK(r.result.error == wire_errc::socket_type_mismatch);
    CHECK(hs.error() == wire_errc::socket_type_mismatch);
    CHECK(r.out.empty()); // the ERROR is appended once
}

TEST_CASE("C-GRT-4 two of our handshakes talk to each other", "[wire]") {
    null_handshake a(socket_kind::pub, 1024);
    null_handshake b(socket_kind::sub, 1024);
    byte_vec a_out, b_out, junk;
    a.initial_output(a_out);
    b.initial_output(b_out);
    CHECK(a.feed(b_out.data(), b_out.size(), junk).status == parse_status::done);
    CHECK(b.feed(a_out.data(), a_out.size(), junk).status == parse_status::done);
    CHECK(a.peer_socket_type() == "SUB");
    CHECK(b.peer_socket_type() == "PUB");
    CHECK(junk.empty());
}
