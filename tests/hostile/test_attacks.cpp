// One attack per test on a live socket (issue 11 item 7), each with the resources it may take
// stated and checked, while the service probe (hostile_fixture.hpp) keeps a well-behaved
// connection on the same I/O thread busy: it must never fail and its worst round trip must
// stay under served_bound. Budgets are generous multiples of what was measured, so that they
// catch a leak or a per-connection cost gone wrong, not noise; the measured figures are printed
// (WARN) and quoted in the README ("Hostile peers, measured").
#include "tests/hostile/hostile_fixture.hpp"
#include "tests/support/catch.hpp"
#include "tests/support/raw_peer.hpp"

#include <chrono>
#include <memory>
#include <vector>

using namespace zmtp;
using namespace zmtp::test;
using namespace std::chrono_literals;

namespace {

using clock_type = std::chrono::steady_clock;

zmtp::socket bound(zmtp::context& ctx, socket_type type, std::string& endpoint,
                   int handshake_ivl = 30000, std::int64_t maxmsgsize = -1) {
    zmtp::socket s(ctx, type);
    s.set(option_tag<19, int>{}, 1024); // ZMQ_BACKLOG: bursts of connects are not SYN-dropped
    s.set(opt::linger, 0);
    s.set(opt::rcvtimeo, 5000);
    s.set(opt::sndtimeo, 5000);
    s.set(opt::handshake_ivl, handshake_ivl);
    s.set(opt::maxmsgsize, maxmsgsize);
    s.bind("tcp://127.0.0.1:*");
    endpoint = s.get(opt::last_endpoint);
    return s;
}

/// Waits (bounded) until the open descriptor count is back to at most `target`.
bool fds_back_to(std::size_t target, std::chrono::milliseconds within = 5000ms) {
    const auto deadline = clock_type::now() + within;
    while (open_fds() > target) {
        if (clock_type::now() > deadline)
            return false;
        std::this_thread::sleep_for(10ms); // polling a count the I/O thread lowers
    }
    return true;
}

void check_served(service_probe& probe) {
    REQUIRE(probe.wait_round_trips(3)); // served after the attack too
    probe.stop();
    WARN("probe: " << probe.round_trips() << " round trips, worst " << probe.worst().count()
                   << " us");
    CHECK_FALSE(probe.failed());
    CHECK(probe.worst() < served_bound);
}

} // namespace

TEST_CASE("hostile: 200 garbage greetings are each dropped at once", "[hostile][garbage]") {
    // Budget: every connection closed by the server within 5 s; descriptors back to where
    // they were.
    zmtp::context ctx;
    service_probe probe(ctx);
    REQUIRE(probe.wait_round_trips(3));
    std::string ep;
    auto server = bound(ctx, socket_type::pair, ep);
    const auto fds0 = open_fds();
    probe.reset_worst();
    bytes junk(64);
    for (int i = 0; i < 200; ++i) {
        for (std::size_t k = 0; k < junk.size(); ++k)
            junk[k] = static_cast<std::uint8_t>(i * 31 + k * 7 + 1); // never a valid signature
        raw_peer raw;
        REQUIRE(raw.connect(port_of(ep)));
        REQUIRE(raw.send(junk));
        REQUIRE(raw.wait_closed(5000ms));
    }
    CHECK(fds_back_to(fds0));
    check_served(probe);
}

