// zmq_bench memory modes: resident memory per idle connection and per queued message.
#include "zmq_bench.hpp"

#include <algorithm>
#include <sys/resource.h>
#include <thread>
#include <vector>

namespace zmq_bench {

namespace {
/// Resident memory of this process, in bytes (from /proc/self/statm).
double resident_bytes() {
    long pages_total = 0, pages_resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2)
            pages_resident = 0;
        std::fclose(f);
    }
    return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

/// Raises the descriptor limit to the hard limit (N idle connections need about 3N).
void raise_fd_limit() {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

/// Resident memory once it has stopped changing for three 50 ms samples in a row (the I/O
/// thread may still be finishing what the caller waited for on the other end).
double settled_resident_bytes() {
    double last = resident_bytes();
    for (int stable = 0; stable < 3;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        const double now = resident_bytes();
        stable = now == last ? stable + 1 : 0;
        last = now;
    }
    return last;
}

/// Waits for `n` ZMQ_EVENT_HANDSHAKE_SUCCEEDED events on `monitor` (a PAIR connected to a
/// zmq_socket_monitor endpoint asking for that event only).
void await_handshakes(void* monitor, long n) {
    zmq_msg_t frame;
    zmq_msg_init(&frame);
    for (long got = 0; got < n; ++got) {
        recv_msg(monitor, &frame, got, n); // event number and value
        recv_msg(monitor, &frame, got, n); // endpoint
    }
    zmq_msg_close(&frame);
}

} // namespace

/// N connections that never carried a message: one PUB (monitored for handshakes) and N SUB
/// sockets that subscribe to nothing, so not one message — subscription or data — crosses
/// any of them. Reports the resident memory the N SUB sockets and both ends of their
/// connections added, per connection, once the PUB has seen every handshake complete (libzmq's
/// pipes allocate their chunks at creation or first write, ours on first write).
void run_fresh(const std::string& transport, long nsubs) {
    raise_fd_limit();
    void* ctx = new_context();
    void* pub = make_socket(ctx, ZMQ_PUB);
    set_int(pub, ZMQ_BACKLOG, static_cast<int>(nsubs));
    const std::string endpoint = bind_socket(pub, transport, "fresh");
    check(
        zmq_socket_monitor(pub, "inproc://zmq_bench_fresh_monitor", ZMQ_EVENT_HANDSHAKE_SUCCEEDED),
        "zmq_socket_monitor");
    void* monitor = make_socket(ctx, ZMQ_PAIR);
    set_int(monitor, ZMQ_RCVTIMEO, recv_timeout_ms);
    check(zmq_connect(monitor, "inproc://zmq_bench_fresh_monitor"), "zmq_connect(monitor)");
    // One connection first, not counted: the I/O thread and the allocator warm up.
    void* first = make_socket(ctx, ZMQ_SUB);
    check(zmq_connect(first, endpoint.c_str()), "zmq_connect");
    await_handshakes(monitor, 1);

    const double before = settled_resident_bytes();
    const auto start = bench_clock::now();
    std::vector<void*> subs;
    for (long i = 0; i < nsubs; ++i) {
        void* sub = make_socket(ctx, ZMQ_SUB);
        check(zmq_connect(sub, endpoint.c_str()), "zmq_connect");
        subs.push_back(sub);
    }
    await_handshakes(monitor, nsubs);
    const double join_seconds = seconds_between(start, bench_clock::now());
    const double after = settled_resident_bytes();

    subs.push_back(first);
    for (void* sub : subs) {
        set_int(sub, ZMQ_LINGER, 0);
        zmq_close(sub);
    }
    set_int(monitor, ZMQ_LINGER, 0);
    zmq_close(monitor);
    set_int(pub, ZMQ_LINGER, 0);
    zmq_close(pub);
    check(zmq_ctx_term(ctx), "zmq_ctx_term");
    std::printf("mode=fresh transport=%s pattern=pubsub subscribers=%ld bytes_per_conn=%.0f "
                "join_seconds=%.4f\n",
                transport.c_str(), nsubs, (after - before) / static_cast<double>(nsubs),
                join_seconds);
}

/// N idle connections on one PUB: N SUB sockets (one thread) subscribe to everything and
/// connect; the PUB sends empty probes until each has one (every connection is up). Reports the
/// resident memory the N SUB sockets and their connections added, per connection (both ends,
/// in this one process), the time until all had joined, and the median over 11 rounds of the
/// time from sending one `size`-byte message until the last SUB has received it.
void run_idle(const std::string& transport, std::size_t size, long nsubs) {
    if (size == 0)
        die(2, "idle needs size >= 1 (empty messages are probes)");
    raise_fd_limit();
    void* ctx = new_context();
    void* pub = make_socket(ctx, ZMQ_PUB);
    set_int(pub, ZMQ_BACKLOG, static_cast<int>(nsubs)); // libzmq's default (100) refuses more
    const std::string endpoint = bind_socket(pub, transport, "idle");
    send_msg(pub, 0); // the I/O threads and the PUB's first send are not what this measures
    std::this_thread::sleep_for(std::chrono::milliseconds(50));

    const double before = resident_bytes();
    const auto start = bench_clock::now();
    std::vector<void*> subs;
    for (long i = 0; i < nsubs; ++i) {
        void* sub = make_socket(ctx, ZMQ_SUB);
        check(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0), "zmq_setsockopt(SUBSCRIBE)");
        check(zmq_connect(sub, endpoint.c_str()), "zmq_connect");
        subs.push_back(sub);
    }
    std::vector<char> joined(subs.size(), 0);
    long njoined = 0;
    const auto deadline = bench_clock::now() + std::chrono::milliseconds(recv_timeout_ms * 3);
    char buf[16];
    while (njoined < nsubs) {
        if (bench_clock::now() > deadline)
            die(3, "only " + std::to_string(njoined) + " of " + std::to_string(nsubs) +
                       " subscribers joined");
        send_msg(pub, 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        for (std::size_t i = 0; i < subs.size(); ++i)
            while (zmq_recv(subs[i], buf, sizeof buf, ZMQ_DONTWAIT) >= 0)
                if (!joined[i]) {
                    joined[i] = 1;
                    ++njoined;
                }
    }
    const double join_seconds = seconds_between(start, bench_clock::now());
    std::this_thread::sleep_for(std::chrono::milliseconds(100)); // late probes arrive
    const double after = resident_bytes();

    std::vector<double> fanout;
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    for (int round = 0; round < 11; ++round) {
        for (void* sub : subs) // drop late probes
            while (zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT) >= 0) {
            }
        const auto t0 = bench_clock::now();
        send_msg(pub, size);
        for (void* sub : subs) {
            set_int(sub, ZMQ_RCVTIMEO, recv_timeout_ms);
            do
                recv_msg(sub, &msg, round, 11);
            while (zmq_msg_size(&msg) == 0);
            check_size(&msg, size);
        }
        fanout.push_back(seconds_between(t0, bench_clock::now()) * 1e6);
    }
    zmq_msg_close(&msg);
    std::sort(fanout.begin(), fanout.end());
    for (void* sub : subs) {
        set_int(sub, ZMQ_LINGER, 0);
        zmq_close(sub);
    }
    set_int(pub, ZMQ_LINGER, 0);
    zmq_close(pub);
    check(zmq_ctx_term(ctx), "zmq_ctx_term");
    std::printf("mode=idle transport=%s pattern=pubsub size=%zu subscribers=%ld "
                "bytes_per_conn=%.0f join_seconds=%.4f fanout_usec=%.1f\n",
                transport.c_str(), size, nsubs, (after - before) / static_cast<double>(nsubs),
                join_seconds, fanout[fanout.size() / 2]);
}

