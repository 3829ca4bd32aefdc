// Interop: connection life cycle between zmtp and libzmq PAIR sockets over tcp — connect before
// bind, a peer that restarts, a peer replaced by another, a second (black-holed) peer. Each case
// runs with zmtp as the binder and with libzmq as the binder. Instead of sleeping, the tests
// observe the state they need: a plain listener that accepts the connector's redial, a bound
// PAIR whose send starts to would-block, libzmq monitor events.
#include "tests/interop/interop_support.hpp"
#include "tests/support/catch.hpp"
#include "tests/support/wait.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

using namespace zmtp::interop;

namespace {

std::string tcp_loopback(int port) { return "tcp://127.0.0.1:" + std::to_string(port); }

/// A bound PAIR with no peer refuses to send (C-PAIR-4): that is how a binder shows it has
/// noticed its peer left. Probes sent before then go to the dead peer's pipe and are dropped
/// with it (C-PAIR-8).
bool zmtp_binder_has_no_peer(zmtp::socket& ours) {
    return zmtp::test::wait_until(
        [&] {
            zmtp::message probe(std::string_view("probe"));
            return !ours.send(probe, zmtp::send_flags::dontwait);
        },
        std::chrono::milliseconds(timeout_ms));
}

bool libzmq_binder_has_no_peer(zsock& theirs) {
    return zmtp::test::wait_until(
        [&] {
            if (zmq_send(theirs.get(), "probe", 5, ZMQ_DONTWAIT) >= 0)
                return false;
            return zmq_errno() == EAGAIN;
        },
        std::chrono::milliseconds(timeout_ms));
}

/// Binds a plain listener on `port`, retrying while the old listener's close completes.
bool bind_probe(std::optional<raw_listener>& probe, int port) {
    return zmtp::test::wait_until(
        [&] {
            try {
                probe.emplace(port);
                return true;
            } catch (const std::exception&) {
                return false;
            }
        },
        std::chrono::milliseconds(timeout_ms));
}

} // namespace

TEST_CASE("C-TCP-6 C-PAIR-4 connect before the peer binds: queued messages are delivered",
          "[interop][tcp][pair][reconnect]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    INFO(role_name(r));
    const std::string ep = tcp_loopback(free_port());
    INFO("endpoint " << ep);
    const std::vector<std::string> early_multi = {"early-2a", "", "early-2c"};
    zmtp::context ctx;
    zctx zc;
    zmtp::socket ours = make_pair(ctx);
    zsock theirs(zc);

    if (r == role::zmtp_binds) {
        // libzmq connects first; its pipe exists at once, so the sends queue (C-PAIR-4).
        theirs.connect(ep);
        theirs.send("early-1");
        theirs.send_multipart(early_multi);
        ours.bind(ep);
        CHECK(ours.get(zmtp::opt::last_endpoint) == ep);
        REQUIRE(recv_ours(ours) == "early-1");
        REQUIRE(recv_multipart_ours(ours) == early_multi);
    } else {
        // zmtp connects first, retries until libzmq listens (C-TCP-6).
        ours.connect(ep);
        send_ours(ours, "early-1");
        send_multipart_ours(ours, early_multi);
        theirs.bind(ep);
        REQUIRE(theirs.recv() == "early-1");
        REQUIRE(theirs.recv_multipart() == early_multi);
    }
    round_trip(ours, theirs, "after-bind");
}

TEST_CASE("C-PAIR-7 the connecting PAIR survives a restart of the binding peer; messages sent "
          "while it is down are delivered",
          "[interop][tcp][pair][reconnect]") {
    // libzmq_binds: our connecting PAIR, the libzmq binder restarts.
    // zmtp_binds:   a libzmq connecting PAIR, our binder restarts.
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    INFO(role_name(r));
    const int port = free_port();
    const std::string ep = tcp_loopback(port);
    INFO("endpoint " << ep);
    const std::vector<std::string> down_multi = {"down-2a", "", "down-2c"};

    if (r == role::libzmq_binds) {
        zmtp::context ctx;
        zmtp::socket ours = make_pair(ctx);
        ours.connect(ep);
        {
            zctx zc1;
            zsock first(zc1);
            first.bind(ep);
            round_trip(ours, first, "first-binder");
            first.close();
            zc1.term(); // returns once libzmq has closed the listener and the connection
        }
        {
            // Our connector notices the loss and redials: a plain listener accepts it.
            std::optional<raw_listener> probe;
            REQUIRE(bind_probe(probe, port));
            REQUIRE(probe->accept_one(timeout_ms));
            // The old connection is certainly gone; these wait in the pipe (the handshake
            // with the probe never completes).
            send_ours(ours, "down-1");
            send_multipart_ours(ours, down_multi);
            send_ours(ours, "down-3");
        } // the probe closes mid-greeting: a connection loss, so the connector redials
        zctx zc2;
        zsock second(zc2);
        second.bind(ep);
        REQUIRE(second.recv() == "down-1");
        REQUIRE(second.recv_multipart() == down_multi);
        REQUIRE(second.recv() == "down-3");
        round_trip(ours, second, "second-binder");
    } else {
        zctx zc;
        zsock theirs(zc);
        theirs.connect(ep);
        {
            zmtp::context ctx1;
            zmtp::socket first = make_pair(ctx1);
            first.bind(ep);
            round_trip(first, theirs, "first-binder");
            first.close();
            ctx1.terminate();
        }
        {
            std::optional<raw_listener> probe;
            REQUIRE(bind_probe(probe, port));
            REQUIRE(probe->accept_one(timeout_ms));
            theirs.send("down-1");
            theirs.send_multipart(down_multi);
            theirs.send("down-3");
        }
        zmtp::context ctx2;
        zmtp::socket second = make_pair(ctx2);
        second.bind(ep);
        REQUIRE(recv_ours(second) == "down-1");
        REQUIRE(recv_multipart_ours(second) == down_multi);
        REQUIRE(recv_ours(second) == "down-3");
        round_trip(second, theirs, "second-binder");
    }
}

