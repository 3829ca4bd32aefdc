// High-water marks against the real libzmq 4.3, over tcp and ipc, either side binding: a PUSH
// whose PULL stops reading fills up and then blocks (EAGAIN with DONTWAIT or after SNDTIMEO),
// never drops, and delivers exactly what it accepted once the reader resumes; in both directions
// (C-HWM-2: whole messages count; C-HWM-5: over tcp/ipc the kernel buffers add an inexact slack,
// so the tests count what was accepted instead of expecting a number, C-TEST-3).
#include "tests/pushpull/pushpull_support.hpp"

#include <chrono>

#include <string>

using namespace zmtp;
using namespace zmtp::pushpull_test;

namespace {

constexpr int hwm = 10;
/// Body bytes added to every message so that the kernel buffers hold few of them.
constexpr std::size_t heavy = 16 * 1024;
/// Far more than HWMs plus kernel buffers can hold (32 MiB): reaching it means nothing pushed
/// back.
constexpr std::uint64_t runaway = 2000;
/// A send that cannot complete within this long means everything between the sockets is full:
/// the reader is not reading, so nothing frees up later. (An I/O thread stalled for that long
/// only makes the fill stop early, which the exact counting afterwards tolerates.)
constexpr int settle_ms = 50;

/// Sends a whole message, waiting up to SNDTIMEO (`flags` none) or not at all (dontwait);
/// false when the first frame could not be sent.
bool send_for(socket& s, const parts& msg, send_flags flags = send_flags::none) {
    for (std::size_t i = 0; i < msg.size(); ++i) {
        const bool last = i + 1 == msg.size();
        std::error_code ec;
        if (!s.send(msg[i].data(), msg[i].size(), last ? flags : flags | send_flags::sndmore, ec)) {
            if (i == 0 && is_would_block(ec))
                return false;
            FAIL("send of frame " << i << " failed: " << ec.message());
        }
    }
    return true;
}

bool try_send(socket& s, const parts& msg) {
    return send_for(s, msg, send_flags::dontwait);
}

} // namespace

TEST_CASE("interop our PUSH blocks at the HWM of a libzmq PULL that stops reading, drops nothing",
          "[pushpull][interop][hwm]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(transport, role_name(r));
    context ctx;
    zmq_context zctx;
    auto push = make_socket(ctx, socket_type::push);
    zmq_sock pull(zctx, ZMQ_PULL);
    push.set(opt::sndhwm, hwm);
    pull.set_int(ZMQ_RCVHWM, hwm);
    link(r, push, pull, transport);
    send_parts(push, {"sync"}); // attached at both ends once it is through
    REQUIRE(pull.expect_parts() == parts{"sync"});

    // The PULL reads nothing now: our PUSH accepts messages until everything between is full,
    // then blocks, and gives EAGAIN once SNDTIMEO expires.
    push.set(opt::sndtimeo, settle_ms);
    std::uint64_t accepted = 0;
    while (send_for(push, numbered("h", accepted, heavy)))
        if (++accepted == runaway)
            FAIL("our PUSH accepted " << runaway << " messages without pushing back");
    // A place counts until the write carrying its message completes (README: Differences), so
    // on a loaded machine a completion may free one after the timeout: take those too.
    while (try_send(push, numbered("h", accepted, heavy)))
        if (++accepted == runaway)
            FAIL("our PUSH accepted " << runaway << " messages without pushing back");
    push.set(opt::sndtimeo, timeout_ms);
    INFO("accepted before EAGAIN: " << accepted);
    CHECK(accepted >= hwm);

    // A blocking send completes once the reader makes room.
    background blocked([&]() -> std::string {
        const auto m = numbered("h", accepted, heavy);
        for (std::size_t f = 0; f < m.size(); ++f)
            if (!push.send(m[f], f + 1 < m.size() ? send_flags::sndmore : send_flags::none))
                return "the blocked send never completed";
        return "";
    });
    for (std::uint64_t i = 0; i <= accepted; ++i)
        REQUIRE(check_numbered(pull.expect_parts(), "h", heavy) == i);
    CHECK(blocked.join().empty());
    CHECK_FALSE(pull.recv_parts(0)); // exactly what was accepted, nothing more
    send_parts(push, {"after"});     // and it keeps working
    CHECK(pull.expect_parts() == parts{"after"});
}

