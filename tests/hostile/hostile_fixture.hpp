// Fixtures of the hostile-peer suite (issue 11 item 7): a probe that keeps a well-behaved
// PAIR connection busy with round trips on the same I/O thread as the attacked socket (so any
// stall the attack causes shows in its worst round trip), and the process's resource figures
// (RSS, open descriptors) that each attack states a budget for.
#pragma once

#include "zmtp/zmtp.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <thread>

namespace zmtp::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool under_asan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool under_asan = true;
#else
inline constexpr bool under_asan = false;
#endif
#else
inline constexpr bool under_asan = false;
#endif

/// Generous bound for "the well-behaved peer was served": far above any round trip a healthy
/// I/O thread gives (well under 50 ms even under sanitizers), low enough to catch the
/// multi-second stalls the attacks used to cause. Hang detection, not a performance figure.
/// Under ASan 10 s: its allocator takes seconds of the I/O thread to serve (or refuse) the
/// 8 GiB and 1 TiB bodies a peer declares without MAXMSGSIZE (measured 2.5 s; 1 ms without).
inline constexpr std::chrono::milliseconds served_bound{under_asan ? 10000 : 2000};

/// A bound PAIR and a connected PAIR in `ctx` exchanging round trips from their own thread
/// until stop(). With one I/O thread (the default) their engines share it with every other
/// connection of the context.
class service_probe {
public:
    explicit service_probe(zmtp::context& ctx);
    ~service_probe() { stop(); }
    service_probe(const service_probe&) = delete;
    service_probe& operator=(const service_probe&) = delete;

    /// Ends the round trips; returns once the thread has finished.
    void stop();
    /// Waits until at least `n` more round trips are done (false on failure or after 10 s).
    bool wait_round_trips(long n);

    long round_trips() const noexcept { return done_.load(); }
    bool failed() const noexcept { return failed_.load(); }
    std::chrono::microseconds worst() const noexcept {
        return std::chrono::microseconds(worst_us_.load());
    }
    /// Forgets the worst round trip so far (call when the attack starts).
    void reset_worst() noexcept { worst_us_.store(0); }

private:
    void run();

    zmtp::socket server_;
    zmtp::socket client_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> failed_{false};
    std::atomic<long> done_{0};
    std::atomic<long long> worst_us_{0};
    std::thread thread_;
};

/// False under AddressSanitizer: its quarantine keeps freed memory resident (up to 256 MiB),
/// so RSS budgets say nothing there and the tests only report the figure.
inline constexpr bool rss_is_meaningful = !under_asan;

/// Checks an RSS budget where RSS means something (see rss_is_meaningful).
#define HOSTILE_CHECK_RSS(cond)                                                                   \
    do {                                                                                           \
        if (::zmtp::test::rss_is_meaningful) {                                                     \
            CHECK(cond);                                                                           \
        }                                                                                          \
    } while (0)

/// Resident set size of this process, in KiB (VmRSS).
std::size_t rss_kib();
/// Number of open file descriptors of this process.
std::size_t open_fds();

/// tcp port of an endpoint "tcp://a.b.c.d:port".
std::uint16_t port_of(const std::string& endpoint);

} // namespace zmtp::test
