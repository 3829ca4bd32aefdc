// Network faults made by a fault-injecting TCP proxy (fault_proxy) between zmtp and zmtp, and
// between zmtp and libzmq 4.3 with either one binding: delay, throttling, stalls and cut
// connections. What must hold: PAIR delivers every message once and in order while the
// connection lives, and after a reconnect nothing is repeated; a PUB's memory stays bounded
// behind a stalled subscriber (SNDHWM); a SUB gets its subscriptions back after a reconnect.
// No sleeps: every wait is for an observable state, bounded by 10 s against hangs.
#include "tests/netfault/fault_proxy.hpp"
#include "tests/netfault/peer.hpp"
#include "tests/netfault/streams.hpp"
#include "tests/support/catch.hpp"

#include <utility>

using namespace zmtp::test;

namespace {

// (binds, connects): every pairing except libzmq with itself.
std::vector<std::pair<impl, impl>> pairings() {
    std::vector<std::pair<impl, impl>> out;
    for (impl b : peer_impls())
        for (impl c : peer_impls())
            if (b == impl::zmtp || c == impl::zmtp)
                out.emplace_back(b, c);
    return out;
}

void check_clean(const stream& s) {
    INFO(s.tag << ": sent " << s.sent << ", received " << s.received);
    for (auto& p : s.problems)
        FAIL_CHECK(p);
}

// Sizes from a few bytes to 12 KiB, so frames cross the proxy's chunks and throttled writes.
std::size_t size_of(std::uint64_t n) { return 20 + (n * 7919) % 12000; }

} // namespace

TEST_CASE("netfault proxy: PAIR through delay, throttling and a stall: every message once, "
          "in order, both ways",
          "[netfault][pair]") {
    for (auto [b, c] : pairings()) {
        INFO("binds: " << impl_name(b) << ", connects: " << impl_name(c));
        auto server = make_peer(b, zo::pair);
        fault_proxy proxy(server->bind_any());
        auto client = make_peer(c, zo::pair);
        client->connect(proxy.endpoint());
        proxy.set_delay_ms(2);
        proxy.set_throttle(16 * 1024); // 16 MB/s each way

        stream up{client.get(), server.get(), "up", 1500};
        stream down{server.get(), client.get(), "down", 1500};
        // Varying sizes: pump sends fixed-size ones, so run the sized part by hand first.
        for (std::uint64_t i = 0; i < 300; ++i) {
            up.size = down.size = size_of(i);
            pump({&up, &down}, 1);
        }
        up.size = down.size = 200;
        REQUIRE(pump_all({&up, &down}));
        check_clean(up);
        check_clean(down);

        // A stall in both directions: the senders reach back-pressure (send would block),
        // then everything they queued arrives once the proxy reads again.
        proxy.stall(fault_proxy::to_server, true);
        proxy.stall(fault_proxy::to_client, true);
        up.total = down.total = 1000000; // the fill decides how many
        const auto up_before = up.sent, down_before = down.sent;
        // Blocked means: the queue is full right now. Retry a little in case the engine
        // drained into a socket buffer that still had room; the proxy reads nothing.
        for (int i = 0; i < 100; ++i)
            fill_until_blocked(up, 200000), fill_until_blocked(down, 200000);
        CHECK(up.sent - up_before < 200000);
        CHECK(down.sent - down_before < 200000);
        up.total = up.sent;
        down.total = down.sent;
        proxy.stall(fault_proxy::to_server, false);
        proxy.stall(fault_proxy::to_client, false);
        CHECK(pump_all({&up, &down}));
        check_clean(up);
        check_clean(down);
        CHECK(up.received == up.total);
        CHECK(down.received == down.total);
        CHECK(proxy.accepted() == 1); // the connection lived throughout
    }
}

TEST_CASE("netfault proxy: PAIR across a cut connection: nothing repeated or reordered, and "
          "after the reconnect everything arrives",
          "[netfault][pair][reconnect]") {
    for (auto [b, c] : pairings()) {
        INFO("binds: " << impl_name(b) << ", connects: " << impl_name(c));
        auto server = make_peer(b, zo::pair);
        fault_proxy proxy(server->bind_any());
        auto client = make_peer(c, zo::pair);
        client->set_int(zo::reconnect_ivl, 20);
        client->connect(proxy.endpoint());

        // Messages written into the connection that is cut are lost (one gap); the total is
        // far above what can be in flight when the cut comes, so the tail is sent after it.
        stream up{client.get(), server.get(), "up", 8000, 512, false};
        stream down{server.get(), client.get(), "down", 8000, 512, false};
        REQUIRE(await([&] {
            pump({&up, &down});
            return up.received >= 500 && down.received >= 500;
        }));
        proxy.cut();
        CHECK(pump_all({&up, &down}));
        check_clean(up);
        check_clean(down);
        CHECK(proxy.accepted() == 2); // one reconnect, through the proxy
    }
}

