// Socket-type checks against the real libzmq 4.3, over tcp and ipc, either side binding: PUSH
// pairs only with PULL (RFC 30, C-TYPE-1). A wrong peer fails the handshake on both sides (we
// drop it with DISCONNECTED and no HANDSHAKE_SUCCEEDED; libzmq likewise, C-TYPE-3), nothing
// is delivered, and the socket goes on serving a right peer. recv on PUSH and send on PULL give
// ENOTSUP, as in libzmq.
#include "tests/pushpull/pushpull_support.hpp"
#include "tests/support/wait.hpp"

#include <cerrno>
#include <string>

using namespace zmtp;
using namespace zmtp::pushpull_test;

namespace {

struct mismatch {
    socket_type ours;
    int theirs; ///< ZMQ_* socket type
    const char* name;
};

/// Every wrong peer for our PUSH and PULL, and every wrong peer of ours for libzmq's.
const mismatch mismatches[] = {
    {socket_type::push, ZMQ_PUSH, "our PUSH, libzmq PUSH"},
    {socket_type::push, ZMQ_PAIR, "our PUSH, libzmq PAIR"},
    {socket_type::push, ZMQ_SUB, "our PUSH, libzmq SUB"},
    {socket_type::pull, ZMQ_PULL, "our PULL, libzmq PULL"},
    {socket_type::pull, ZMQ_PAIR, "our PULL, libzmq PAIR"},
    {socket_type::pull, ZMQ_PUB, "our PULL, libzmq PUB"},
    {socket_type::pair, ZMQ_PUSH, "our PAIR, libzmq PUSH"},
    {socket_type::sub, ZMQ_PUSH, "our SUB, libzmq PUSH"},
    {socket_type::pair, ZMQ_PULL, "our PAIR, libzmq PULL"},
    {socket_type::pub, ZMQ_PULL, "our PUB, libzmq PULL"},
};

bool ours_sends(socket_type t) {
    return t == socket_type::push || t == socket_type::pair || t == socket_type::pub;
}
bool ours_receives(socket_type t) {
    return t != socket_type::push && t != socket_type::pub;
}
bool theirs_sends(int t) {
    return t == ZMQ_PUSH || t == ZMQ_PAIR || t == ZMQ_PUB;
}
bool theirs_receives(int t) {
    return t != ZMQ_PUSH && t != ZMQ_PUB;
}

/// How long a negative check ("nothing arrives") looks. Not a synchronisation: both sides have
/// already dropped the connection, so a message could only come from a bug.
constexpr int negative_check_ms = 50;

constexpr int verdict_events = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED |
                               ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                               ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;

constexpr option_tag<15, int> events_opt{}; // ZMQ_EVENTS

/// Waits until our PUSH has no connection left to send to (ZMQ_POLLOUT off): a refused
/// connection must leave its round robin instead of swallowing every n-th message.
void require_no_send_target(socket& push, event_log& log) {
    INFO("our PUSH still offers a refused connection for sending; events: " << log.describe());
    REQUIRE(test::wait_until([&] { return (push.get(events_opt) & ZMQ_POLLOUT) == 0; }));
}

/// Our PUSH or PULL still works with a right libzmq peer, joined the same way as the wrong one;
/// every message reaches it (none goes to the refused connection).
void check_serves_right_peer(role r, socket& ours, const std::string& ep, zmq_context& zctx,
                             const std::string& transport, event_log& log) {
    const bool push = ours.type() == socket_type::push;
    if (push && r == role::libzmq_binds) {
        // A libzmq binder reads our READY together with our greeting and closes before it
        // writes anything, so to us the refusal looks like a lost connection and we redial;
        // libzmq's own connector sees the binder's READY first and gives up for good (see the
        // README). Here the application drops the endpoint.
        ours.disconnect(ep);
    }
    if (push)
        require_no_send_target(ours, log); // a bound PUSH never attached the refused peer
    zmq_sock right(zctx, push ? ZMQ_PULL : ZMQ_PUSH);
    if (r == role::zmtp_binds)
        right.connect(ep);
    else
        ours.connect(bind_theirs(right, transport));
    for (std::uint64_t i = 0; i < 10; ++i) {
        if (push)
            send_parts(ours, numbered("ok", i));
        else
            REQUIRE(right.send_parts(numbered("ok", i)));
    }
    for (std::uint64_t i = 0; i < 10; ++i)
        REQUIRE(check_numbered(push ? right.expect_parts() : expect_parts(ours), "ok") == i);
}

} // namespace