TEST_CASE("hostile: huge declared frame sizes", "[hostile][huge]") {
    // With MAXMSGSIZE: dropped on the header, before any allocation. Without: a frame that
    // declares 2^40 octets (no allocation can serve it) or 2^33 (8 GiB) costs at most what the
    // peer really sent, never what it declared. Budget: RSS grows by less than 64 MiB while
    // 4 MiB of body is sent; connections dropped or kept, but the probe served throughout.
    zmtp::context ctx;
    service_probe probe(ctx);
    REQUIRE(probe.wait_round_trips(3));
    probe.reset_worst();
    const auto rss0 = rss_kib();
    SECTION("MAXMSGSIZE 1 MiB: dropped at the header") {
        std::string ep;
        auto server = bound(ctx, socket_type::pair, ep, 30000, 1 << 20);
        for (std::uint64_t declared : {std::uint64_t{1} << 40, std::uint64_t{1} << 33,
                                       std::uint64_t{(1 << 20) + 1}}) {
            raw_peer raw;
            REQUIRE(raw.connect(port_of(ep)));
            REQUIRE(raw.handshake(greeting(), ready("PAIR")));
            REQUIRE(raw.send(long_header(0x00, declared)));
            REQUIRE(raw.wait_closed(5000ms));
        }
    }
    SECTION("no MAXMSGSIZE: a declared size costs what arrives") {
        std::string ep;
        auto server = bound(ctx, socket_type::pair, ep);
        for (std::uint64_t declared : {std::uint64_t{1} << 40, std::uint64_t{1} << 33}) {
            raw_peer raw;
            REQUIRE(raw.connect(port_of(ep)));
            REQUIRE(raw.handshake(greeting(), ready("PAIR")));
            REQUIRE(raw.send(long_header(0x00, declared)));
            const bytes chunk(64 * 1024, 0x55);
            for (int i = 0; i < 32; ++i) // 2 MiB; the server may drop us on the way
                if (!raw.send(chunk, 5000ms))
                    break;
            HOSTILE_CHECK_RSS(rss_kib() < rss0 + 64 * 1024);
        }
    }
    WARN("RSS growth " << (static_cast<long>(rss_kib()) - static_cast<long>(rss0)) << " KiB");
    HOSTILE_CHECK_RSS(rss_kib() < rss0 + 64 * 1024);
    check_served(probe);
}

TEST_CASE("hostile: 500 stalled half-greetings (slowloris)", "[hostile][slowloris]") {
    // 500 connections each send 5 octets of greeting and stall. Budget: under 160 KiB of RSS
    // per connection (the engine's input buffer is most of it), 500 server descriptors, all
    // reaped by HANDSHAKE_IVL (3 s here) within 10 s, descriptors back afterwards.
    constexpr int n = 500;
    zmtp::context ctx;
    service_probe probe(ctx);
    REQUIRE(probe.wait_round_trips(3));
    std::string ep;
    auto server = bound(ctx, socket_type::pair, ep, 3000);
    const auto fds0 = open_fds();
    const auto rss0 = rss_kib();
    probe.reset_worst();
    std::vector<std::unique_ptr<raw_peer>> peers;
    const auto half = greeting();
    for (int i = 0; i < n; ++i) {
        peers.push_back(std::make_unique<raw_peer>());
        REQUIRE(peers.back()->connect(port_of(ep)));
        REQUIRE(peers.back()->send(half.data(), 5));
    }
    // Every server side accepted (bounded wait), then the cost of them all.
    for (const auto t0 = clock_type::now();
         open_fds() < fds0 + 2 * n && clock_type::now() - t0 < 5s;)
        std::this_thread::sleep_for(10ms); // polling a count the I/O thread raises
    CHECK(open_fds() >= fds0 + 2 * n);
    REQUIRE(probe.wait_round_trips(3));
    const auto rss_peak = rss_kib();
    const auto per_conn = (static_cast<long>(rss_peak) - static_cast<long>(rss0)) / n;
    WARN("slowloris: " << per_conn << " KiB RSS per stalled connection; fds +"
                       << (open_fds() - fds0));
    HOSTILE_CHECK_RSS(per_conn < 160);
    CHECK(open_fds() <= fds0 + 2 * n + 10); // our 500 clients, their 500 server sides only
    WARN("slowloris: worst round trip while connecting " << probe.worst().count() << " us");
    for (auto& p : peers)
        CHECK(p->wait_closed(10000ms)); // HANDSHAKE_IVL reaped every one
    peers.clear();
    CHECK(fds_back_to(fds0));
    check_served(probe);
}