TEST_CASE("netfault proxy: a PUB's memory stays bounded behind a stalled subscriber",
          "[netfault][pubsub][hwm]") {
    for (impl s : peer_impls()) {
        INFO("subscriber: " << impl_name(s));
        auto pub = make_peer(impl::zmtp, zo::pub);
        pub->set_int(zo::sndhwm, 100);
        pub->set_int(zo::sndbuf, 64 * 1024); // little room in the kernel either
        fault_proxy proxy(pub->bind_any());
        auto sub = make_peer(s, zo::sub);
        sub->subscribe("");
        sub->connect(proxy.endpoint());
        std::uint64_t n = 0;
        REQUIRE(await([&] { // the subscription has arrived when a message gets through
            pub->send(numbered("probe", n++));
            return sub->recv(1).has_value();
        }));

        proxy.stall(fault_proxy::to_client, true);
        auto& counters = zmtp_socket_of(*pub);
        const std::string payload(4096, 'x');
        // Fill the path to the subscriber until the PUB starts dropping for it.
        std::uint64_t tries = 0;
        while (counters.subscribers().at(0).dropped == 0 && tries++ < 200000)
            pub->send(payload);
        REQUIRE(counters.subscribers().at(0).dropped > 0);
        const auto dropped0 = counters.subscribers().at(0).dropped;
        const auto heap0 = heap_in_use();
        // 80 MB more offered: it all must be dropped, none kept.
        for (int i = 0; i < 20000; ++i)
            pub->send(payload);
        const auto heap1 = heap_in_use();
        const auto dropped1 = counters.subscribers().at(0).dropped;
        INFO("heap in use " << heap0 << " -> " << heap1 << " bytes, dropped " << dropped0
                            << " -> " << dropped1);
        // Kept at most: SNDHWM, the engine's batch, and 2 x 64 KiB of socket buffers.
        CHECK(dropped1 - dropped0 >= 20000 - 500);
        // One queue of 100 x 4 KiB and an engine batch: far below the 80 MB offered.
        CHECK(heap1 < heap0 + 4 * 1024 * 1024);

        // When the subscriber reads again, it is served again.
        proxy.stall(fault_proxy::to_client, false);
        CHECK(await([&] {
            pub->send(numbered("again", n++));
            auto m = sub->recv(1);
            while (m && !number_of("again", *m))
                m = sub->recv(0);
            return m.has_value();
        }));
    }
}

TEST_CASE("netfault proxy: a SUB gets its subscriptions back after the connection is cut",
          "[netfault][pubsub][reconnect]") {
    for (auto [p, s] : pairings()) {
        INFO("PUB (binds): " << impl_name(p) << ", SUB: " << impl_name(s));
        auto pub = make_peer(p, zo::pub);
        fault_proxy proxy(pub->bind_any());
        auto sub = make_peer(s, zo::sub);
        sub->set_int(zo::reconnect_ivl, 20);
        sub->subscribe("A");
        sub->connect(proxy.endpoint());
        std::uint64_t n = 0;
        bool wrong_topic = false;
        // Publishes A<n> and B<n>; true once an A numbered `from` or later arrives.
        auto got_a_since = [&](std::uint64_t from) {
            pub->send(numbered("A", n));
            pub->send(numbered("B", n));
            ++n;
            while (auto m = sub->recv(1)) {
                if (!number_of("A", *m))
                    wrong_topic = true;
                else if (*number_of("A", *m) >= from)
                    return true;
            }
            return false;
        };
        REQUIRE(await([&] { return got_a_since(0); }));
        proxy.cut();
        // Nothing published from here on can travel on the old connection: an A that arrives
        // came through a new one, which the SUB must have subscribed again.
        const auto after_cut = n;
        CHECK(await([&] { return got_a_since(after_cut); }));
        CHECK_FALSE(wrong_topic);
        CHECK(proxy.accepted() == 2);
    }
}
