// PUB/SUB high-water marks: the PUB never blocks and drops whole messages only for the full
// subscriber (C-PUB-6, C-PUB-7, C-HWM-5, C-HWM-7); XPUB_NODROP turns the drop into EAGAIN
// (C-PUB-11). Over tcp/ipc counts are not exact (C-TEST-3), so the cases check properties:
// whole messages, order, drops counted, nothing lost for the subscriber that keeps up.
#include "tests/pubsub/pubsub_support.hpp"
#include "tests/support/wait.hpp"

#include <chrono>
#include <string>

using namespace zmtp;
using namespace zmtp::pubsub_test;

namespace {

const std::string payload(1000, 'p');

parts numbered(std::uint64_t seq) {
    return numbered_message(seq, payload);
}

} // namespace

TEST_CASE("C-PUB-6 sending with no subscriber, or none matching, succeeds", "[pubsub][hwm]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    context ctx;
    auto pub = make_socket(ctx, socket_type::pub);
    pub.set(opt::sndhwm, 1);
    pub.set(opt::sndtimeo, 0);
    const auto ep = bind_any(pub, transport);
    for (int i = 0; i < 2000; ++i) {
        REQUIRE(pub.send("x", send_flags::none));
        REQUIRE(pub.send("y", send_flags::dontwait));
    }
    auto sub = make_socket(ctx, socket_type::sub);
    sub.set(opt::subscribe, std::string("match"));
    sub.connect(ep);
    sync_subscription(pub, sub, "match");
    for (int i = 0; i < 2000; ++i) {
        REQUIRE(pub.send("nomatch", send_flags::none));
        REQUIRE(pub.send("nomatch", send_flags::dontwait));
    }
    REQUIRE(pub.subscribers().size() == 1);
    CHECK(pub.subscribers()[0].dropped == 0); // non-matching messages are not drops
}

TEST_CASE("C-PUB-6 C-PUB-7 a slow subscriber drops whole messages, a fast one loses nothing",
          "[pubsub][hwm]") {
    const std::string transport = GENERATE(from_range(transports()));
    const auto flags = GENERATE(send_flags::none, send_flags::dontwait);
    CAPTURE(transport, static_cast<int>(flags));
    context ctx;
    auto pub = make_socket(ctx, socket_type::pub);
    pub.set(opt::sndhwm, 10);
    pub.set(opt::sndtimeo, 1000); // a blocking PUB would show up as a failed send
    const auto ep = bind_any(pub, transport);

    auto slow = make_socket(ctx, socket_type::sub);
    slow.set(opt::rcvhwm, 10);
    slow.set(opt::subscribe, std::string("T"));
    slow.set(opt::subscribe, std::string("P-slow"));
    slow.connect(ep);
    sync_subscription(pub, slow, "P-slow");
    REQUIRE(pub.subscribers().size() == 1); // the slow one is subscribers()[0]

    auto fast = make_socket(ctx, socket_type::sub);
    fast.set(opt::subscribe, std::string("T"));
    fast.set(opt::subscribe, std::string("P-fast"));
    fast.connect(ep);
    sync_subscription(pub, fast, "P-fast");
    REQUIRE(pub.subscribers().size() == 2);
    const auto slow_before = pub.subscribers()[0];
    const auto fast_before = pub.subscribers()[1];
    CHECK(slow_before.dropped == 0);

    // Publish until the slow subscriber has lost messages (its RCVHWM, the kernel buffers and
    // then the PUB's SNDHWM are full), and at least 20000. The fast subscriber reads each batch
    // of 5 (< SNDHWM) before the next one, so its queue never fills.
    constexpr std::uint64_t min_msgs = 20000, max_msgs = 300000, batch = 5;
    std::uint64_t n = 0;
    const auto t0 = std::chrono::steady_clock::now();
    while (n < max_msgs && (n < min_msgs || pub.subscribers()[0].dropped == 0)) {
        for (std::uint64_t k = 0; k < batch; ++k, ++n) {
            const auto m = numbered(n);
            REQUIRE(pub.send(m[0], flags | send_flags::sndmore));
            REQUIRE(pub.send(m[1], flags | send_flags::sndmore));
            REQUIRE(pub.send(m[2], flags));
        }
        for (std::uint64_t k = n - batch; k < n; ++k) {
            const auto m = expect_parts(fast);
            REQUIRE(m == numbered(k)); // nothing lost, nothing reordered
        }
    }
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    INFO("published " << n << " messages in "
                      << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()
                      << " ms");
    const auto slow_after = pub.subscribers()[0];
    const auto fast_after = pub.subscribers()[1];
    INFO("slow subscriber: " << slow_after.sent - slow_before.sent << " queued, "
                             << slow_after.dropped << " dropped");
    CHECK(slow_after.dropped > 0);
    CHECK(slow_after.sent - slow_before.sent + slow_after.dropped == n);
    CHECK(fast_after.dropped == 0);
    CHECK(fast_after.sent - fast_before.sent == n);

    // The slow subscriber now reads: an in-order subsequence of whole messages, exactly the
    // ones the PUB queued for it (the SUB itself never drops, C-SUB-7).
    const auto got = drain_numbered(
        [&](int ms) { return recv_parts(slow, ms); }, n, payload,
        [&](std::uint64_t seq) { send_parts(pub, numbered_message(seq, "end"), flags); });
    CHECK(got.received == slow_after.sent - slow_before.sent);
    CHECK(got.received < n);
    CHECK(got.gaps > 0);
}

