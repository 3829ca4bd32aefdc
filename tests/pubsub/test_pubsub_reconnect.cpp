// PUB/SUB across restarts: the SUB re-sends its subscriptions when its connection comes back
// (C-SUB-5), a PUB forgets subscribers that left, and the bound side may be replaced.
#include "tests/pubsub/pubsub_support.hpp"
#include "tests/support/wait.hpp"

#include <string>

using namespace zmtp;
using namespace zmtp::pubsub_test;

namespace {

/// Binds `s` to exactly `endpoint`, retrying while the previous owner is still letting go.
void bind_again(socket& s, const std::string& endpoint) {
    std::error_code ec;
    const bool ok = zmtp::test::wait_until([&] {
        s.bind(endpoint, ec);
        return !ec;
    });
    INFO("bind " << endpoint << ": " << ec.message());
    REQUIRE(ok);
}

} // namespace

TEST_CASE("C-SUB-5 the SUB re-sends its subscriptions to a restarted PUB", "[pubsub][reconnect]") {
    const std::string transport = GENERATE(from_range(reconnecting_transports()));
    CAPTURE(transport);
    context ctx;
    auto sub = make_socket(ctx, socket_type::sub);
    sub.set(opt::reconnect_ivl, 20);
    auto pub = make_socket(ctx, socket_type::pub);
    const auto ep = bind_any(pub, transport);

    sub.set(opt::subscribe, std::string("A"));
    sub.connect(ep);
    sub.set(opt::subscribe, std::string("B"));
    sub.set(opt::subscribe, std::string("B")); // counted twice, re-sent once
    sub.set(opt::subscribe, std::string("C"));
    sub.set(opt::unsubscribe, std::string("C")); // gone: must not come back after a restart
    sync_subscription(pub, sub, "A");

    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        pub.close();
        pub = make_socket(ctx, socket_type::pub);
        bind_again(pub, ep);
        // No subscribe call here: the subscriptions come back on their own.
        sync_subscription(pub, sub, "A");
        REQUIRE(pub.subscribers().size() == 1);
        const auto before = pub.subscribers()[0].sent;
        send_parts(pub, {"C-gone"});
        send_parts(pub, {"B-1", "tail"});
        send_parts(pub, {"A-1"});
        CHECK(expect_parts(sub) == parts{"B-1", "tail"});
        CHECK(expect_parts(sub) == parts{"A-1"});
        // The new PUB filtered C itself: it never learned a subscription for it.
        CHECK(pub.subscribers()[0].sent == before + 2);
    }
}

TEST_CASE("C-SUB-5 subscriptions changed while the PUB is down are honoured",
          "[pubsub][reconnect]") {
    const std::string transport = GENERATE(from_range(reconnecting_transports()));
    CAPTURE(transport);
    context ctx;
    auto sub = make_socket(ctx, socket_type::sub);
    sub.set(opt::reconnect_ivl, 20);
    auto pub = make_socket(ctx, socket_type::pub);
    const auto ep = bind_any(pub, transport);
    sub.set(opt::subscribe, std::string("old"));
    sub.connect(ep);
    sync_subscription(pub, sub, "old");

    pub.close();
    sub.set(opt::unsubscribe, std::string("old"));
    sub.set(opt::subscribe, std::string("new"));
    pub = make_socket(ctx, socket_type::pub);
    bind_again(pub, ep);
    sync_subscription(pub, sub, "new");
    REQUIRE(pub.subscribers().size() == 1);
    const auto before = pub.subscribers()[0].sent;
    send_parts(pub, {"old-1"});
    send_parts(pub, {"new-1"});
    CHECK(expect_parts(sub) == parts{"new-1"});
    CHECK(pub.subscribers()[0].sent == before + 1);
}

TEST_CASE("a PUB forgets a subscriber that left and serves its replacement",
          "[pubsub][reconnect]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    context ctx;
    auto pub = make_socket(ctx, socket_type::pub);
    const auto ep = bind_any(pub, transport);
    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        auto sub = make_socket(ctx, socket_type::sub);
        sub.set(opt::subscribe, std::string("R"));
        sub.connect(ep);
        sync_subscription(pub, sub, "R");
        REQUIRE(pub.subscribers().size() == 1);
        send_parts(pub, {"R-" + std::to_string(round)});
        CHECK(expect_parts(sub) == parts{"R-" + std::to_string(round)});
        sub.close();
        // Publishing lets the PUB notice the departure; the subscriber then disappears.
        CHECK(zmtp::test::wait_until([&] {
            REQUIRE(pub.send("R-nobody"));
            return pub.subscribers().empty();
        }));
    }
}

TEST_CASE("a bound SUB restarts and a connecting PUB serves the new one", "[pubsub][reconnect]") {
    const std::string transport = GENERATE(from_range(reconnecting_transports()));
    CAPTURE(transport);
    context ctx;
    auto pub = make_socket(ctx, socket_type::pub);
    pub.set(opt::reconnect_ivl, 20);
    auto sub = make_socket(ctx, socket_type::sub);
    sub.set(opt::subscribe, std::string("S"));
    const auto ep = bind_any(sub, transport);
    pub.connect(ep);
    sync_subscription(pub, sub, "S");

    sub.close();
    sub = make_socket(ctx, socket_type::sub);
    sub.set(opt::subscribe, std::string("Z"));
    bind_again(sub, ep);
    sync_subscription(pub, sub, "Z");
    send_parts(pub, {"S-old-topic"});
    send_parts(pub, {"Z-1"});
    CHECK(expect_parts(sub) == parts{"Z-1"});
}
