// Rules that belong to inproc alone (C-INP, C-HWM-4, C-PAIR-6); the shared socket behaviour
// runs on inproc through the transport matrix in tests/integration and tests/pubsub.
#include "tests/support/catch.hpp"
#include "tests/support/wait.hpp"
#include "zmtp/zmtp.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

using namespace zmtp;

namespace {
int fill(socket& s) {
    int n = 0;
    while (n < 1000000 && s.send("m", send_flags::dontwait))
        ++n;
    return n;
}
} // namespace

TEST_CASE("C-HWM-4 inproc limit is sender SNDHWM + receiver RCVHWM", "[inproc][hwm]") {
    struct row {
        int snd, rcv;
        bool bind_first;
        int expected; // -1: unlimited
    };
    const row rows[] = {{1000, 1000, true, 2000}, {10, 10, true, 20}, {10, 10, false, 20},
                        {5, 20, true, 25},       {7, 3, false, 10},   {5, 7, true, 12},
                        {10, 0, true, -1},       {0, 10, true, -1}};
    for (const auto& r : rows) {
        CAPTURE(r.snd, r.rcv, r.bind_first);
        context ctx;
        socket binder(ctx, socket_type::pair), connector(ctx, socket_type::pair);
        connector.set(opt::sndhwm, r.snd);
        binder.set(opt::rcvhwm, r.rcv);
        binder.set(opt::linger, 0);
        connector.set(opt::linger, 0);
        if (r.bind_first) {
            binder.bind("inproc://hwm");
            connector.connect("inproc://hwm");
        } else {
            connector.connect("inproc://hwm");
            binder.bind("inproc://hwm");
        }
        const int n = fill(connector);
        if (r.expected < 0)
            CHECK(n == 1000000);
        else
            CHECK(n == r.expected);
    }
}

TEST_CASE("C-HWM-2 a multipart message counts once against the HWM", "[inproc][hwm]") {
    context ctx;
    socket binder(ctx, socket_type::pair), connector(ctx, socket_type::pair);
    connector.set(opt::sndhwm, 5);
    binder.set(opt::rcvhwm, 5);
    binder.bind("inproc://multi");
    connector.connect("inproc://multi");
    int n = 0;
    while (n < 100 && connector.send("a", send_flags::dontwait | send_flags::sndmore)) {
        REQUIRE(connector.send("b", send_flags::sndmore));
        REQUIRE(connector.send("c"));
        ++n;
    }
    CHECK(n == 10);
}

TEST_CASE("C-INP-2 connect first: what was sent is delivered once bound", "[inproc]") {
    context ctx;
    socket connector(ctx, socket_type::pair), binder(ctx, socket_type::pair);
    connector.connect("inproc://later");
    REQUIRE(connector.send("early", send_flags::dontwait));
    binder.bind("inproc://later");
    binder.set(opt::rcvtimeo, 2000);
    message m;
    REQUIRE(binder.recv(m));
    CHECK(m.to_string() == "early");
}

TEST_CASE("C-INP-1 another context does not see the name", "[inproc]") {
    context a, b;
    socket binder(a, socket_type::pair), stranger(b, socket_type::pair);
    binder.bind("inproc://private");
    stranger.set(opt::linger, 0);
    stranger.connect("inproc://private"); // succeeds and stays pending forever
    REQUIRE(stranger.send("lost?", send_flags::dontwait));
    message m;
    CHECK_FALSE(binder.recv(m, recv_flags::dontwait));
    socket insider(a, socket_type::pair);
    insider.connect("inproc://private");
    REQUIRE(insider.send("hello", send_flags::dontwait));
    binder.set(opt::rcvtimeo, 2000);
    REQUIRE(binder.recv(m));
    CHECK(m.to_string() == "hello");
}

