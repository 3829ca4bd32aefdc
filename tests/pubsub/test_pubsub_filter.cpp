// PUB/SUB between our own sockets: prefix filtering, multipart, subscribe/unsubscribe
// semantics, fan-in from several publishers and fan-out to many subscribers (C-PUB-1..4,
// C-SUB-1..4). Every case runs over each transport in transports().
#include "tests/pubsub/pubsub_support.hpp"
#include "tests/support/wait.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace zmtp;
using namespace zmtp::pubsub_test;

namespace {

/// A bound PUB and a connected SUB in one context.
struct pubsub_fixture {
    context ctx;
    socket pub = make_socket(ctx, socket_type::pub);
    socket sub = make_socket(ctx, socket_type::sub);
    std::string endpoint;

    explicit pubsub_fixture(const std::string& transport) { endpoint = bind_any(pub, transport); }
    void subscribe(const std::string& topic) { sub.set(opt::subscribe, topic); }
    void unsubscribe(const std::string& topic) { sub.set(opt::unsubscribe, topic); }
    std::uint64_t sent_to_sub() {
        auto c = pub.subscribers();
        REQUIRE(c.size() == 1);
        return c[0].sent;
    }
};

} // namespace

TEST_CASE("C-PUB-1 C-PUB-3 prefix filtering looks at the first frame only", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    pubsub_fixture f(transport);
    f.subscribe("B");
    f.sub.connect(f.endpoint);
    sync_subscription(f.pub, f.sub, "B");
    const auto before = f.sent_to_sub();

    send_parts(f.pub, {"B-head", "A-tail"});
    send_parts(f.pub, {"X-head", "B-tail"}); // B only in a later frame: not delivered
    send_parts(f.pub, {"A"});
    send_parts(f.pub, {"Bravo"});
    send_parts(f.pub, {"b-lower"}); // bytes, not letters: case matters
    send_parts(f.pub, {""});        // shorter than the prefix
    send_parts(f.pub, {"B"});       // exactly the prefix
    send_parts(f.pub, {"B-end"});

    CHECK(expect_parts(f.sub) == parts{"B-head", "A-tail"});
    CHECK(expect_parts(f.sub) == parts{"Bravo"});
    CHECK(expect_parts(f.sub) == parts{"B"});
    CHECK(expect_parts(f.sub) == parts{"B-end"}); // FIFO: nothing else came in between
    // Filtering happened at the publisher (C-PUB-3): only the 4 matches were queued.
    CHECK(f.sent_to_sub() == before + 4);
}

TEST_CASE("C-SUB-1 a SUB without subscriptions receives nothing", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    pubsub_fixture f(transport);
    f.sub.connect(f.endpoint);
    REQUIRE(zmtp::test::wait_until([&] {
        REQUIRE(f.pub.send("anything")); // also lets the PUB see the new subscriber
        return f.pub.subscribers().size() == 1;
    }));
    for (int i = 0; i < 100; ++i)
        REQUIRE(f.pub.send("msg-" + std::to_string(i)));
    CHECK(f.sent_to_sub() == 0); // nothing matched, nothing queued
    // Subscribing now delivers only what is published afterwards.
    f.subscribe("m");
    sync_subscription(f.pub, f.sub, "m");
    REQUIRE(f.pub.send("msg-last"));
    CHECK(expect_parts(f.sub) == parts{"msg-last"});
}

TEST_CASE("C-PUB-2 the empty subscription matches everything, the empty message too", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    pubsub_fixture f(transport);
    f.subscribe("");
    f.sub.connect(f.endpoint);
    sync_subscription(f.pub, f.sub, "any");

    const std::vector<parts> msgs{{""},           {"anything"},
                                  {"", "second"}, {std::string("\0\x01\xff", 3)},
                                  {"x", "", ""},  {std::string(70000, 'L')}};
    for (const auto& m : msgs)
        send_parts(f.pub, m);
    for (const auto& m : msgs)
        CHECK(expect_parts(f.sub) == m);
}

TEST_CASE("C-PUB-7 C-FRM-6 multipart messages arrive whole or not at all", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    pubsub_fixture f(transport);
    f.subscribe("yes");
    f.sub.connect(f.endpoint);
    sync_subscription(f.pub, f.sub, "yes");

    // Frames of several sizes: inline, short-frame edge, long frame, large shared body.
    parts big{"yes-big", "", std::string(255, 'a'), std::string(256, 'b'), std::string(100000, 'c'),
              "tail"};
    parts not_matching = big;
    not_matching[0] = "no-big";
    for (int round = 0; round < 20; ++round) {
        send_parts(f.pub, not_matching);
        send_parts(f.pub, big);
        send_parts(f.pub, {"no", "yes-in-second-frame"});
    }
    for (int round = 0; round < 20; ++round) {
        CAPTURE(round);
        CHECK(expect_parts(f.sub) == big);
    }
    REQUIRE(f.pub.send("yes-end"));
    CHECK(expect_parts(f.sub) == parts{"yes-end"});
}