TEST_CASE("interop our PULL at its HWM pushes back on a libzmq PUSH, drops nothing",
          "[pushpull][interop][hwm]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(transport, role_name(r));
    context ctx;
    zmq_context zctx;
    auto pull = make_socket(ctx, socket_type::pull);
    zmq_sock push(zctx, ZMQ_PUSH);
    pull.set(opt::rcvhwm, hwm);
    push.set_int(ZMQ_SNDHWM, hwm);
    link(r, pull, push, transport);
    REQUIRE(push.send_parts({"sync"}));
    REQUIRE(expect_parts(pull) == parts{"sync"});

    // We read nothing now: a PULL that kept reading past its RCVHWM would let this run away.
    push.set_int(ZMQ_SNDTIMEO, settle_ms);
    std::uint64_t accepted = 0;
    while (push.send_parts(numbered("h", accepted, heavy)))
        if (++accepted == runaway)
            FAIL("the libzmq PUSH sent " << runaway << " messages: our PULL never pushed back");
    push.set_int(ZMQ_SNDTIMEO, timeout_ms);
    INFO("libzmq accepted before EAGAIN: " << accepted);
    CHECK(accepted >= hwm);
    CHECK_FALSE(push.send_parts(numbered("h", accepted, heavy), ZMQ_DONTWAIT));

    background blocked([&]() -> std::string {
        return push.send_parts(numbered("h", accepted, heavy)) ? "" : "blocked send timed out";
    });
    for (std::uint64_t i = 0; i <= accepted; ++i)
        REQUIRE(check_numbered(expect_parts(pull), "h", heavy) == i);
    CHECK(blocked.join().empty());
    CHECK_FALSE(recv_parts(pull, 0));
    REQUIRE(push.send_parts({"after"}));
    CHECK(expect_parts(pull) == parts{"after"});
}

TEST_CASE("interop our PUSH skips a full libzmq PULL and keeps serving the one that reads",
          "[pushpull][interop][hwm][roundrobin]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(transport, role_name(r));
    context ctx;
    zmq_context zctx;
    auto push = make_socket(ctx, socket_type::push);
    zmq_sock slow(zctx, ZMQ_PULL), fast(zctx, ZMQ_PULL);
    push.set(opt::sndhwm, hwm);
    const auto ep = r == role::zmtp_binds ? bind_ours(push, transport) : std::string();
    for (auto* p : {&slow, &fast}) {
        p->set_int(ZMQ_RCVHWM, hwm);
        if (r == role::zmtp_binds)
            p->connect(ep);
        else
            push.connect(bind_theirs(*p, transport));
    }
    warm_up([&] { send_parts(push, {"warm-up"}); }, {receiver(slow), receiver(fast)});

    // Only "fast" reads. The PUSH passes over "slow" once it is full, so sends go on.
    constexpr std::uint64_t total = 2000;
    std::vector<std::uint64_t> at_fast, at_slow;
    for (std::uint64_t i = 0; i < total; ++i) {
        // Both full: make room at the reader, and look at the PUSH again between reads. A
        // message counts against our SNDHWM until the write carrying it completes, so "fast"
        // may already hold every message sent to it while the PUSH still says EAGAIN for a
        // moment (README, differences: libzmq credits a message when its I/O thread takes it
        // from the pipe, before the write). Waiting on "fast" alone could then wait forever.
        auto idle_since = std::chrono::steady_clock::now();
        while (!try_send(push, numbered("s", i, heavy))) {
            if (auto m = fast.recv_parts(5)) {
                at_fast.push_back(check_numbered(*m, "s", heavy));
                idle_since = std::chrono::steady_clock::now();
            } else if (std::chrono::steady_clock::now() - idle_since >
                       std::chrono::milliseconds(timeout_ms)) {
                FAIL("message " << i << ": the PUSH refuses it and \"fast\" receives nothing");
            }
        }
    }
    while (at_fast.size() + at_slow.size() < total) {
        if (auto m = slow.recv_parts(0))
            at_slow.push_back(check_numbered(*m, "s", heavy));
        else if (auto m = fast.recv_parts(5))
            at_fast.push_back(check_numbered(*m, "s", heavy));
    }
    INFO("slow got " << at_slow.size() << ", fast " << at_fast.size());
    CHECK(at_slow.size() < total / 2);               // passed over once full...
    CHECK(at_fast.size() + at_slow.size() == total); // ...and nothing lost or duplicated
    CHECK_FALSE(slow.recv_parts(0));
    CHECK_FALSE(fast.recv_parts(0));
    for (auto* got : {&at_fast, &at_slow})
        for (std::size_t k = 1; k < got->size(); ++k)
            REQUIRE((*got)[k] > (*got)[k - 1]);
}
