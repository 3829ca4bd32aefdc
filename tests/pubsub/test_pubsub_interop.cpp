// PUB/SUB against the real libzmq 4.3 in the same process, both directions: filtering,
// multipart, (un)subscribe semantics seen through libzmq's XPUB/XSUB (restarts on either side:
// test_pubsub_interop_restart.cpp), several subscribers, slow subscribers, long topics (C-PUB-*, C-SUB-*, C-SUBW-*, C-TEST-1/2).
// libzmq sockets only act on subscriptions and reconnects when their thread calls into them
// (C-TEST-1): every wait on a libzmq socket goes through zmq_poll.
#include "tests/pubsub/interop_sync.hpp"
#include "tests/pubsub/pubsub_support.hpp"
#include "tests/support/libzmq_socket.hpp"
#include "tests/support/wait.hpp"

#include <chrono>
#include <memory>
#include <string>

using namespace zmtp;
using namespace zmtp::pubsub_test;
using namespace zmtp::test;

namespace {

/// Binds one side and connects the other over tcp.
void link(role r, socket& ours, zmq_sock& theirs) {
    if (r == role::zmtp_binds) {
        theirs.connect(bind_any(ours, "tcp"));
    } else {
        theirs.bind("tcp://127.0.0.1:*");
        ours.connect(theirs.last_endpoint());
    }
}

std::uint64_t total_sent(const socket& pub) {
    std::uint64_t sum = 0;
    for (const auto& c : pub.subscribers())
        sum += c.sent;
    return sum;
}

const std::vector<parts> filter_input{{"A-1"},
                                      {"B-1"},
                                      {"A-multi", "x", ""},
                                      {"X-head", "A-tail"},
                                      {"", "A"},
                                      {"AB", std::string(300, 'l'), std::string(70000, 'h')},
                                      {"a-lower"},
                                      {"A-end"}};
const std::vector<parts> filter_expected{{"A-1"},
                                         {"A-multi", "x", ""},
                                         {"AB", std::string(300, 'l'), std::string(70000, 'h')},
                                         {"A-end"}};

const std::string payload(1000, 'p');

} // namespace

TEST_CASE("interop C-PUB-1 our PUB to a libzmq SUB: filters and multipart", "[pubsub][interop]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(role_name(r));
    context ctx;
    zmq_context zctx;
    auto pub = make_socket(ctx, socket_type::pub);
    zmq_sock sub(zctx, ZMQ_SUB);
    sub.subscribe("A");
    link(r, pub, sub);
    sync_ours_to_zmq(pub, sub, "A");
    for (const auto& m : filter_input)
        send_parts(pub, m);
    for (const auto& m : filter_expected)
        CHECK(sub.expect_parts() == m);
}

TEST_CASE("interop C-SUB-3 a libzmq PUB to our SUB: filters and multipart", "[pubsub][interop]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(role_name(r));
    context ctx;
    zmq_context zctx;
    auto sub = make_socket(ctx, socket_type::sub);
    zmq_sock pub(zctx, ZMQ_PUB);
    sub.set(opt::subscribe, std::string("A"));
    link(r, sub, pub);
    sync_zmq_to_ours(pub, sub, "A");
    for (const auto& m : filter_input)
        REQUIRE(pub.send_parts(m));
    for (const auto& m : filter_expected)
        CHECK(expect_parts(sub) == m);
}

TEST_CASE("interop C-PUB-2 the empty subscription, both directions", "[pubsub][interop]") {
    context ctx;
    zmq_context zctx;
    const std::vector<parts> msgs{{""}, {"anything"}, {"", ""}, {std::string("\0\x01", 2)}};
    SECTION("our PUB, libzmq SUB") {
        auto pub = make_socket(ctx, socket_type::pub);
        zmq_sock sub(zctx, ZMQ_SUB);
        sub.subscribe("");
        link(role::zmtp_binds, pub, sub);
        sync_ours_to_zmq(pub, sub, "any");
        for (const auto& m : msgs)
            send_parts(pub, m);
        for (const auto& m : msgs)
            CHECK(sub.expect_parts() == m);
    }
    SECTION("libzmq PUB, our SUB") {
        auto sub = make_socket(ctx, socket_type::sub);
        zmq_sock pub(zctx, ZMQ_PUB);
        sub.set(opt::subscribe, std::string());
        link(role::libzmq_binds, sub, pub);
        sync_zmq_to_ours(pub, sub, "any");
        for (const auto& m : msgs)
            REQUIRE(pub.send_parts(m));
        for (const auto& m : msgs)
            CHECK(expect_parts(sub) == m);
    }
}