TEST_CASE("C-SUB-3 the SUB filters locally: messages queued before an unsubscribe are dropped "
          "whole",
          "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    pubsub_fixture f(transport);
    f.subscribe("A");
    f.subscribe("B");
    f.sub.connect(f.endpoint);
    sync_subscription(f.pub, f.sub, "A");
    const auto before = f.sent_to_sub();

    // The PUB queues these before it can learn about the unsubscribe below, so only the SUB's
    // own filter can drop the B message, and it must drop all of its frames.
    send_parts(f.pub, {"B-1", "b-tail", std::string(1000, 'b')});
    send_parts(f.pub, {"A-1", "a-tail"});
    send_parts(f.pub, {"B-2"});
    send_parts(f.pub, {"A-2"});
    CHECK(f.sent_to_sub() == before + 4);
    f.unsubscribe("B");
    CHECK(expect_parts(f.sub) == parts{"A-1", "a-tail"});
    CHECK(expect_parts(f.sub) == parts{"A-2"});
}

TEST_CASE("C-SUB-1 subscribe before or after connect", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    const bool before_connect = GENERATE(true, false);
    CAPTURE(transport, before_connect);
    pubsub_fixture f(transport);
    if (before_connect)
        f.subscribe("topic");
    f.sub.connect(f.endpoint);
    if (!before_connect)
        f.subscribe("topic");
    sync_subscription(f.pub, f.sub, "topic");
    send_parts(f.pub, {"other"});
    send_parts(f.pub, {"topic-1", "x"});
    CHECK(expect_parts(f.sub) == parts{"topic-1", "x"});
}

TEST_CASE("PUB connects, SUB binds", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    context ctx;
    auto sub = make_socket(ctx, socket_type::sub);
    auto pub = make_socket(ctx, socket_type::pub);
    sub.set(opt::subscribe, std::string("K"));
    const auto ep = bind_any(sub, transport);
    pub.connect(ep);
    sync_subscription(pub, sub, "K");
    send_parts(pub, {"L-no"});
    send_parts(pub, {"K-yes", "2"});
    CHECK(expect_parts(sub) == parts{"K-yes", "2"});
}

TEST_CASE("binary topics with NUL and 0x01 bytes", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    pubsub_fixture f(transport);
    const std::string topic("\x00\x01\x00", 3);
    f.subscribe(topic);
    f.sub.connect(f.endpoint);
    sync_subscription(f.pub, f.sub, topic);
    send_parts(f.pub, {std::string("\x00\x01", 2)});      // shorter: no
    send_parts(f.pub, {std::string("\x00\x01\x01", 3)});  // differs in the last byte: no
    send_parts(f.pub, {std::string("\x00\x01\x00!", 4)}); // yes
    CHECK(expect_parts(f.sub) == parts{std::string("\x00\x01\x00!", 4)});
}

TEST_CASE("unsubscribe stops delivery at the SUB at once and at the PUB soon after", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    pubsub_fixture f(transport);
    f.subscribe("A");
    f.subscribe("B");
    f.sub.connect(f.endpoint);
    sync_subscription(f.pub, f.sub, "A");

    f.unsubscribe("A");
    f.unsubscribe("never-subscribed"); // harmless
    // The PUB stops queueing A messages once the CANCEL arrives; wait on its counter.
    REQUIRE(zmtp::test::wait_until([&] {
        const auto before = f.sent_to_sub();
        REQUIRE(f.pub.send("A-probe"));
        return f.sent_to_sub() == before;
    }));
    send_parts(f.pub, {"A-late"});
    send_parts(f.pub, {"B-end"});
    CHECK(expect_parts(f.sub) == parts{"B-end"}); // any A-probe still queued was filtered
}

TEST_CASE("C-SUB-4 subscribe twice, unsubscribe once: still subscribed", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    pubsub_fixture f(transport);
    f.subscribe("A");
    f.sub.connect(f.endpoint);
    f.subscribe("A");
    sync_subscription(f.pub, f.sub, "A");

    f.unsubscribe("A");
    // A marker subscribed after the unsubscribe: once its probe arrives, the PUB has processed
    // whatever the unsubscribe sent (nothing, if the SUB counts as libzmq does).
    f.subscribe("M");
    sync_subscription(f.pub, f.sub, "M");
    auto before = f.sent_to_sub();
    send_parts(f.pub, {"A-still"});
    send_parts(f.pub, {"M-end"});
    CHECK(expect_parts(f.sub) == parts{"A-still"});
    CHECK(expect_parts(f.sub) == parts{"M-end"});
    CHECK(f.sent_to_sub() == before + 2);

    // The second unsubscribe is the last one: now A is gone at both ends.
    f.unsubscribe("A");
    f.subscribe("N");
    sync_subscription(f.pub, f.sub, "N");
    before = f.sent_to_sub();
    send_parts(f.pub, {"A-gone"});
    send_parts(f.pub, {"N-end"});
    CHECK(expect_parts(f.sub) == parts{"N-end"});
    CHECK(f.sent_to_sub() == before + 1); // the PUB no longer sends A
}

