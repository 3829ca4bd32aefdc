// XPUB and XSUB against the real libzmq 4.3.4 in the same process, both directions (each side
// binding in turn) over tcp and ipc (issue 12 item 3): our XPUB with libzmq SUBs and XSUBs,
// libzmq's XPUB with our SUB and XSUB, our XSUB with libzmq's PUB. The same sequences, with the
// same expected reports, run between our own sockets in test_xpub_xsub.cpp. libzmq sockets act
// on attach and subscriptions only when their thread calls in (C-TEST-1): waits pump them.
#include "tests/pubsub/interop_sync.hpp"
#include "tests/pubsub/pubsub_support.hpp"
#include "tests/support/libzmq_socket.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

using namespace zmtp;
using namespace zmtp::pubsub_test;
using namespace zmtp::test;

namespace {

std::string sub_of(const std::string& topic) {
    return "\x01" + topic;
}
std::string unsub_of(const std::string& topic) {
    return std::string(1, '\0') + topic;
}

std::string endpoint_of(const std::string& transport) {
    return transport == "tcp" ? "tcp://127.0.0.1:*" : endpoint_for(transport);
}

/// Binds one side and connects the other over `transport`.
void link(role r, const std::string& transport, socket& ours, zmq_sock& theirs) {
    if (r == role::zmtp_binds) {
        theirs.connect(bind_any(ours, transport));
    } else {
        theirs.bind(endpoint_of(transport));
        ours.connect(theirs.last_endpoint());
    }
}

/// Lets a bound socket of ours attach what connected (it does so when its thread calls in).
void pump(socket& s) {
    int events = 0;
    std::size_t size = sizeof events;
    (void)s.get_option_raw(15 /* ZMQ_EVENTS */, &events, &size);
}

/// The next whole message from `recv`, pumping the libzmq sockets in `others` and ours in
/// `ours` meanwhile.
parts next_from(const std::function<std::optional<parts>(int)>& recv,
                const std::vector<zmq_sock*>& others = {}, const std::vector<socket*>& ours = {}) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto m = recv(5))
            return *m;
        for (auto* o : others)
            o->pump();
        for (auto* o : ours)
            pump(*o);
    }
    FAIL("nothing arrived within 10 s");
    return {};
}

/// What an XSUB sends, and what a VERBOSER XPUB reports of it (measured on libzmq 4.3.4).
const std::vector<parts> xsub_sends{{sub_of("A")},
                                    {sub_of("A")},
                                    {unsub_of("A")},
                                    {unsub_of("Q")},
                                    {"hello"},
                                    {"m1", sub_of("B"), "m3"},
                                    {""},
                                    {unsub_of("A")}};
const std::vector<parts> verboser_reports{
    {sub_of("A")}, {sub_of("A")}, {"hello"}, {"m1", sub_of("B")}, {"m3"}, {""}, {unsub_of("A")}};

} // namespace

TEST_CASE("interop issue 12: our XPUB reports libzmq SUBs as libzmq's XPUB would",
          "[xpub][interop]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    const std::string transport = GENERATE("tcp", "ipc");
    CAPTURE(role_name(r), transport);
    context ctx;
    zmq_context zctx;
    auto xpub = make_socket(ctx, socket_type::xpub);
    zmq_sock a(zctx, ZMQ_SUB);
    link(r, transport, xpub, a);
    auto report = [&] { return next_from([&](int ms) { return recv_parts(xpub, ms); }, {&a}); };
    a.subscribe("A");
    CHECK(report() == parts{sub_of("A")});
    a.subscribe("A"); // same peer again: not reported (not VERBOSE)
    a.subscribe("a-mark");
    CHECK(report() == parts{sub_of("a-mark")});
    xpub.set(opt::xpub_verboser, 1);
    a.subscribe("A");
    CHECK(report() == parts{sub_of("A")});
    a.unsubscribe("A"); // libzmq's SUB counts too: nothing goes until the last
    a.unsubscribe("A");
    a.unsubscribe("A");
    CHECK(report() == parts{unsub_of("A")});
    sync_ours_to_zmq(xpub, a, "a-mark"); // and the XPUB publishes to it
    send_parts(xpub, {"a-mark data", "2"});
    CHECK(a.expect_parts() == parts{"a-mark data", "2"});
    a.close();
    // A bound XPUB loses the subscriber: its last topic is reported gone. (A connecting one
    // keeps the connection's subscriptions for the reconnect and reports nothing, as
    // libzmq's does.)
    if (r == role::zmtp_binds)
        CHECK(report() == parts{unsub_of("a-mark")});
}

