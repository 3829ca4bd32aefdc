// signaler across threads: no wake-up is lost between "take the generation, check, wait", and
// the eventfd behind ZMQ_FD can be created while other threads wake. Run under TSan in CI.
#include "core/signaler.hpp"
#include "tests/support/catch.hpp"

#include <poll.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using zmtp::detail::signaler;

namespace {
// Generous bound: only a lost wake-up can make a wait last this long.
signaler::clock::time_point hang_guard() {
    return signaler::clock::now() + std::chrono::seconds(5);
}
} // namespace

TEST_CASE("signaler: a waiter sees every change made before or during its wait",
          "[signaler]") {
    signaler s;
    std::atomic<int> produced{0};
    constexpr int total = 20000;
    std::vector<std::thread> producers;
    for (int p = 0; p < 2; ++p)
        producers.emplace_back([&] {
            for (int i = 0; i < total / 2; ++i) {
                produced.fetch_add(1);
                s.wake();
            }
        });
    // The consumer's protocol: generation first, then the condition, then the wait.
    int timeouts = 0;
    for (;;) {
        const auto seen = s.generation();
        if (produced.load() == total)
            break;
        if (s.wait_for_change(seen, false, hang_guard()) == signaler::wait_result::timed_out)
            ++timeouts;
        if (timeouts > 0)
            break;
    }
    for (auto& t : producers)
        t.join();
    CHECK(timeouts == 0);
    CHECK(produced.load() == total);
}

TEST_CASE("signaler: ping-pong between two threads never stalls", "[signaler]") {
    signaler to_b, to_a;
    std::atomic<int> turn{0}; // even: A's turn, odd: B's
    constexpr int rounds = 5000;
    std::atomic<bool> stalled{false};
    auto play = [&](signaler& mine, signaler& theirs, int parity) {
        for (int r = 0; r < rounds && !stalled; ++r) {
            for (;;) {
                const auto seen = mine.generation();
                if (turn.load() % 2 == parity)
                    break;
                if (mine.wait_for_change(seen, false, hang_guard()) ==
                    signaler::wait_result::timed_out) {
                    stalled = true;
                    return;
                }
            }
            turn.fetch_add(1);
            theirs.wake();
        }
    };
    std::thread b([&] { play(to_b, to_a, 1); });
    play(to_a, to_b, 0);
    b.join();
    CHECK_FALSE(stalled.load());
    CHECK(turn.load() == 2 * rounds);
}

TEST_CASE("signaler: the eventfd made while other threads wake turns readable", "[signaler]") {
    signaler s;
    std::atomic<bool> stop{false};
    std::thread waker([&] {
        while (!stop)
            s.wake();
    });
    int fds[2];
    std::thread other([&] { fds[1] = s.fd(); });
    fds[0] = s.fd();
    other.join();
    REQUIRE(fds[0] >= 0);
    CHECK(fds[0] == fds[1]); // made once, whoever asked first
    pollfd p{fds[0], POLLIN, 0};
    CHECK(::poll(&p, 1, 5000) == 1);
    s.drain_fd();
    stop = true;
    waker.join();
    s.wake();
    p.revents = 0;
    CHECK(::poll(&p, 1, 5000) == 1);
}

TEST_CASE("signaler: one wake releases every thread waiting on the same generation",
          "[signaler]") {
    // The portable backend (pipe + poll) hands its one octet on from waiter to waiter.
    signaler s;
    constexpr int waiters = 2;
    const auto seen = s.generation();
    std::atomic<int> registered{0}, changed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < waiters; ++i)
        threads.emplace_back([&] {
            ++registered;
            if (s.wait_for_change(seen, false, hang_guard()) == signaler::wait_result::changed)
                ++changed;
        });
    while (registered.load() != waiters) // both are about to wait, or waiting: either is fine
        std::this_thread::yield();
    s.wake();
    for (auto& t : threads)
        t.join();
    CHECK(changed.load() == waiters);
}

TEST_CASE("signaler: a wait with no wake ends at its deadline", "[signaler]") {
    signaler s;
    const auto seen = s.generation();
    CHECK(s.wait_for_change(seen, false, signaler::clock::now()) ==
          signaler::wait_result::timed_out);
    const auto deadline = signaler::clock::now() + std::chrono::milliseconds(20);
    CHECK(s.wait_for_change(seen, false, deadline) == signaler::wait_result::timed_out);
    CHECK(signaler::clock::now() >= deadline);
    s.wake();
    CHECK(s.wait_for_change(seen, false, deadline) == signaler::wait_result::changed);
}