TEST_CASE("interop C-SUB-4 our SUB's subscriptions as a libzmq XPUB sees them",
          "[pubsub][interop]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(role_name(r));
    context ctx;
    zmq_context zctx;
    auto sub = make_socket(ctx, socket_type::sub);
    zmq_sock xpub(zctx, ZMQ_XPUB);
    xpub.set_int(78 /* ZMQ_XPUB_VERBOSER: pass every (un)subscribe */, 1);
    sub.set(opt::subscribe, std::string("A"));
    link(r, sub, xpub);
    // Like a bound libzmq SUB (C-TEST-1), a bound SUB of ours attaches an accepted peer, and so
    // sends it the subscriptions, when its application thread next calls into it: keep
    // touching it while waiting for the XPUB.
    auto next = [&] {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            if (auto m = xpub.recv_parts(5))
                return *m;
            message ignored;
            std::error_code ec;
            sub.recv(ignored, recv_flags::dontwait, ec);
        }
        FAIL("the XPUB got nothing within 10 s");
        return parts{};
    };
    CHECK(next() == parts{"\x01"
                          "A"});
    sub.set(opt::subscribe, std::string("A"));
    CHECK(next() == parts{"\x01"
                          "A"});                 // every subscribe goes upstream
    sub.set(opt::unsubscribe, std::string("A")); // still one left: nothing
    sub.set(opt::subscribe, std::string("B"));
    CHECK(next() == parts{"\x01"
                          "B"});
    sub.set(opt::unsubscribe, std::string("A")); // the last: CANCEL
    CHECK(next() == parts{std::string("\x00"
                                      "A",
                                      2)});
    sub.set(opt::unsubscribe, std::string("A"));    // nothing left: nothing sent
    sub.set(opt::subscribe, std::string(250, 'L')); // C-SUBW-6: framed right, libzmq parses it
    CHECK(next() == parts{"\x01" + std::string(250, 'L')});
    // And the XPUB can publish to it.
    sync_zmq_to_ours(xpub, sub, "B");
    REQUIRE(xpub.send_parts({"B-data", "2"}));
    CHECK(expect_parts(sub) == parts{"B-data", "2"});
}

TEST_CASE("interop C-SUBW-3 C-SUBW-4 our PUB takes a libzmq XSUB's legacy subscriptions",
          "[pubsub][interop]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(role_name(r));
    context ctx;
    zmq_context zctx;
    auto pub = make_socket(ctx, socket_type::pub);
    zmq_sock xsub(zctx, ZMQ_XSUB);
    link(r, pub, xsub);
    REQUIRE(xsub.send_parts({"\x01"
                             "A"})); // sent as a 0x01 data message even on ZMTP 3.1
    sync_ours_to_zmq(pub, xsub, "A");
    send_parts(pub, {"B-x"});
    send_parts(pub, {"A-end"});
    CHECK(xsub.expect_parts() == parts{"A-end"});

    REQUIRE(xsub.send_parts({std::string("\x00"
                                         "A",
                                         2)}));
    REQUIRE(xsub.send_parts({"\x01"
                             "M"}));
    REQUIRE(xsub.send_parts({"not a subscription"})); // ignored (C-SUBW-5)
    sync_ours_to_zmq(pub, xsub, "M");
    send_parts(pub, {"A-gone"});
    send_parts(pub, {"M-end"});
    CHECK(xsub.expect_parts() == parts{"M-end"});
}

TEST_CASE("interop C-PUB-4 C-SUB-4 a libzmq SUB subscribing twice, unsubscribing twice",
          "[pubsub][interop]") {
    context ctx;
    zmq_context zctx;
    auto pub = make_socket(ctx, socket_type::pub);
    zmq_sock sub(zctx, ZMQ_SUB);
    sub.subscribe("A");
    sub.subscribe("A");
    sub.subscribe("B");
    link(role::zmtp_binds, pub, sub);
    sync_ours_to_zmq(pub, sub, "A");

    sub.unsubscribe("A"); // libzmq counts: nothing goes upstream, A still flows
    sub.subscribe("M");
    sync_ours_to_zmq(pub, sub, "M");
    auto before = total_sent(pub);
    send_parts(pub, {"A-still"});
    CHECK(total_sent(pub) == before + 1);
    CHECK(sub.expect_parts() == parts{"A-still"});

    sub.unsubscribe("A"); // the last one: CANCEL; our PUB stops sending A soon after
    REQUIRE(zmtp::test::wait_until([&] {
        sub.pump();
        const auto b = total_sent(pub);
        REQUIRE(pub.send("A-probe"));
        return total_sent(pub) == b;
    }));
    send_parts(pub, {"B-end"});
    CHECK(sub.expect_parts() == parts{"B-end"}); // A-probes still queued were filtered by libzmq
}