TEST_CASE("hostile: 3000 connect/close cycles", "[hostile][churn]") {
    // Connect, half a greeting or a whole handshake, close (some with RST). Budget: descriptors
    // back to the start after every 1000, RSS after 3000 cycles within 8 MiB of what it was
    // after the first 1000, the server still serves a new peer.
    zmtp::context ctx;
    service_probe probe(ctx);
    REQUIRE(probe.wait_round_trips(3));
    std::string ep;
    auto server = bound(ctx, socket_type::pull, ep);
    const auto fds0 = open_fds();
    const auto rss0 = rss_kib();
    probe.reset_worst();
    const auto hello = cat({greeting(), ready("PUSH")});
    std::size_t rss_mid = 0;
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 1000; ++i) {
            raw_peer raw;
            REQUIRE(raw.connect(port_of(ep)));
            if (i % 3 == 0)
                raw.send(hello.data(), 10);
            else if (i % 3 == 1)
                raw.send(hello);
            raw.close(i % 2 == 0); // RST or FIN
        }
        CHECK(fds_back_to(fds0));
        if (round == 0)
            rss_mid = rss_kib();
    }
    WARN("churn: RSS " << rss0 << " KiB, after 1000 cycles " << rss_mid << ", after 3000 "
                       << rss_kib());
    // The first 1000 cycles set the allocator's high-water mark (connections overlap while the
    // server catches up); the next 2000 must not add to it much: no per-connection leak.
    HOSTILE_CHECK_RSS(rss_kib() < rss_mid + 8 * 1024);
    raw_peer last;
    REQUIRE(last.connect(port_of(ep)));
    REQUIRE(last.handshake(greeting(), ready("PUSH")));
    REQUIRE(last.send(message_frame("after-churn")));
    message m;
    REQUIRE(server.recv(m));
    CHECK(m.to_string() == "after-churn");
    check_served(probe);
}

TEST_CASE("hostile: a million distinct subscriptions from one peer", "[hostile][subscribe]") {
    // A raw SUB sends up to 1 000 000 distinct SUBSCRIBEs (10-octet topics) while the PUB
    // publishes. The PUB stops at its per-subscriber cap (10 000 topics) and drops the peer.
    // Budget: dropped within 10 s, RSS grows by less than 64 MiB, a well-behaved SUB keeps
    // receiving, and the first publish after the drop is served.
    zmtp::context ctx;
    service_probe probe(ctx);
    REQUIRE(probe.wait_round_trips(3));
    std::string ep;
    auto pub = bound(ctx, socket_type::pub, ep);
    zmtp::socket good(ctx, socket_type::sub);
    good.set(opt::linger, 0);
    good.set(opt::rcvtimeo, 5000);
    good.set(opt::subscribe, std::string("good"));
    good.connect(ep);
    const auto rss0 = rss_kib();
    probe.reset_worst();

    raw_peer raw;
    REQUIRE(raw.connect(port_of(ep)));
    REQUIRE(raw.handshake(greeting(), ready("SUB")));
    std::atomic<bool> flooding{true};
    std::atomic<int> sent{0};
    std::thread flood([&] {
        bytes batch;
        for (int i = 0; i < 1'000'000 && flooding.load(); ++i) {
            char topic[16];
            std::snprintf(topic, sizeof topic, "\x01t%09d", i);
            const auto f = frame(0x00, std::string_view(topic, 11));
            batch.insert(batch.end(), f.begin(), f.end());
            if (batch.size() >= 16 * 1024) {
                if (!raw.send(batch, 2000ms))
                    break; // dropped (or not read any more)
                batch.clear();
                sent.store(i + 1);
            }
        }
        flooding.store(false);
    });
    // Publish while it floods: the PUB reads subscriptions on each send. "good" messages must
    // reach the good SUB throughout.
    const auto t0 = clock_type::now();
    int got = 0;
    bool dropped = false;
    while (clock_type::now() - t0 < 10s && !dropped) {
        REQUIRE(pub.send(std::string("good-msg")));
        message m;
        if (good.recv(m, recv_flags::dontwait))
            ++got;
        dropped = !flooding.load();
        std::this_thread::sleep_for(1ms); // pacing the publisher, not synchronising
    }
    flooding.store(false);
    flood.join();
    CHECK(dropped);
    CHECK(raw.wait_closed(5000ms));
    const auto dropped_after = clock_type::now() - t0;
    // The first publish after the drop (the trie tears the 10 000 topics down in steps).
    const auto p0 = clock_type::now();
    REQUIRE(pub.send(std::string("good-after")));
    const auto publish_us =
        std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - p0).count();
    message m;
    bool after = false;
    while (!after && good.recv(m))
        after = m.to_string() == "good-after";
    CHECK(after);
    CHECK(got > 0);
    WARN("subscription flood: " << sent.load() << " sent before the drop, dropped after "
                                << std::chrono::duration_cast<std::chrono::milliseconds>(
                                       dropped_after)
                                       .count()
                                << " ms; first publish after it " << publish_us
                                << " us; RSS growth "
                                << (static_cast<long>(rss_kib()) - static_cast<long>(rss0))
                                << " KiB");
    HOSTILE_CHECK_RSS(rss_kib() < rss0 + 64 * 1024);
    check_served(probe);
}