TEST_CASE("C-PUB-11 XPUB_NODROP: EAGAIN instead of dropping once a subscriber is full",
          "[pubsub][hwm]") {
    const std::string transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    context ctx;
    auto pub = make_socket(ctx, socket_type::pub);
    pub.set(opt::sndhwm, 10);
    pub.set(opt::xpub_nodrop, 1);
    const auto ep = bind_any(pub, transport);
    auto sub = make_socket(ctx, socket_type::sub);
    sub.set(opt::rcvhwm, 10);
    sub.set(opt::subscribe, std::string("T"));
    sub.connect(ep);
    sync_subscription(pub, sub, "T-probe");

    // The SUB sleeps. Fill every buffer on the way: a send blocks while the PUB's queue is at
    // SNDHWM and resumes when the engine drains it, so "full" is a blocking send timing out and
    // a DONTWAIT send right after it still refused.
    pub.set(opt::sndtimeo, 200);
    std::uint64_t accepted = 0;
    std::error_code ec;
    bool full = false;
    constexpr std::uint64_t max_msgs = 300000;
    auto send_numbered = [&](send_flags first_flags) {
        const auto m = numbered(accepted);
        if (!pub.send(m[0].data(), m[0].size(), first_flags | send_flags::sndmore, ec))
            return false; // refused on the first frame: nothing of the message went out
        REQUIRE(pub.send(m[1].data(), m[1].size(), send_flags::sndmore, ec));
        REQUIRE(pub.send(m[2].data(), m[2].size(), send_flags::none, ec));
        ++accepted;
        return true;
    };
    while (!full && accepted < max_msgs) {
        if (send_numbered(send_flags::none))
            continue;
        REQUIRE(is_would_block(ec)); // SNDTIMEO expired
        if (!send_numbered(send_flags::dontwait)) {
            CHECK(ec == std::errc::resource_unavailable_try_again); // C-PUB-11: EAGAIN
            full = true;
        }
    }
    INFO("accepted " << accepted);
    REQUIRE(full);
    CHECK(accepted > 10); // more than the PUB's own queue: the kernel buffers filled too
    REQUIRE(pub.subscribers().size() == 1);
    CHECK(pub.subscribers()[0].dropped == 0);

    // Still full: DONTWAIT refuses, a blocking send gives up after SNDTIMEO.
    const std::string blocked = "T-blocked";
    CHECK_FALSE(pub.send(blocked.data(), blocked.size(), send_flags::dontwait, ec));
    CHECK(is_would_block(ec));
    pub.set(opt::sndtimeo, 100);
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(pub.send("T-blocked"));
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(90));
    pub.set(opt::sndtimeo, timeout_ms);

    // Only the full subscriber's messages are held back.
    CHECK(pub.send("U-nobody", send_flags::dontwait));

    // The SUB wakes: it gets every accepted message, in order, none missing.
    for (std::uint64_t k = 0; k < accepted; ++k) {
        const auto m = expect_parts(sub);
        if (m != numbered(k)) {
            CAPTURE(k);
            REQUIRE(m.size() == 3);
            FAIL("expected message " << k << ", got " << from_be64(m[1]));
        }
    }
    // Room again: a DONTWAIT send succeeds once the queue drained, and it arrives.
    REQUIRE(zmtp::test::wait_until([&] {
        std::error_code e;
        const std::string last = "T-last";
        if (pub.send(last.data(), last.size(), send_flags::dontwait, e))
            return true;
        REQUIRE(is_would_block(e));
        return false;
    }));
    CHECK(expect_parts(sub) == parts{"T-last"});
    CHECK(pub.subscribers()[0].dropped == 0);
}
