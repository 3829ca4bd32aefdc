// zmq_bench: one benchmark written against zmq.h only, built twice — bench_zmtp (zmtp's C API)
// and bench_libzmq (the real libzmq) — so both run exactly the same code. Each run prints one
// line of key=value pairs for bench/run_bench.py.
//
//   bench_X thr <transport> pair <size> <count>                 PAIR throughput
//   bench_X thr <transport> pubsub <size> <count> [subscribers]  PUB -> N SUB throughput
//   bench_X lat <transport> pair <size> <roundtrips>            PAIR round trip (mean and
//                                                               p50 / p99 / p99.9)
//   bench_X idle <transport> pubsub <size> <subscribers>       memory per idle connection
//                                                               (N SUB on one PUB), join time,
//                                                               one message to all of them
//   bench_X fresh <transport> pubsub 0 <subscribers>           memory per connection that
//                                                               never carried a message
//   bench_X queue <transport> pair <size> <count>              memory per queued message
//   bench_X version
//
// ZMQ_BENCH_IO_THREADS=N in the environment sets ZMQ_IO_THREADS on every context;
// ZMQ_BENCH_HWM=N sets SNDHWM and RCVHWM on the PAIR throughput sockets.
//
// transport: tcp | ipc | inproc. Every receive has a timeout, so a lost message is an error
// (exit 3) rather than a hang.
#include "zmq_bench.hpp"

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>
#include <vector>

// The build names the implementation (bench_zmtp passes zmtp's own version; zmq_version()
// there reports the libzmq API level it mirrors).
#ifndef ZMQ_BENCH_IMPL
#define ZMQ_BENCH_IMPL "libzmq"
#endif

using namespace zmq_bench;

namespace {

/// ZMQ_BENCH_HWM=N in the environment: `option` (SNDHWM / RCVHWM) N on a PAIR throughput
/// socket, to see what a shallower pipeline does to large messages (payloads still in cache).
void set_bench_hwm(void* s, int option) {
    if (const char* n = std::getenv("ZMQ_BENCH_HWM"))
        set_int(s, option, std::atoi(n));
}

/// PAIR throughput: a sender thread connects and sends `count` messages; the receiver (bound)
/// times from the first message to the last, so count - 1 messages arrive in `seconds`.
void run_pair_thr(const std::string& transport, std::size_t size, long count) {
    void* ctx = new_context();
    void* rx = make_socket(ctx, ZMQ_PAIR);
    set_int(rx, ZMQ_RCVTIMEO, recv_timeout_ms);
    set_bench_hwm(rx, ZMQ_RCVHWM);
    const std::string endpoint = bind_socket(rx, transport, "pair");

    // The sender closes only after the receiver has everything: libzmq 4.3 can lose the tail
    // of a stream when a PAIR closes while the peer's RCVHWM holds its reader back (ipc seen
    // here; libzmq issue #4660), and linger is not what this measures.
    std::promise<void> received_all;
    std::thread sender([&, done = received_all.get_future()] {
        void* tx = make_socket(ctx, ZMQ_PAIR);
        set_bench_hwm(tx, ZMQ_SNDHWM);
        check(zmq_connect(tx, endpoint.c_str()), "zmq_connect");
        for (long i = 0; i < count; ++i)
            send_msg(tx, size);
        done.wait();
        zmq_close(tx);
    });

    zmq_msg_t msg;
    zmq_msg_init(&msg);
    bench_clock::time_point first;
    for (long received = 0; received < count; ++received) {
        recv_msg(rx, &msg, received, count);
        check_size(&msg, size);
        if (received == 0)
            first = bench_clock::now();
    }
    const double seconds = seconds_between(first, bench_clock::now());
    received_all.set_value();
    zmq_msg_close(&msg);
    sender.join();
    zmq_close(rx);
    check(zmq_ctx_term(ctx), "zmq_ctx_term");

    const double msgs_per_s = seconds > 0 ? static_cast<double>(count - 1) / seconds : 0;
    std::printf("mode=thr transport=%s pattern=pair subscribers=1 size=%zu count=%ld "
                "seconds=%.6f msgs_per_s=%.1f mb_per_s=%.3f\n",
                transport.c_str(), size, count, seconds, msgs_per_s,
                msgs_per_s * static_cast<double>(size) / 1e6);
}

/// What one subscriber saw: when its first data message and the end marker arrived.
struct subscriber_result {
    long received = 0;
    bench_clock::time_point first, end;
};

/// One SUB thread: subscribes to everything, acknowledges the first probe (empty message)
/// through `ready`, then counts data messages ('x') until the end marker ('e').
subscriber_result run_subscriber(void* ctx, const std::string& endpoint, std::size_t size,
                                 long count, std::atomic<int>& ready) {
    void* sub = make_socket(ctx, ZMQ_SUB);
    check(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0), "zmq_setsockopt(SUBSCRIBE)");
    set_int(sub, ZMQ_RCVTIMEO, recv_timeout_ms);
    check(zmq_connect(sub, endpoint.c_str()), "zmq_connect");
    subscriber_result r;
    bool acked = false;
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    for (;;) {
        recv_msg(sub, &msg, r.received, count);
        if (zmq_msg_size(&msg) == 0) { // a sync probe, possibly a late one
            if (!acked)
                ready.fetch_add(1);
            acked = true;
            continue;
        }
        check_size(&msg, size);
        if (*static_cast<const char*>(zmq_msg_data(&msg)) == 'e')
            break;
        if (r.received++ == 0)
            r.first = bench_clock::now();
    }
    r.end = bench_clock::now();
    zmq_msg_close(&msg);
    zmq_close(sub);
    return r;
}