TEST_CASE("C-PAIR-7 C-PAIR-8 the binding PAIR accepts a new connector after the first one left",
          "[interop][tcp][pair][reconnect]") {
    // zmtp_binds:   our binder, libzmq connectors come and go.
    // libzmq_binds: a libzmq binder, our connectors come and go.
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    INFO(role_name(r));

    if (r == role::zmtp_binds) {
        zmtp::context ctx;
        zmtp::socket ours = make_pair(ctx);
        ours.bind("tcp://127.0.0.1:*");
        const std::string ep = ours.get(zmtp::opt::last_endpoint);
        {
            zctx zc1;
            zsock first(zc1);
            first.connect(ep);
            first.send("from-first");
            REQUIRE(recv_ours(ours) == "from-first");
            send_ours(ours, "to-first");
            REQUIRE(first.recv() == "to-first");
            first.close();
            zc1.term();
        }
        REQUIRE(zmtp_binder_has_no_peer(ours));
        zctx zc2;
        zsock second(zc2);
        second.connect(ep);
        second.send("from-second");
        REQUIRE(recv_ours(ours) == "from-second");
        send_ours(ours, "to-second"); // not a stale probe: the old pipe was dropped (C-PAIR-8)
        REQUIRE(second.recv() == "to-second");
        round_trip(ours, second, "second");
    } else {
        zctx zc;
        zsock theirs(zc);
        theirs.bind("tcp://127.0.0.1:*");
        const std::string ep = theirs.last_endpoint();
        {
            zmtp::context ctx1;
            zmtp::socket first = make_pair(ctx1);
            first.connect(ep);
            send_ours(first, "from-first");
            REQUIRE(theirs.recv() == "from-first");
            theirs.send("to-first");
            REQUIRE(recv_ours(first) == "to-first");
            first.close();
            ctx1.terminate();
        }
        // libzmq adopts a new peer only once the old pipe is gone (C-PAIR-7): our close must
        // have really closed the connection for this to happen.
        REQUIRE(libzmq_binder_has_no_peer(theirs));
        zmtp::context ctx2;
        zmtp::socket second = make_pair(ctx2);
        second.connect(ep);
        send_ours(second, "from-second");
        REQUIRE(theirs.recv() == "from-second");
        theirs.send("to-second");
        REQUIRE(recv_ours(second) == "to-second");
        round_trip(second, theirs, "second");
    }
}

TEST_CASE("C-PAIR-5 a second connector gets nothing and does not disturb the first",
          "[interop][tcp][pair][exclusive]") {
    // zmtp_binds:   our binder; first and second connectors are libzmq.
    // libzmq_binds: a libzmq binder; first and second connectors are ours.
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    INFO(role_name(r));
    // Events that show the second connection reached a verdict (adopted, black hole, closed).
    const int verdict_events = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED |
                               ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                               ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;

    if (r == role::zmtp_binds) {
        zmtp::context ctx;
        zctx zc;
        zmtp::socket ours = make_pair(ctx);
        ours.bind("tcp://127.0.0.1:*");
        const std::string ep = ours.get(zmtp::opt::last_endpoint);
        zsock first(zc);
        first.connect(ep);
        first.send("from-first");
        REQUIRE(recv_ours(ours) == "from-first");

        zsock second(zc);
        std::optional<zmonitor> mon;
        mon.emplace(zc, second, "mon-second", verdict_events);
        second.connect(ep);
        const int event = mon->next_event(timeout_ms);
        INFO("second connector's first verdict event: " << event);
        REQUIRE(event != 0);
        second.send("intruder-1"); // queued in the second connector's own pipe
        second.send("intruder-2");

        for (int i = 0; i < 3; ++i) {
            const std::string tag = "first-" + std::to_string(i);
            first.send(tag);
            REQUIRE(recv_ours(ours) == tag); // never an intruder
            round_trip(ours, first, tag);
        }
        std::string leaked;
        REQUIRE_FALSE(second.try_recv(leaked));
        REQUIRE_FALSE(second.poll_in(200)); // a bounded negative check, not a synchronisation
        // The second one leaving does not disturb the first either.
        mon.reset();
        second.close();
        round_trip(ours, first, "after-second-left");
    } else {
        zmtp::context ctx;
        zctx zc;
        zsock theirs(zc);
        theirs.bind("tcp://127.0.0.1:*");
        const std::string ep = theirs.last_endpoint();
        zmtp::socket first = make_pair(ctx);
        first.connect(ep);
        send_ours(first, "from-first");
        REQUIRE(theirs.recv() == "from-first");

        zmonitor mon(zc, theirs, "mon-binder", verdict_events);
        zmtp::socket second = make_pair(ctx);
        second.connect(ep);
        const int event = mon.next_event(timeout_ms);
        INFO("libzmq binder's first verdict event for the second connection: " << event);
        REQUIRE(event != 0);
        send_ours(second, "intruder-1");
        send_ours(second, "intruder-2");

        for (int i = 0; i < 3; ++i) {
            const std::string tag = "first-" + std::to_string(i);
            send_ours(first, tag);
            REQUIRE(theirs.recv() == tag); // never an intruder
            round_trip(first, theirs, tag);
        }
        zmtp::message leaked;
        REQUIRE_FALSE(second.recv(leaked, zmtp::recv_flags::dontwait));
        second.set(zmtp::opt::rcvtimeo, 200); // a bounded negative check
        REQUIRE_FALSE(second.recv(leaked));
        second.close();
        round_trip(first, theirs, "after-second-left");
    }
}