TEST_CASE("interop several subscribers of both kinds, each gets its own topics",
          "[pubsub][interop]") {
    context ctx;
    zmq_context zctx;
    SECTION("our PUB: two libzmq SUBs and one of ours") {
        auto pub = make_socket(ctx, socket_type::pub);
        const auto ep = bind_any(pub, "tcp");
        zmq_sock z1(zctx, ZMQ_SUB), z2(zctx, ZMQ_SUB);
        auto ours = make_socket(ctx, socket_type::sub);
        z1.subscribe("L1");
        z2.subscribe("L2");
        z2.subscribe("all");
        z1.subscribe("all");
        ours.set(opt::subscribe, std::string("O"));
        ours.set(opt::subscribe, std::string("all"));
        z1.connect(ep);
        z2.connect(ep);
        ours.connect(ep);
        sync_ours_to_zmq(pub, z1, "L1");
        sync_ours_to_zmq(pub, z2, "L2");
        sync_subscription(pub, ours, "O");
        for (int i = 0; i < 50; ++i)
            for (const char* t : {"L1-", "L2-", "O-", "none-"})
                send_parts(pub, {t + std::to_string(i), "x"});
        send_parts(pub, {"all-end"});
        for (int i = 0; i < 50; ++i) {
            CHECK(z1.expect_parts() == parts{"L1-" + std::to_string(i), "x"});
            CHECK(z2.expect_parts() == parts{"L2-" + std::to_string(i), "x"});
            CHECK(expect_parts(ours) == parts{"O-" + std::to_string(i), "x"});
        }
        CHECK(z1.expect_parts() == parts{"all-end"});
        CHECK(z2.expect_parts() == parts{"all-end"});
        CHECK(expect_parts(ours) == parts{"all-end"});
        REQUIRE(pub.subscribers().size() == 3);
        for (const auto& c : pub.subscribers())
            CHECK(c.dropped == 0);
    }
    SECTION("a libzmq PUB: two of our SUBs and one libzmq SUB") {
        zmq_sock pub(zctx, ZMQ_PUB);
        pub.bind("tcp://127.0.0.1:*");
        const auto ep = pub.last_endpoint();
        auto o1 = make_socket(ctx, socket_type::sub);
        auto o2 = make_socket(ctx, socket_type::sub);
        zmq_sock z(zctx, ZMQ_SUB);
        o1.set(opt::subscribe, std::string("O1"));
        o2.set(opt::subscribe, std::string("O2"));
        z.subscribe("Z");
        for (auto* s : {&o1, &o2})
            s->set(opt::subscribe, std::string("all"));
        z.subscribe("all");
        o1.connect(ep);
        o2.connect(ep);
        z.connect(ep);
        sync_zmq_to_ours(pub, o1, "O1");
        sync_zmq_to_ours(pub, o2, "O2");
        sync_probe([&](const std::string& f) { REQUIRE(pub.send_parts({f})); },
                   [&](int ms) { return z.recv_parts(ms); }, "Z");
        for (int i = 0; i < 50; ++i)
            for (const char* t : {"O1-", "O2-", "Z-", "none-"})
                REQUIRE(pub.send_parts({t + std::to_string(i), "x"}));
        REQUIRE(pub.send_parts({"all-end"}));
        for (int i = 0; i < 50; ++i) {
            CHECK(expect_parts(o1) == parts{"O1-" + std::to_string(i), "x"});
            CHECK(expect_parts(o2) == parts{"O2-" + std::to_string(i), "x"});
            CHECK(z.expect_parts() == parts{"Z-" + std::to_string(i), "x"});
        }
        CHECK(expect_parts(o1) == parts{"all-end"});
        CHECK(expect_parts(o2) == parts{"all-end"});
        CHECK(z.expect_parts() == parts{"all-end"});
    }
}

TEST_CASE("interop C-PUB-6 our PUB never blocks on a sleeping libzmq SUB",
          "[pubsub][interop][hwm]") {
    context ctx;
    zmq_context zctx;
    auto pub = make_socket(ctx, socket_type::pub);
    pub.set(opt::sndhwm, 10);
    pub.set(opt::sndtimeo, 1000);
    zmq_sock sub(zctx, ZMQ_SUB);
    sub.set_int(ZMQ_RCVHWM, 10);
    sub.subscribe("T");
    link(role::zmtp_binds, pub, sub);
    sync_ours_to_zmq(pub, sub, "T-probe");
    const auto before = pub.subscribers().at(0);

    // The libzmq SUB is not read from now on; our sends must all succeed at once.
    constexpr std::uint64_t min_msgs = 20000, max_msgs = 300000;
    std::uint64_t n = 0;
    while (n < max_msgs && (n < min_msgs || pub.subscribers()[0].dropped == 0)) {
        send_parts(pub, numbered_message(n, payload),
                   n % 2 ? send_flags::dontwait : send_flags::none);
        ++n;
    }
    const auto after = pub.subscribers().at(0);
    INFO("published " << n << ", dropped " << after.dropped);
    CHECK(after.dropped > 0);
    CHECK(after.sent - before.sent + after.dropped == n);

    // Awake: an in-order subsequence of whole messages, all the PUB queued for it.
    const auto got =
        drain_numbered([&](int ms) { return sub.recv_parts(ms); }, n, payload,
                       [&](std::uint64_t seq) { send_parts(pub, numbered_message(seq, "end")); });
    CHECK(got.received == after.sent - before.sent);
    CHECK(got.gaps > 0);
}