/// Memory per queued message: a PAIR sends `count` messages of `size` bytes with both HWMs
/// unlimited while its peer reads none, then the growth of resident memory is divided by
/// `count`. inproc: every message sits in the pipe. tcp/ipc: in the pipes, the kernel's socket
/// buffers (not resident memory) and the engines' buffers, once the reading side is idle.
void run_queue(const std::string& transport, std::size_t size, long count) {
    void* ctx = new_context();
    void* rx = make_socket(ctx, ZMQ_PAIR);
    set_int(rx, ZMQ_RCVHWM, 0);
    set_int(rx, ZMQ_RCVTIMEO, recv_timeout_ms);
    const std::string endpoint = bind_socket(rx, transport, "queue");
    void* tx = make_socket(ctx, ZMQ_PAIR);
    set_int(tx, ZMQ_SNDHWM, 0);
    check(zmq_connect(tx, endpoint.c_str()), "zmq_connect");
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    send_msg(tx, size); // connection up, first allocations made
    recv_msg(rx, &msg, 0, 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));

    const double before = resident_bytes();
    for (long i = 0; i < count; ++i)
        send_msg(tx, size);
    // Wait until the stream has settled (tcp/ipc: the receiver's I/O thread has read it all).
    const double after = settled_resident_bytes();
    for (long i = 0; i < count; ++i) { // everything is there
        recv_msg(rx, &msg, i, count);
        check_size(&msg, size);
    }
    zmq_msg_close(&msg);
    zmq_close(tx);
    zmq_close(rx);
    check(zmq_ctx_term(ctx), "zmq_ctx_term");
    std::printf("mode=queue transport=%s pattern=pair size=%zu count=%ld bytes_per_msg=%.1f\n",
                transport.c_str(), size, count, (after - before) / static_cast<double>(count));
}

} // namespace zmq_bench
