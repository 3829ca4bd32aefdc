// zmtp soak: every workload at once in one process for a given time, with its RSS, fd count
// and thread count sampled. Exit 0 only if no message was lost where the semantics forbid it,
// nothing grew without bound (rule in soak_sampler.hpp), and after zmq_ctx_term the process
// is back to the fds and threads it had before the first context.
// Usage: zmtp_soak SECONDS   (tools/soak.sh DURATION builds and runs it)
#include "soak_sampler.hpp"
#include "soak_workloads.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace soak {

std::atomic<bool> g_stop{false};
Counters g_count;
namespace {
std::atomic<int> g_failures{0};
std::mutex g_print;
}  // namespace

void fail(const char *fmt, ...) {
    if (g_failures.fetch_add(1) >= 50)
        return;  // the first 50 are enough to see what happened
    std::lock_guard<std::mutex> lock(g_print);
    std::va_list args;
    va_start(args, fmt);
    std::fputs("FAIL ", stdout);
    std::vprintf(fmt, args);
    std::fputs("\n", stdout);
    std::fflush(stdout);
    va_end(args);
}
int failures() { return g_failures.load(); }

std::string bind_any(void *s, const char *endpoint) {
    if (zmq_bind(s, endpoint) != 0) {
        fail("bind %s: %s", endpoint, zmq_strerror(zmq_errno()));
        return endpoint;
    }
    char buf[256];
    size_t size = sizeof buf;
    zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, buf, &size);
    return buf;
}

void pause_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace soak

using namespace soak;

static void print_sample(const Sample &s) {
    std::lock_guard<std::mutex> lock(g_print);
    std::printf("t=%6.0fs rss=%6llu KiB fds=%3d threads=%2d | pair %llu, churn %llu cycles, "
                "pub %llu, lossless %llu, slow %llu (dropped %llu), vanished %llu, "
                "sub ops %llu\n",
                s.t, (unsigned long long)s.rss_kib, s.fds, s.threads,
                (unsigned long long)g_count.pair_stream_msgs.load(),
                (unsigned long long)g_count.pair_churn_cycles.load(),
                (unsigned long long)g_count.pub_sent.load(),
                (unsigned long long)g_count.sub_lossless_msgs.load(),
                (unsigned long long)g_count.sub_slow_msgs.load(),
                (unsigned long long)g_count.sub_slow_dropped.load(),
                (unsigned long long)g_count.vanishing_subs.load(),
                (unsigned long long)g_count.sub_churn_ops.load());
    std::fflush(stdout);
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? std::atof(argv[1]) : 0;
    if (seconds < 20) {
        std::fprintf(stderr, "usage: %s SECONDS (at least 20)\n", argv[0]);
        return 2;
    }
    // About 120 samples whatever the duration, at least one a second.
    double interval = std::max(1.0, seconds / 120);
    Sample before = take_sample(0);

    void *ctx = zmq_ctx_new();
    void *pub = nullptr, *acks = nullptr;
    PubEndpoints eps = publisher_start(ctx, pub, acks);
    std::vector<std::thread> workers;
    workers.emplace_back(pair_stream, ctx, "tcp://127.0.0.1:*", "PAIR stream tcp");
    workers.emplace_back(pair_stream, ctx, "ipc://*", "PAIR stream ipc");
    workers.emplace_back(pair_churn, ctx);
    workers.emplace_back(publisher_run, pub, acks);
    workers.emplace_back(sub_lossless, ctx, eps);
    workers.emplace_back(sub_slow, ctx, eps);
    workers.emplace_back(sub_vanishing, ctx, eps);
    workers.emplace_back(sub_churn, ctx, eps);

    auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    std::vector<Sample> samples;
    for (int i = 1; elapsed() < seconds; ++i) {
        std::this_thread::sleep_until(t0 + std::chrono::duration<double>(i * interval));
        samples.push_back(take_sample(elapsed()));
        print_sample(samples.back());
    }

    g_stop.store(true);
    // A worker stuck in a call that never returns is a failure too, not a hung CI job.
    std::thread([] {
        std::this_thread::sleep_for(std::chrono::seconds(60));
        std::printf("FAIL workers did not finish within 60 s of the stop\n");
        std::fflush(stdout);
        _exit(3);
    }).detach();
    for (auto &w : workers)
        w.join();
    if (zmq_ctx_term(ctx) != 0)
        fail("zmq_ctx_term: %s", zmq_strerror(zmq_errno()));
    Sample after = take_sample(elapsed());
    // The watchdog thread is still alive here: one thread above the baseline (and under TSan
    // its runtime's background thread, started after the baseline was taken).
    int extra_threads = 1;
#if defined(__SANITIZE_THREAD__)
    extra_threads = 2;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
    extra_threads = 2;
#endif
#endif
    if (after.fds != before.fds)
        fail("after zmq_ctx_term %d fds are open, %d before the first context", after.fds,
             before.fds);
    if (after.threads != before.threads + extra_threads)
        fail("after zmq_ctx_term %d threads run, %d before the first context (+%d: watchdog%s)",
             after.threads, before.threads, extra_threads, extra_threads > 1 ? ", TSan" : "");

    Verdict v = judge(samples);
    for (auto &p : v.problems)
        fail("%s", p.c_str());
    std::printf("\nsoak %.0f s: %zu samples every %.0f s; warm-up 0-20 %%, plateau 20-40 %%, "
                "end 75-100 %%\n", seconds, samples.size(), interval);
    std::printf("  RSS     start %llu KiB, plateau %llu KiB, end %llu KiB\n",
                (unsigned long long)v.start.rss_kib, (unsigned long long)v.plateau.rss_kib,
                (unsigned long long)v.end.rss_kib);
    std::printf("  fds     start %d, plateau %d, end %d (before ctx %d, after term %d)\n",
                v.start.fds, v.plateau.fds, v.end.fds, before.fds, after.fds);
    std::printf("  threads start %d, plateau %d, end %d (before ctx %d, after term %d)\n",
                v.start.threads, v.plateau.threads, v.end.threads, before.threads,
                after.threads);
    std::printf("  PAIR streams (tcp+ipc): %llu messages, all once and in order\n",
                (unsigned long long)g_count.pair_stream_msgs.load());
    std::printf("  PAIR churn: %llu connect/exchange/close cycles (%llu on a fresh context), "
                "%llu messages checked\n",
                (unsigned long long)g_count.pair_churn_cycles.load(),
                (unsigned long long)g_count.ctx_cycles.load(),
                (unsigned long long)g_count.pair_churn_msgs.load());
    std::printf("  PUB: %llu published; lossless SUB %llu (none lost), slow SUB %llu received "
                "%llu dropped at its HWM, %llu vanishing SUBs, %llu subscription changes "
                "(%llu messages)\n",
                (unsigned long long)g_count.pub_sent.load(),
                (unsigned long long)g_count.sub_lossless_msgs.load(),
                (unsigned long long)g_count.sub_slow_msgs.load(),
                (unsigned long long)g_count.sub_slow_dropped.load(),
                (unsigned long long)g_count.vanishing_subs.load(),
                (unsigned long long)g_count.sub_churn_ops.load(),
                (unsigned long long)g_count.sub_churn_msgs.load());
    std::printf("soak: %s (%d failure(s))\n", failures() ? "FAILED" : "passed", failures());
    return failures() ? 1 : 0;
}