TEST_CASE("C-INP-3/4/5 names: EADDRINUSE, ENOENT, rebinding, empty name, LAST_ENDPOINT",
          "[inproc]") {
    context ctx;
    socket a(ctx, socket_type::pair), b(ctx, socket_type::pair);
    a.bind("inproc://name");
    CHECK(a.get(opt::last_endpoint) == "inproc://name");
    std::error_code ec;
    b.bind("inproc://name", ec);
    CHECK(ec == std::errc::address_in_use);
    b.unbind("inproc://name", ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    a.unbind("inproc://name", ec);
    CHECK_FALSE(ec);
    b.bind("inproc://name", ec);
    CHECK_FALSE(ec);
    b.bind("inproc://", ec);
    CHECK(ec == std::errc::invalid_argument);
    b.connect("inproc://x", ec);
    CHECK(b.get(opt::last_endpoint) == "inproc://x");
}

TEST_CASE("C-PAIR-6 a second inproc PAIR connector is refused", "[inproc][pair]") {
    context ctx;
    socket binder(ctx, socket_type::pair), first(ctx, socket_type::pair),
        second(ctx, socket_type::pair);
    binder.bind("inproc://excl");
    first.connect("inproc://excl");
    REQUIRE(first.send("one", send_flags::dontwait));
    message m;
    binder.set(opt::rcvtimeo, 2000);
    REQUIRE(binder.recv(m)); // the binder has attached the first peer
    second.connect("inproc://excl");
    // The binder drops the second pipe once it sees it; until then a send may be queued.
    CHECK(test::wait_until([&] {
        binder.recv(m, recv_flags::dontwait);
        return !second.send("two", send_flags::dontwait);
    }));
    REQUIRE(first.send("three", send_flags::dontwait));
    REQUIRE(binder.recv(m));
    CHECK(m.to_string() == "three");
}

TEST_CASE("C-INP-8 a connector closed before the bind still delivers (LINGER -1)", "[inproc]") {
    context ctx;
    {
        socket connector(ctx, socket_type::pair);
        connector.connect("inproc://ghost");
        REQUIRE(connector.send("from the past", send_flags::dontwait));
    }
    socket binder(ctx, socket_type::pair);
    binder.set(opt::rcvtimeo, 2000);
    binder.bind("inproc://ghost");
    message m;
    REQUIRE(binder.recv(m));
    CHECK(m.to_string() == "from the past");
}

TEST_CASE("C-HWM-4 PUB to SUB over inproc: the SUB holds exactly SNDHWM + RCVHWM", "[inproc][hwm]") {
    context ctx;
    socket pub(ctx, socket_type::pub), sub(ctx, socket_type::sub);
    pub.set(opt::sndhwm, 10);
    sub.set(opt::rcvhwm, 10);
    sub.set(opt::subscribe, std::string());
    pub.bind("inproc://ps-hwm");
    sub.connect("inproc://ps-hwm");
    for (int i = 0; i < 1000; ++i)
        REQUIRE(pub.send(std::to_string(i), send_flags::dontwait)); // never blocks
    int got = 0;
    message m;
    while (sub.recv(m, recv_flags::dontwait)) {
        CHECK(m.to_string() == std::to_string(got));
        ++got;
    }
    CHECK(got == 20);
    REQUIRE(pub.subscribers().size() == 1);
    CHECK(pub.subscribers()[0].dropped == 980);
}

TEST_CASE("terminating a context with pending inproc connects is clean", "[inproc][lifecycle]") {
    context ctx;
    socket s(ctx, socket_type::pair);
    s.set(opt::linger, 0);
    s.connect("inproc://never-bound");
    REQUIRE(s.send("x", send_flags::dontwait));
    s.close();
    ctx.terminate();
    SUCCEED();
}

// Issue 10 item 18: LINGER bounds how long a closed connector's messages wait for a binder
// (libzmq 4.3.4 keeps them whatever the LINGER; zmtp honours it, see the README).
TEST_CASE("a connector closed with LINGER 0 before the bind leaves nothing", "[inproc][linger]") {
    context ctx;
    {
        socket connector(ctx, socket_type::pair);
        connector.set(opt::linger, 0);
        connector.connect("inproc://linger-zero");
        REQUIRE(connector.send("dropped", send_flags::dontwait));
    }
    socket binder(ctx, socket_type::pair);
    binder.set(opt::rcvtimeo, 200);
    binder.bind("inproc://linger-zero");
    message m;
    CHECK_FALSE(binder.recv(m));
}

TEST_CASE("a connector closed with a positive LINGER waits that long for a binder",
          "[inproc][linger]") {
    context ctx;
    {
        socket connector(ctx, socket_type::pair);
        connector.set(opt::linger, 60000); // far longer than this test takes
        connector.connect("inproc://linger-long");
        REQUIRE(connector.send("kept", send_flags::dontwait));
        socket short_one(ctx, socket_type::pair);
        short_one.set(opt::linger, 20);
        short_one.connect("inproc://linger-short");
        REQUIRE(short_one.send("expired", send_flags::dontwait));
    }
    // Past the short LINGER (the sleep is the behaviour under test, not a synchronisation).
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    socket late(ctx, socket_type::pair);
    late.set(opt::rcvtimeo, 200);
    late.bind("inproc://linger-short");
    message m;
    CHECK_FALSE(late.recv(m));
    socket binder(ctx, socket_type::pair);
    binder.set(opt::rcvtimeo, 2000);
    binder.bind("inproc://linger-long");
    REQUIRE(binder.recv(m));
    CHECK(m.to_string() == "kept");
}

TEST_CASE("terminate releases inproc connects still waiting with LINGER -1",
          "[inproc][lifecycle]") {
    auto ctx = std::make_unique<context>();
    {
        socket s(*ctx, socket_type::pair);
        s.connect("inproc://never-bound-forever");
        REQUIRE(s.send("x", send_flags::dontwait));
    }
    auto done = std::async(std::launch::async, [&] { ctx->terminate(); });
    REQUIRE(done.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
}
