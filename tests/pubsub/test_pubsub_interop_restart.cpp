// PUB/SUB restarts against the real libzmq 4.3, either side restarting: subscriptions are
// re-sent after every reconnect (C-SUB-5), and subscribers may come and go under a PUB.
// libzmq sockets only act on subscriptions and reconnects when their thread calls into them
// (C-TEST-1): every wait on a libzmq socket goes through zmq_poll.
#include "tests/pubsub/interop_sync.hpp"
#include "tests/pubsub/pubsub_support.hpp"
#include "tests/support/libzmq_socket.hpp"
#include "tests/support/wait.hpp"

#include <memory>
#include <string>

using namespace zmtp;
using namespace zmtp::pubsub_test;
using namespace zmtp::test;

TEST_CASE("interop C-SUB-5 our PUB restarts under a connected libzmq SUB",
          "[pubsub][interop][reconnect]") {
    context ctx;
    zmq_context zctx;
    auto pub = make_socket(ctx, socket_type::pub);
    const auto ep = bind_any(pub, "tcp");
    zmq_sock sub(zctx, ZMQ_SUB);
    sub.set_int(ZMQ_RECONNECT_IVL, 20);
    sub.subscribe("A");
    sub.subscribe("B");
    sub.connect(ep);
    sync_ours_to_zmq(pub, sub, "A");
    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        pub.close();
        pub = make_socket(ctx, socket_type::pub);
        std::error_code ec;
        REQUIRE(zmtp::test::wait_until([&] {
            pub.bind(ep, ec);
            return !ec;
        }));
        // libzmq re-sends its subscriptions once its thread runs (the probe loop polls it).
        // Each topic is probed: the two subscriptions may travel in separate segments.
        sync_ours_to_zmq(pub, sub, "A");
        sync_ours_to_zmq(pub, sub, "B");
        send_parts(pub, {"C-x"});
        send_parts(pub, {"B-" + std::to_string(round), "t"});
        CHECK(sub.expect_parts() == parts{"B-" + std::to_string(round), "t"});
    }
}

TEST_CASE("interop C-SUB-5 a libzmq PUB restarts under our connected SUB",
          "[pubsub][interop][reconnect]") {
    context ctx;
    zmq_context zctx;
    auto sub = make_socket(ctx, socket_type::sub);
    sub.set(opt::reconnect_ivl, 20);
    sub.set(opt::subscribe, std::string("A"));
    sub.set(opt::subscribe, std::string("B"));
    auto pub = std::make_unique<zmq_sock>(zctx, ZMQ_PUB);
    pub->bind("tcp://127.0.0.1:*");
    const auto ep = pub->last_endpoint();
    sub.connect(ep);
    sync_zmq_to_ours(*pub, sub, "A");
    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        pub.reset();
        pub = std::make_unique<zmq_sock>(zctx, ZMQ_PUB);
        pub->bind_again(ep);
        // No subscribe call: our SUB re-sent them. Both are probed, because the PUB may take
        // in the second one only after it has published a message (libzmq reads new
        // subscriptions when it gets to its command queue).
        sync_zmq_to_ours(*pub, sub, "A");
        sync_zmq_to_ours(*pub, sub, "B");
        REQUIRE(pub->send_parts({"C-x"}));
        REQUIRE(pub->send_parts({"B-" + std::to_string(round), "t"}));
        CHECK(expect_parts(sub) == parts{"B-" + std::to_string(round), "t"});
    }
}

TEST_CASE("interop subscribers come and go: libzmq SUBs on our PUB, our SUBs on a libzmq PUB",
          "[pubsub][interop][reconnect]") {
    context ctx;
    zmq_context zctx;
    SECTION("libzmq SUBs replace each other on our PUB") {
        auto pub = make_socket(ctx, socket_type::pub);
        const auto ep = bind_any(pub, "tcp");
        for (int round = 0; round < 3; ++round) {
            CAPTURE(round);
            zmq_sock sub(zctx, ZMQ_SUB);
            sub.subscribe("R");
            sub.connect(ep);
            sync_ours_to_zmq(pub, sub, "R");
            REQUIRE(pub.subscribers().size() == 1);
            send_parts(pub, {"R-" + std::to_string(round)});
            CHECK(sub.expect_parts() == parts{"R-" + std::to_string(round)});
            sub.close();
            CHECK(zmtp::test::wait_until([&] {
                REQUIRE(pub.send("R-nobody"));
                return pub.subscribers().empty();
            }));
        }
    }
    SECTION("our SUBs replace each other on a libzmq PUB") {
        zmq_sock pub(zctx, ZMQ_PUB);
        pub.bind("tcp://127.0.0.1:*");
        for (int round = 0; round < 3; ++round) {
            CAPTURE(round);
            auto sub = make_socket(ctx, socket_type::sub);
            sub.set(opt::subscribe, std::string("R"));
            sub.connect(pub.last_endpoint());
            sync_zmq_to_ours(pub, sub, "R");
            REQUIRE(pub.send_parts({"R-" + std::to_string(round)}));
            CHECK(expect_parts(sub) == parts{"R-" + std::to_string(round)});
        }
    }
}
