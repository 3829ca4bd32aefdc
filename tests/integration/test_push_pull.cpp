// PUSH/PULL on every transport: round-robin over peers, fair-queued receive, whole multipart
// messages, ENOTSUP in the wrong direction. (zmtp has them mainly for pyzmq's zero-copy send.)
#include "tests/support/catch.hpp"
#include "tests/support/transports.hpp"
#include "zmtp/zmtp.hpp"

#include <map>
#include <string>

using namespace zmtp;

namespace {
socket make(context& ctx, socket_type t) {
    socket s(ctx, t);
    s.set(opt::linger, 0);
    s.set(opt::rcvtimeo, 5000);
    s.set(opt::sndtimeo, 5000);
    return s;
}
} // namespace

TEST_CASE("PUSH round-robins whole messages over its PULL peers", "[push][matrix]") {
    const std::string transport = ZMTP_TRANSPORTS;
    context ctx;
    socket a = make(ctx, socket_type::pull), b = make(ctx, socket_type::pull);
    socket push = make(ctx, socket_type::push);
    a.bind(test::bind_endpoint(transport));
    b.bind(test::bind_endpoint(transport));
    push.connect(a.get(opt::last_endpoint));
    push.connect(b.get(opt::last_endpoint));
    const int n = 200;
    for (int i = 0; i < n; ++i) {
        REQUIRE(push.send(std::to_string(i), send_flags::sndmore));
        REQUIRE(push.send("tail"));
    }
    // Every message arrives exactly once, whole, at one of the two, in order per peer.
    std::map<int, int> seen;
    int got_a = 0, got_b = 0;
    message m;
    for (socket* s : {&a, &b}) {
        int last = -1;
        while ((s == &a ? got_a : got_b) + (s == &a ? got_b : got_a) < n &&
               s->recv(m, recv_flags::dontwait)) {
            REQUIRE(m.more());
            const int v = std::stoi(m.to_string());
            CHECK(v > last);
            last = v;
            ++seen[v];
            REQUIRE(s->recv(m));
            CHECK(m.to_string() == "tail");
            CHECK_FALSE(m.more());
            ++(s == &a ? got_a : got_b);
        }
    }
    // What was not yet readable arrives with blocking receives, taken in turns with a short
    // RCVTIMEO: the rest may all be bound for either peer, so neither may block for long.
    a.set(opt::rcvtimeo, 20);
    b.set(opt::rcvtimeo, 20);
    for (int turns = 0; got_a + got_b < n && turns < 1000; ++turns) {
        socket& s = (turns % 2 == 0) ? a : b;
        if (!s.recv(m))
            continue;
        ++seen[std::stoi(m.to_string())];
        REQUIRE(s.recv(m));
        ++(&s == &a ? got_a : got_b);
    }
    REQUIRE(got_a + got_b == n);
    CHECK(seen.size() == static_cast<std::size_t>(n));
    CHECK(got_a > 0);
    CHECK(got_b > 0);
}

TEST_CASE("PULL fair-queues several PUSH peers", "[pull][matrix]") {
    const std::string transport = ZMTP_TRANSPORTS;
    context ctx;
    socket pull = make(ctx, socket_type::pull);
    pull.bind(test::bind_endpoint(transport));
    socket p1 = make(ctx, socket_type::push), p2 = make(ctx, socket_type::push);
    p1.connect(pull.get(opt::last_endpoint));
    p2.connect(pull.get(opt::last_endpoint));
    for (int i = 0; i < 100; ++i) {
        REQUIRE(p1.send("one-" + std::to_string(i)));
        REQUIRE(p2.send("two-" + std::to_string(i)));
    }
    int next_one = 0, next_two = 0;
    message m;
    for (int i = 0; i < 200; ++i) {
        REQUIRE(pull.recv(m));
        const auto s = m.to_string();
        if (s.rfind("one-", 0) == 0)
            CHECK(s == "one-" + std::to_string(next_one++));
        else
            CHECK(s == "two-" + std::to_string(next_two++));
    }
    CHECK(next_one == 100);
    CHECK(next_two == 100);
}

TEST_CASE("PUSH cannot receive and PULL cannot send", "[push][pull]") {
    context ctx;
    socket push = make(ctx, socket_type::push), pull = make(ctx, socket_type::pull);
    std::error_code ec;
    message m("x");
    push.recv(m, recv_flags::dontwait, ec);
    CHECK(ec == std::errc::not_supported);
    pull.send(m, send_flags::dontwait, ec);
    CHECK(ec == std::errc::not_supported);
    // A PUSH with no peer blocks (EAGAIN with DONTWAIT): it never drops.
    CHECK_FALSE(push.send("nobody", send_flags::dontwait));
}
