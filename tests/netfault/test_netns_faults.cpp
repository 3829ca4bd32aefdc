// Network faults on real sockets inside the process's own network namespace (netns_main.cpp):
// nftables drop rules on the loopback make a partition that heals (TCP carries the connection
// through it: every PAIR message once and in order), and a peer that vanishes without a FIN
// (heartbeats must detect it on both sides, and the sockets reconnect and serve again without
// repeating anything). zmtp against zmtp and against libzmq 4.3, either one binding.
#include "tests/netfault/netns.hpp"
#include "tests/netfault/peer.hpp"
#include "tests/netfault/streams.hpp"
#include "tests/support/catch.hpp"

using namespace zmtp::test;

namespace {

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

std::string tcp(std::uint16_t port) { return "tcp://127.0.0.1:" + std::to_string(port); }

} // namespace

TEST_CASE("netns: PAIR through a partition that heals: every message once and in order",
          "[netfault][netns][pair]") {
    for (auto [b, c] : pairings()) {
        INFO("binds: " << impl_name(b) << ", connects: " << impl_name(c));
        auto server = make_peer(b, zo::pair);
        const auto port = server->bind_any();
        auto client = make_peer(c, zo::pair);
        client->connect(tcp(port));
        stream up{client.get(), server.get(), "up", 300, 1024};
        stream down{server.get(), client.get(), "down", 300, 1024};
        REQUIRE(pump_all({&up, &down}));

        partition cut(port);
        up.total = down.total = 600; // sent into the partition: they wait in the queues
        REQUIRE(await([&] {
            pump({&up, &down});
            return up.sent == up.total && down.sent == down.total && cut.dropped() > 0;
        }));
        cut.heal();
        CHECK(pump_all({&up, &down}));
        // One more each way: nothing arrives twice after the last one either.
        ++up.total;
        ++down.total;
        CHECK(pump_all({&up, &down}));
        check_clean(up);
        check_clean(down);
        CHECK(client->events(ev::disconnected) == 0); // one connection throughout
        CHECK(server->events(ev::disconnected) == 0);
    }
}

TEST_CASE("netns: a peer that vanishes without FIN is found by heartbeats; the sockets "
          "reconnect and serve again, repeating nothing",
          "[netfault][netns][pair][heartbeat]") {
    for (auto [b, c] : pairings()) {
        INFO("binds: " << impl_name(b) << ", connects: " << impl_name(c));
        auto server = make_peer(b, zo::pair);
        auto client = make_peer(c, zo::pair);
        for (peer* p : {server.get(), client.get()}) {
            p->set_int(zo::heartbeat_ivl, 50);
            p->set_int(zo::heartbeat_timeout, 200);
        }
        client->set_int(zo::reconnect_ivl, 20);
        client->set_int(zo::connect_timeout, 100); // a SYN into the void gives up soon
        const auto port = server->bind_any();
        client->connect(tcp(port));
        // Lossy streams: what is written into the dead connection is gone (one gap at most).
        stream up{client.get(), server.get(), "up", 200, 256, false};
        stream down{server.get(), client.get(), "down", 200, 256, false};
        REQUIRE(pump_all({&up, &down}));
        REQUIRE(up.gaps + down.gaps == 0);

        partition cut(port);
        up.total = down.total = 300;
        // Without heartbeats neither side would ever notice: no FIN, no RST, just silence.
        REQUIRE(await([&] {
            pump({&up, &down});
            return client->events(ev::disconnected) >= 1 &&
                   server->events(ev::disconnected) >= 1;
        }));
        CHECK(cut.dropped() > 0);
        cut.heal();
        // The client's reconnect gets through, and the server (whose PAIR slot the dead
        // connection held) takes it.
        REQUIRE(await([&] {
            pump({&up, &down});
            return client->events(ev::handshake_ok) >= 2 && server->events(ev::handshake_ok) >= 2;
        }));
        up.total = down.total = 600;
        CHECK(pump_all({&up, &down}));
        check_clean(up);
        check_clean(down);
        CHECK(up.gaps <= 1);
        CHECK(down.gaps <= 1);
    }
}