TEST_CASE("overlapping subscriptions deliver a message once", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    pubsub_fixture f(transport);
    for (const char* t : {"", "a", "ab", "abc"})
        f.subscribe(t);
    f.sub.connect(f.endpoint);
    sync_subscription(f.pub, f.sub, "abc");
    const auto before = f.sent_to_sub();
    send_parts(f.pub, {"abcd"});
    send_parts(f.pub, {"end"});
    CHECK(expect_parts(f.sub) == parts{"abcd"});
    CHECK(expect_parts(f.sub) == parts{"end"});
    CHECK(f.sent_to_sub() == before + 2);
}

TEST_CASE("several publishers are fair-queued into one SUB", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    constexpr int n_pubs = 3;
    constexpr std::uint64_t n_msgs = 200;
    context ctx;
    auto sub = make_socket(ctx, socket_type::sub);
    sub.set(opt::subscribe, std::string(""));
    std::vector<socket> pubs;
    for (int i = 0; i < n_pubs; ++i) {
        pubs.push_back(make_socket(ctx, socket_type::pub));
        sub.connect(bind_any(pubs.back(), transport));
    }
    for (int i = 0; i < n_pubs; ++i)
        sync_subscription(pubs[static_cast<std::size_t>(i)], sub, "pub" + std::to_string(i));

    SECTION("every message arrives, in order per publisher") {
        for (std::uint64_t n = 0; n < n_msgs; ++n)
            for (int i = 0; i < n_pubs; ++i)
                send_parts(pubs[static_cast<std::size_t>(i)], {"pub" + std::to_string(i), be64(n)});
        std::vector<std::uint64_t> next(n_pubs, 0);
        for (std::uint64_t k = 0; k < n_msgs * n_pubs; ++k) {
            const auto m = expect_parts(sub);
            REQUIRE(m.size() == 2);
            REQUIRE(m[0].size() == 4);
            const auto i = static_cast<std::size_t>(m[0][3] - '0');
            REQUIRE(i < next.size());
            CHECK(from_be64(m[1]) == next[i]++);
        }
        for (auto n : next)
            CHECK(n == n_msgs);
    }

    SECTION("a publisher that never stops does not starve the others") {
        REQUIRE(pubs[1].send("pub1-single"));
        REQUIRE(pubs[2].send("pub2-single"));
        bool got1 = false, got2 = false;
        std::uint64_t n = 0;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!(got1 && got2) && std::chrono::steady_clock::now() < deadline) {
            // pub0 publishes faster than the SUB reads, so its queue is never empty.
            for (int k = 0; k < 4; ++k)
                REQUIRE(pubs[0].send("pub0-flood-" + std::to_string(n++)));
            const auto m = expect_parts(sub);
            got1 = got1 || m == parts{"pub1-single"};
            got2 = got2 || m == parts{"pub2-single"};
        }
        CHECK(got1);
        CHECK(got2);
    }
}

TEST_CASE("C-PUB-3 twenty subscribers each get exactly their own topic", "[pubsub]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    constexpr int n_subs = 20;
    constexpr int per_topic = 25;
    context ctx;
    auto pub = make_socket(ctx, socket_type::pub);
    const auto ep = bind_any(pub, transport);
    std::vector<socket> subs;
    auto topic = [](int k) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "topic-%02d/", k);
        return std::string(buf);
    };
    for (int k = 0; k < n_subs; ++k) {
        subs.push_back(make_socket(ctx, socket_type::sub));
        subs.back().set(opt::subscribe, topic(k));
        subs.back().connect(ep);
        sync_subscription(pub, subs.back(), topic(k));
    }
    REQUIRE(pub.subscribers().size() == n_subs);
    auto total_sent = [&] {
        std::uint64_t sum = 0;
        for (const auto& c : pub.subscribers()) {
            sum += c.sent;
            CHECK(c.dropped == 0);
        }
        return sum;
    };
    const auto sent_before = total_sent();

    for (int i = 0; i < per_topic; ++i) {
        for (int k = 0; k < n_subs; ++k)
            send_parts(pub, {topic(k) + std::to_string(i), "payload"});
        send_parts(pub, {"nobody/" + std::to_string(i)});
        send_parts(pub, {"topic-", "no"}); // a prefix of every topic, matches none
    }
    for (int k = 0; k < n_subs; ++k)
        send_parts(pub, {topic(k) + "end"});

    for (int k = 0; k < n_subs; ++k) {
        CAPTURE(k);
        auto& s = subs[static_cast<std::size_t>(k)];
        for (int i = 0; i < per_topic; ++i)
            CHECK(expect_parts(s) == parts{topic(k) + std::to_string(i), "payload"});
        CHECK(expect_parts(s) == parts{topic(k) + "end"});
    }
    // The PUB queued each message for its one subscriber only, and dropped none.
    CHECK(total_sent() - sent_before == n_subs * (per_topic + 1));
}
