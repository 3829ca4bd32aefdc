// PUSH/PULL data against the real libzmq 4.3, both directions (our PUSH -> libzmq PULL,
// libzmq PUSH -> our PULL), either side binding, over tcp and ipc: single frames of 0, 1, 255,
// 256 (the short/long frame boundary, C-FRM-2), 64 KiB and 1 MiB, multipart messages made of
// all of them (C-FRM-6), and 10 000 messages in order.
#include "tests/pushpull/pushpull_support.hpp"

#include <cstddef>
#include <string>
#include <vector>

using namespace zmtp;
using namespace zmtp::pushpull_test;

namespace {

const std::vector<std::size_t> sizes{0, 1, 255, 256, 64 * 1024, 1024 * 1024};

/// The messages of the size cases: each size alone, then all sizes in one multipart message,
/// then an all-empty multipart message.
std::vector<parts> size_messages() {
    std::vector<parts> out;
    parts all;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        out.push_back({test::pattern(sizes[i], static_cast<std::uint32_t>(i))});
        all.push_back(test::pattern(sizes[i], static_cast<std::uint32_t>(100 + i)));
    }
    out.push_back(all);
    out.push_back({"", "", ""});
    return out;
}

void check_same(const parts& got, const parts& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t f = 0; f < want.size(); ++f) {
        INFO("frame " << f << " of " << want.size() << ", " << want[f].size() << " bytes");
        CHECK(test::first_mismatch(got[f], want[f]) == -1);
    }
}

constexpr std::uint64_t stream_count = 10000;

} // namespace

TEST_CASE("interop our PUSH to a libzmq PULL: sizes and multipart", "[pushpull][interop]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(transport, role_name(r));
    context ctx;
    zmq_context zctx;
    auto push = make_socket(ctx, socket_type::push);
    zmq_sock pull(zctx, ZMQ_PULL);
    link(r, push, pull, transport);
    const auto msgs = size_messages();
    for (const auto& m : msgs)
        send_parts(push, m); // blocks until a peer is attached (bound PUSH)
    for (const auto& m : msgs)
        check_same(pull.expect_parts(), m);
}

TEST_CASE("interop a libzmq PUSH to our PULL: sizes and multipart", "[pushpull][interop]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(transport, role_name(r));
    context ctx;
    zmq_context zctx;
    auto pull = make_socket(ctx, socket_type::pull);
    zmq_sock push(zctx, ZMQ_PUSH);
    link(r, pull, push, transport);
    const auto msgs = size_messages();
    for (const auto& m : msgs)
        REQUIRE(push.send_parts(m)); // SNDTIMEO bounds the wait for a bound PUSH's peer
    for (const auto& m : msgs)
        check_same(expect_parts(pull), m);
}

TEST_CASE("interop 10 000 messages in order, our PUSH to a libzmq PULL", "[pushpull][interop]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(transport, role_name(r));
    context ctx;
    zmq_context zctx;
    auto push = make_socket(ctx, socket_type::push);
    zmq_sock pull(zctx, ZMQ_PULL);
    link(r, push, pull, transport);
    // The sender runs ahead of the receiver until the HWMs push back, then blocks.
    background sender([&]() -> std::string {
        for (std::uint64_t i = 0; i < stream_count; ++i) {
            const auto m = numbered("s", i);
            for (std::size_t f = 0; f < m.size(); ++f)
                if (!push.send(m[f], f + 1 < m.size() ? send_flags::sndmore : send_flags::none))
                    return "send " + std::to_string(i) + " timed out";
        }
        return "";
    });
    for (std::uint64_t i = 0; i < stream_count; ++i) {
        const auto seq = check_numbered(pull.expect_parts(), "s");
        if (seq != i)
            FAIL("message " << seq << " arrived in place of " << i);
    }
    CHECK(sender.join().empty());
}

TEST_CASE("interop 10 000 messages in order, a libzmq PUSH to our PULL", "[pushpull][interop]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(transport, role_name(r));
    context ctx;
    zmq_context zctx;
    auto pull = make_socket(ctx, socket_type::pull);
    zmq_sock push(zctx, ZMQ_PUSH);
    link(r, pull, push, transport);
    background sender([&]() -> std::string {
        for (std::uint64_t i = 0; i < stream_count; ++i)
            if (!push.send_parts(numbered("s", i)))
                return "send " + std::to_string(i) + " timed out";
        return "";
    });
    for (std::uint64_t i = 0; i < stream_count; ++i) {
        const auto seq = check_numbered(expect_parts(pull), "s");
        if (seq != i)
            FAIL("message " << seq << " arrived in place of " << i);
    }
    CHECK(sender.join().empty());
}