/// PUB -> N SUB throughput. PUB binds and sets ZMQ_XPUB_NODROP, so at the HWM it blocks
/// instead of dropping; before timing it sends empty probes until every SUB has received one
/// (slow-joiner sync), then `count` data messages and one end marker. Each subscriber times
/// from its first data message to the end marker (count messages); the reported rate is per
/// subscriber over the union of those windows, and every subscriber must see all `count`.
void run_pubsub_thr(const std::string& transport, std::size_t size, long count, int nsubs) {
    if (size == 0)
        die(2, "pubsub needs size >= 1 (empty messages are probes)");
    void* ctx = new_context();
    void* pub = make_socket(ctx, ZMQ_PUB);
    set_int(pub, ZMQ_XPUB_NODROP, 1);
    const std::string endpoint = bind_socket(pub, transport, "pub");

    std::atomic<int> ready{0};
    std::vector<subscriber_result> results(static_cast<std::size_t>(nsubs));
    std::vector<std::thread> subs;
    for (auto& r : results)
        subs.emplace_back(
            [&, slot = &r] { *slot = run_subscriber(ctx, endpoint, size, count, ready); });

    const auto deadline = bench_clock::now() + std::chrono::milliseconds(recv_timeout_ms);
    while (ready.load() < nsubs) {
        if (bench_clock::now() > deadline)
            die(3, "only " + std::to_string(ready.load()) + " of " + std::to_string(nsubs) +
                       " subscribers joined");
        send_msg(pub, 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    for (long i = 0; i < count; ++i)
        send_msg(pub, size, 'x');
    send_msg(pub, size, 'e');
    for (auto& t : subs)
        t.join();
    zmq_close(pub);
    check(zmq_ctx_term(ctx), "zmq_ctx_term");

    auto first = results[0].first, end = results[0].end;
    for (const auto& r : results) {
        if (r.received != count)
            die(3, "a subscriber got " + std::to_string(r.received) + " of " +
                       std::to_string(count) + " messages");
        first = std::min(first, r.first);
        end = std::max(end, r.end);
    }
    const double seconds = seconds_between(first, end);
    const double msgs_per_s = seconds > 0 ? static_cast<double>(count) / seconds : 0;
    std::printf("mode=thr transport=%s pattern=pubsub subscribers=%d size=%zu count=%ld "
                "seconds=%.6f msgs_per_s=%.1f mb_per_s=%.3f total_msgs_per_s=%.1f\n",
                transport.c_str(), nsubs, size, count, seconds, msgs_per_s,
                msgs_per_s * static_cast<double>(size) / 1e6, msgs_per_s * nsubs);
}

/// PAIR latency: the client sends a message and waits for an echo thread to return it,
/// `roundtrips` times after a short untimed warm-up.
void run_lat(const std::string& transport, std::size_t size, long roundtrips) {
    const long warmup = 100, total = warmup + roundtrips;
    void* ctx = new_context();
    void* server = make_socket(ctx, ZMQ_PAIR);
    set_int(server, ZMQ_RCVTIMEO, recv_timeout_ms);
    const std::string endpoint = bind_socket(server, transport, "lat");

    std::thread echo([&] {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        for (long i = 0; i < total; ++i) {
            recv_msg(server, &msg, i, total);
            check(zmq_msg_send(&msg, server, 0), "zmq_msg_send");
        }
        zmq_msg_close(&msg);
    });

    void* client = make_socket(ctx, ZMQ_PAIR);
    set_int(client, ZMQ_RCVTIMEO, recv_timeout_ms);
    check(zmq_connect(client, endpoint.c_str()), "zmq_connect");
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    std::vector<double> usec; // each timed round trip
    usec.reserve(static_cast<std::size_t>(roundtrips));
    bench_clock::time_point start;
    for (long i = 0; i < total; ++i) {
        const auto before = bench_clock::now();
        if (i == warmup)
            start = before;
        send_msg(client, size);
        recv_msg(client, &msg, i, total);
        check_size(&msg, size);
        if (i >= warmup)
            usec.push_back(seconds_between(before, bench_clock::now()) * 1e6);
    }
    const double seconds = seconds_between(start, bench_clock::now());
    zmq_msg_close(&msg);
    echo.join();
    zmq_close(client);
    zmq_close(server);
    check(zmq_ctx_term(ctx), "zmq_ctx_term");

    std::sort(usec.begin(), usec.end());
    auto percentile = [&](double p) {
        const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(usec.size() - 1));
        return usec[i];
    };
    std::printf("mode=lat transport=%s pattern=pair size=%zu roundtrips=%ld seconds=%.6f "
                "usec_per_roundtrip=%.3f p50_usec=%.3f p99_usec=%.3f p999_usec=%.3f\n",
                transport.c_str(), size, roundtrips, seconds,
                seconds * 1e6 / static_cast<double>(roundtrips), percentile(50),
                percentile(99), percentile(99.9));
}

int usage() {
    std::fprintf(stderr, "usage: zmq_bench thr tcp|ipc|inproc pair <size> <count>\n"
                         "       zmq_bench thr tcp|ipc|inproc pubsub <size> <count> [subs]\n"
                         "       zmq_bench lat tcp|ipc|inproc pair <size> <roundtrips>\n"
                         "       zmq_bench idle tcp|ipc|inproc pubsub <size> <subscribers>\n"
                         "       zmq_bench fresh tcp|ipc pubsub 0 <subscribers>\n"
                         "       zmq_bench queue tcp|ipc|inproc pair <size> <count>\n"
                         "       zmq_bench version\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "version") == 0) {
        int major, minor, patch;
        zmq_version(&major, &minor, &patch);
        std::printf("impl=%s api=%d.%d.%d\n", ZMQ_BENCH_IMPL, major, minor, patch);
        return 0;
    }
    if (argc != 6 && argc != 7)
        return usage();
    const std::string mode = argv[1], transport = argv[2], pattern = argv[3];
    const long size = std::atol(argv[4]), count = std::atol(argv[5]);
    const int subscribers = argc == 7 ? std::atoi(argv[6]) : 1;
    if (size < 0 || count < 1 || subscribers < 1 || subscribers > 64)
        return usage();
    const auto usize = static_cast<std::size_t>(size);
    if (mode == "idle" && pattern == "pubsub" && argc == 6)
        run_idle(transport, usize, count);
    else if (mode == "fresh" && pattern == "pubsub" && argc == 6)
        run_fresh(transport, count);
    else if (mode == "queue" && pattern == "pair" && argc == 6)
        run_queue(transport, usize, count);
    else if (count < 2)
        return usage();
    else if (mode == "thr" && pattern == "pair" && argc == 6)
        run_pair_thr(transport, usize, count);
    else if (mode == "thr" && pattern == "pubsub")
        run_pubsub_thr(transport, usize, count, subscribers);
    else if (mode == "lat" && pattern == "pair" && argc == 6)
        run_lat(transport, usize, count);
    else
        return usage();
    return 0;
}