TEST_CASE("hostile: a subscriber that completes the handshake and never reads",
          "[hostile][noread]") {
    // A raw SUB subscribes to everything and never reads; the PUB publishes 20 000 messages of
    // 4 KiB (80 MiB). Budget: RSS grows by less than SNDHWM x 4 KiB plus the kernel buffers
    // and slack (64 MiB), the good SUB receives the last message, the raw peer stays connected.
    zmtp::context ctx;
    service_probe probe(ctx);
    REQUIRE(probe.wait_round_trips(3));
    std::string ep;
    auto pub = bound(ctx, socket_type::pub, ep);
    zmtp::socket good(ctx, socket_type::sub);
    good.set(opt::linger, 0);
    good.set(opt::rcvtimeo, 5000);
    good.set(opt::rcvhwm, 0); // keeps everything: the good one loses nothing it is sent
    good.set(opt::subscribe, std::string(""));
    good.connect(ep);
    raw_peer raw;
    REQUIRE(raw.connect(port_of(ep)));
    REQUIRE(raw.handshake(greeting(), ready("SUB")));
    REQUIRE(raw.send(frame(0x00, std::string_view("\x01", 1))));
    // Wait for both subscriptions to be in: probes until the good one hears one.
    message m;
    for (bool in = false; !in;) {
        REQUIRE(pub.send(std::string("probe")));
        in = good.recv(m, recv_flags::dontwait);
        std::this_thread::sleep_for(1ms); // pacing the probes
    }
    const auto rss0 = rss_kib();
    probe.reset_worst();
    const std::string body(4096, 'p');
    long long peak = 0;
    for (int i = 0; i < 20'000; ++i) {
        REQUIRE(pub.send(body));
        while (good.recv(m, recv_flags::dontwait)) {
        }
        if (i % 1000 == 0)
            peak = std::max<long long>(peak, static_cast<long long>(rss_kib()) -
                                                 static_cast<long long>(rss0));
    }
    // The good SUB still gets what it is sent (it drops at its own SNDHWM when it falls
    // behind, as any slow subscriber): a marker, re-sent until it arrives within 5 s.
    bool last = false;
    for (const auto t0 = clock_type::now(); !last && clock_type::now() - t0 < 5s;) {
        REQUIRE(pub.send(std::string("last")));
        while (!last && good.recv(m, recv_flags::dontwait))
            last = m.to_string() == "last";
        std::this_thread::sleep_for(1ms); // pacing the marker
    }
    CHECK(last);
    WARN("never-reading subscriber: peak RSS growth " << peak << " KiB over 80 MiB published");
    HOSTILE_CHECK_RSS(peak < 64 * 1024);
    CHECK(raw.stays_open(100ms));
    check_served(probe);
}