TEST_CASE("interop C-SUB-7 a libzmq PUB drops, not our sleeping SUB", "[pubsub][interop][hwm]") {
    context ctx;
    zmq_context zctx;
    zmq_sock pub(zctx, ZMQ_PUB);
    pub.set_int(ZMQ_SNDHWM, 10);
    pub.set_int(ZMQ_SNDTIMEO, 1000);
    auto sub = make_socket(ctx, socket_type::sub);
    sub.set(opt::rcvhwm, 10);
    sub.set(opt::subscribe, std::string("T"));
    link(role::libzmq_binds, sub, pub);
    sync_zmq_to_ours(pub, sub, "T-probe");

    constexpr std::uint64_t n = 40000; // 40 MB: more than every buffer on the way
    for (std::uint64_t i = 0; i < n; ++i)
        REQUIRE(pub.send_parts(numbered_message(i, payload), i % 2 ? ZMQ_DONTWAIT : 0));
    const auto got = drain_numbered(
        [&](int ms) { return recv_parts(sub, ms); }, n, payload,
        [&](std::uint64_t seq) { REQUIRE(pub.send_parts(numbered_message(seq, "end"))); });
    INFO("received " << got.received << " of " << n);
    CHECK(got.received > 0);
    CHECK(got.received < n);
    CHECK(got.gaps > 0);
}

TEST_CASE("interop C-SUBW-7 long subscriptions from a libzmq SUB", "[pubsub][interop]") {
    context ctx;
    zmq_context zctx;
    auto pub = make_socket(ctx, socket_type::pub);
    zmq_sock sub(zctx, ZMQ_SUB);
    const std::string topic(300, 'k');
    sub.subscribe(topic);
    link(role::zmtp_binds, pub, sub);
    sync_ours_to_zmq(pub, sub, topic);
    send_parts(pub, {std::string(299, 'k')});
    send_parts(pub, {topic + "end"});
    CHECK(sub.expect_parts() == parts{topic + "end"});
}

TEST_CASE("interop C-SUBW-7 a libzmq SUB with a 100 KB topic", "[pubsub][interop]") {
    context ctx;
    zmq_context zctx;
    auto pub = make_socket(ctx, socket_type::pub);
    zmq_sock sub(zctx, ZMQ_SUB);
    const std::string topic = std::string(100000, 'k') + "/";
    sub.subscribe(topic);
    link(role::zmtp_binds, pub, sub);
    sync_ours_to_zmq(pub, sub, topic);
    send_parts(pub, {topic + "end"});
    CHECK(sub.expect_parts() == parts{topic + "end"});
}

TEST_CASE("interop C-SUBW-6 libzmq 4.3.4's mis-framed 250-byte SUBSCRIBE does not hurt our PUB",
          "[pubsub][interop]") {
    context ctx;
    zmq_context zctx;
    auto pub = make_socket(ctx, socket_type::pub);
    const auto ep = bind_any(pub, "tcp");
    auto good = make_socket(ctx, socket_type::sub);
    good.set(opt::subscribe, std::string("good"));
    good.connect(ep);
    sync_subscription(pub, good, "good");

    // libzmq 4.3.4 sends this SUBSCRIBE with flags 0x04 but an 8-byte size (fixed in 4.3.5):
    // whatever our PUB makes of the bytes, it must keep serving the good subscriber.
    zmq_sock bad(zctx, ZMQ_SUB);
    bad.subscribe(std::string(250, 'b'));
    bad.subscribe("after");
    bad.connect(ep);
    for (int i = 0; i < 200; ++i) {
        bad.pump();
        send_parts(pub, {"good-" + std::to_string(i)});
        send_parts(pub, {std::string(250, 'b') + "-" + std::to_string(i)});
        CHECK(expect_parts(good) == parts{"good-" + std::to_string(i)});
    }
    bad.close();
    sync_subscription(pub, good, "good");
    CHECK(zmtp::test::wait_until([&] {
        REQUIRE(pub.send("nobody"));
        return pub.subscribers().size() == 1; // the broken connection was dropped
    }));
}