TEST_CASE("interop C-TYPE-1 C-TYPE-3 PUSH and PULL refuse wrong peers, libzmq refuses ours",
          "[pushpull][interop][type]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    const auto& m = GENERATE(from_range(std::begin(mismatches), std::end(mismatches)));
    CAPTURE(transport, role_name(r), m.name);
    event_log our_events; // outlives the socket, which reports events until it is closed
    context ctx;
    zmq_context zctx;
    auto ours = make_socket(ctx, m.ours);
    zmq_sock theirs(zctx, m.theirs);
    if (m.ours == socket_type::sub)
        ours.set(opt::subscribe, std::string());
    if (m.theirs == ZMQ_SUB)
        theirs.subscribe("");
    ours.monitor(our_events.fn());
    zmq_monitor their_events(zctx, theirs, "pushpull-type-mon", verdict_events);

    const auto ep = link(r, ours, theirs, transport);
    REQUIRE(our_events.wait_for(socket_event::disconnected));
    CHECK_FALSE(our_events.seen(socket_event::handshake_succeeded));
    const int verdict = their_events.next_event();
    CAPTURE(verdict);
    REQUIRE(verdict != 0);
    CHECK(verdict != ZMQ_EVENT_HANDSHAKE_SUCCEEDED);

    // Nothing crosses: a sent message goes nowhere (or is refused), a receiver gets nothing.
    if (ours_sends(m.ours)) {
        std::error_code ec;
        ours.send("leak", 4, send_flags::dontwait, ec);
        CHECK((!ec || is_would_block(ec)));
    }
    if (theirs_sends(m.theirs))
        theirs.send_parts({"leak"}, ZMQ_DONTWAIT); // EAGAIN or queued on a dead pipe: both fine
    if (ours_receives(m.ours))
        CHECK_FALSE(recv_parts(ours, negative_check_ms));
    if (theirs_receives(m.theirs))
        CHECK_FALSE(theirs.recv_parts(negative_check_ms));
    CHECK_FALSE(our_events.seen(socket_event::handshake_succeeded));

    if (m.ours == socket_type::push || m.ours == socket_type::pull)
        check_serves_right_peer(r, ours, ep, zctx, transport, our_events);
}

TEST_CASE("interop recv on PUSH and send on PULL give ENOTSUP, as in libzmq",
          "[pushpull][interop][type]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    CAPTURE(transport);
    context ctx;
    zmq_context zctx;
    SECTION("our PUSH, libzmq PULL") {
        auto push = make_socket(ctx, socket_type::push);
        zmq_sock pull(zctx, ZMQ_PULL);
        link(role::zmtp_binds, push, pull, transport);
        message msg;
        std::error_code ec;
        CHECK_FALSE(push.recv(msg, recv_flags::none, ec)); // at once, not after RCVTIMEO
        CHECK(ec == std::errc::not_supported);
        char buf[8];
        CHECK(zmq_send(pull.get(), "x", 1, ZMQ_DONTWAIT) == -1);
        CHECK(zmq_errno() == ENOTSUP); // libzmq's answer for the same misuse
        CHECK(zmq_recv(pull.get(), buf, sizeof buf, ZMQ_DONTWAIT) == -1);
        CHECK(zmq_errno() == EAGAIN);
        send_parts(push, {"still", "works"});
        CHECK(pull.expect_parts() == parts{"still", "works"});
    }
    SECTION("libzmq PUSH, our PULL") {
        auto pull = make_socket(ctx, socket_type::pull);
        zmq_sock push(zctx, ZMQ_PUSH);
        link(role::libzmq_binds, pull, push, transport);
        std::error_code ec;
        CHECK_FALSE(pull.send("x", 1, send_flags::none, ec));
        CHECK(ec == std::errc::not_supported);
        char buf[8];
        CHECK(zmq_recv(push.get(), buf, sizeof buf, ZMQ_DONTWAIT) == -1);
        CHECK(zmq_errno() == ENOTSUP);
        REQUIRE(push.send_parts({"still", "works"}));
        CHECK(expect_parts(pull) == parts{"still", "works"});
    }
}

TEST_CASE("C-TYPE-3 a connecting PUSH refused with a protocol error drops that connection",
          "[pushpull][interop][type]") {
    // As libzmq's connecting PUSH does (observed: it stops dialing and balances over the rest).
    // The refusing peer is a PUSH of ours: it sends its READY at once, so our connector sees
    // the wrong type itself (a libzmq binder closes first, see above).
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    CAPTURE(transport);
    event_log log;
    context ctx;
    zmq_context zctx;
    auto wrong = make_socket(ctx, socket_type::push);
    auto push = make_socket(ctx, socket_type::push);
    push.monitor(log.fn());
    push.connect(bind_ours(wrong, transport));
    REQUIRE(log.wait_for(socket_event::disconnected));
    CHECK_FALSE(log.seen(socket_event::handshake_succeeded));
    require_no_send_target(push, log);
    CHECK_FALSE(log.seen(socket_event::connect_retried)); // no redial after a protocol error
    zmq_sock right(zctx, ZMQ_PULL);
    push.connect(bind_theirs(right, transport));
    for (std::uint64_t i = 0; i < 10; ++i)
        send_parts(push, numbered("ok", i));
    for (std::uint64_t i = 0; i < 10; ++i)
        REQUIRE(check_numbered(right.expect_parts(), "ok") == i);
}