TEST_CASE("interop issue 12: a libzmq XSUB's sends as our XPUB reports them", "[xpub][interop]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    const std::string transport = GENERATE("tcp", "ipc");
    CAPTURE(role_name(r), transport);
    context ctx;
    zmq_context zctx;
    auto xpub = make_socket(ctx, socket_type::xpub);
    xpub.set(opt::xpub_verboser, 1);
    zmq_sock xsub(zctx, ZMQ_XSUB);
    link(r, transport, xpub, xsub);
    // An XSUB sends its subscriptions again when a publisher attaches, so the first one
    // arrives exactly once whenever the link comes up; its report says the link is up.
    auto report = [&] { return next_from([&](int ms) { return recv_parts(xpub, ms); }, {&xsub}); };
    REQUIRE(xsub.send_parts(xsub_sends[0]));
    CHECK(report() == verboser_reports[0]);
    for (std::size_t i = 1; i < xsub_sends.size(); ++i)
        REQUIRE(xsub.send_parts(xsub_sends[i]));
    for (std::size_t i = 1; i < verboser_reports.size(); ++i)
        CHECK(report() == verboser_reports[i]);
    send_parts(xpub, {"B-1", "x"});
    CHECK(xsub.expect_parts() == parts{"B-1", "x"});
}

TEST_CASE("interop issue 12: our XSUB's sends as libzmq's XPUB reports them", "[xsub][interop]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    const std::string transport = GENERATE("tcp", "ipc");
    CAPTURE(role_name(r), transport);
    context ctx;
    zmq_context zctx;
    auto xsub = make_socket(ctx, socket_type::xsub);
    zmq_sock xpub(zctx, ZMQ_XPUB);
    xpub.set_int(78 /* ZMQ_XPUB_VERBOSER */, 1);
    link(r, transport, xsub, xpub);
    // An XSUB drops upstream messages while no publisher is attached (libzmq's too), but sends
    // its subscriptions again to each publisher that attaches: the first report says the link
    // is up.
    auto report = [&] {
        return next_from([&](int ms) { return xpub.recv_parts(ms); }, {}, {&xsub});
    };
    send_parts(xsub, xsub_sends[0]);
    CHECK(report() == verboser_reports[0]);
    for (std::size_t i = 1; i < xsub_sends.size(); ++i)
        send_parts(xsub, xsub_sends[i]);
    for (std::size_t i = 1; i < verboser_reports.size(); ++i)
        CHECK(report() == verboser_reports[i]);
    REQUIRE(xpub.send_parts({"B-1", "x"}));
    CHECK(expect_parts(xsub) == parts{"B-1", "x"});
    xsub.close();
    if (r == role::libzmq_binds) // a connecting XPUB keeps them for the reconnect
        CHECK(report() == parts{unsub_of("B")});
}

TEST_CASE("interop issue 12: our XPUB with a libzmq XSUB, XPUB_MANUAL and a welcome",
          "[xpub][interop]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(role_name(r));
    context ctx;
    zmq_context zctx;
    auto xpub = make_socket(ctx, socket_type::xpub);
    xpub.set(opt::xpub_manual, 1);
    xpub.set(opt::xpub_welcome_msg, std::string("welcome"));
    zmq_sock xsub(zctx, ZMQ_XSUB);
    link(r, "tcp", xpub, xsub);
    REQUIRE(xsub.send_parts({sub_of("A")}));
    CHECK(next_from([&](int ms) { return recv_parts(xpub, ms); }, {&xsub}) == parts{sub_of("A")});
    CHECK(xsub.expect_parts() == parts{"welcome"});
    xpub.set(opt::subscribe, std::string("B")); // the application decides: B, not A
    send_parts(xpub, {"A-1"});
    send_parts(xpub, {"B-1"});
    CHECK(xsub.expect_parts() == parts{"B-1"});
}

TEST_CASE("interop issue 12: libzmq's XPUB with our SUB and a welcome; libzmq PUB to our XSUB",
          "[xsub][interop]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    const std::string transport = GENERATE("tcp", "ipc");
    CAPTURE(role_name(r), transport);
    context ctx;
    zmq_context zctx;
    {
        auto sub = make_socket(ctx, socket_type::sub);
        zmq_sock xpub(zctx, ZMQ_XPUB);
        xpub.set_bytes(ZMQ_XPUB_WELCOME_MSG, "W-welcome");
        sub.set(opt::subscribe, std::string("W"));
        link(r, transport, sub, xpub);
        CHECK(next_from([&](int ms) { return xpub.recv_parts(ms); }, {}, {&sub}) ==
              parts{sub_of("W")});
        CHECK(expect_parts(sub) == parts{"W-welcome"});
    }
    auto xsub = make_socket(ctx, socket_type::xsub);
    zmq_sock pub(zctx, ZMQ_PUB);
    link(r, transport, xsub, pub);
    send_parts(xsub, {sub_of("A")});
    sync_probe([&](const std::string& f) { REQUIRE(pub.send_parts({f})); },
               [&](int ms) { return recv_parts(xsub, ms); }, "A");
    REQUIRE(pub.send_parts({"B-filtered-by-the-publisher"}));
    REQUIRE(pub.send_parts({"A-1", "more"}));
    CHECK(expect_parts(xsub) == parts{"A-1", "more"});
}
