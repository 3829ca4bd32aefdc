// subscription_trie teardown (issue 11 item 7): the topics of a subscriber that left are
// removed a bounded number per step, so the publish that follows a big subscriber's departure
// pays for at most one step, and matching stays right while the teardown goes on.
#include "core/sockets/subscription_trie.hpp"
#include "tests/support/catch.hpp"

#include <chrono>
#include <cstdio>
#include <set>
#include <string>

using zmtp::detail::subscription_trie;

namespace {
std::string topic(int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "t%07d", i);
    return buf;
}
} // namespace

TEST_CASE("subscription trie: a retired subscriber is torn down in bounded steps",
          "[core][trie]") {
    constexpr int n = 200'000;
    constexpr std::size_t budget = 1024;
    subscription_trie trie;
    std::set<std::string> topics;
    for (int i = 0; i < n; ++i) {
        REQUIRE(trie.add(topic(i), 1));
        topics.insert(topic(i));
    }
    REQUIRE(trie.add("t00", 2)); // a live subscriber whose prefix covers many of them

    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    trie.retire(1, std::move(topics));
    const auto retire_time = clock::now() - t0;
    CHECK(trie.retiring() == static_cast<std::size_t>(n));

    std::size_t steps = 0;
    auto worst = clock::duration::zero();
    while (trie.retiring() > 0) {
        const auto before = trie.retiring();
        const auto s0 = clock::now();
        const auto done = trie.teardown_step(budget);
        worst = std::max(worst, clock::now() - s0);
        REQUIRE(done == std::min(budget, before)); // never more than the budget, never idle
        ++steps;
        // Meanwhile the live subscriber is still matched, exactly once per message.
        int live = 0;
        trie.for_each_match(topic(5), [&](subscription_trie::id_type id) { live += id == 2; });
        REQUIRE(live == 1);
    }
    CHECK(steps == (n + budget - 1) / budget);
    // Done: the retired id is gone, the live one stays.
    bool retired_seen = false;
    trie.for_each_match(topic(0), [&](subscription_trie::id_type id) {
        retired_seen = retired_seen || id == 1;
    });
    CHECK_FALSE(retired_seen);
    CHECK(trie.matches(topic(5)));
    CHECK_FALSE(trie.matches("u"));
    WARN("retire of " << n << " topics: "
                      << std::chrono::duration_cast<std::chrono::microseconds>(retire_time).count()
                      << " us; worst step of " << budget << ": "
                      << std::chrono::duration_cast<std::chrono::microseconds>(worst).count()
                      << " us; " << steps << " steps");
}
