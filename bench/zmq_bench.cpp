// zmq_bench: one benchmark written against zmq.h only, built twice — bench_zmtp (zmtp's C API)
// and bench_libzmq (the real libzmq) — so both run exactly the same code. Each run prints one
// line of key=value pairs for bench/run_bench.py.
//
//   bench_X thr <transport> <pattern> <size> <count>       throughput, sender thread -> receiver
//   bench_X lat <transport> <pattern> <size> <roundtrips>  mean round trip, echo thread
//
// transport: tcp | ipc | inproc      pattern: pair | pubsub (throughput only)
#include <zmq.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

using bench_clock = std::chrono::steady_clock;

/// Which socket types send and receive for a pattern name.
struct pattern {
    const char* name;
    int sender_type;
    int receiver_type;
};
constexpr pattern patterns[] = {{"pair", ZMQ_PAIR, ZMQ_PAIR}, {"pubsub", ZMQ_PUB, ZMQ_SUB}};

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "zmq_bench: %s: %s\n", what, zmq_strerror(zmq_errno()));
    std::exit(2);
}
void check(int rc, const char* what) {
    if (rc == -1)
        fail(what);
}
void* make_socket(void* ctx, int type) {
    void* s = zmq_socket(ctx, type);
    if (s == nullptr)
        fail("zmq_socket");
    return s;
}
void set_int(void* s, int option, int value) {
    check(zmq_setsockopt(s, option, &value, sizeof value), "zmq_setsockopt");
}

/// The address to bind for a transport; tcp takes an ephemeral port.
std::string bind_address(const std::string& transport, const char* tag) {
    if (transport == "tcp")
        return "tcp://127.0.0.1:*";
    if (transport == "ipc")
        return "ipc:///tmp/zmq_bench_" + std::to_string(getpid()) + "_" + tag + ".ipc";
    if (transport == "inproc")
        return std::string("inproc://zmq_bench_") + tag;
    std::fprintf(stderr, "zmq_bench: unknown transport '%s'\n", transport.c_str());
    std::exit(2);
}

/// Binds `s` and returns the endpoint peers connect to (the real port for tcp).
std::string bind_socket(void* s, const std::string& transport, const char* tag) {
    check(zmq_bind(s, bind_address(transport, tag).c_str()), "zmq_bind");
    char endpoint[256];
    std::size_t size = sizeof endpoint;
    check(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, endpoint, &size), "zmq_getsockopt");
    return endpoint;
}

/// Sends one message of `size` bytes. The payload is written, as an application would: left
/// untouched, fresh heap pages would be faulted in by the kernel inside send().
void send_msg(void* s, std::size_t size) {
    zmq_msg_t msg;
    check(zmq_msg_init_size(&msg, size), "zmq_msg_init_size");
    std::memset(zmq_msg_data(&msg), 'x', size);
    check(zmq_msg_send(&msg, s, 0), "zmq_msg_send");
}

/// PUB drops messages until the subscription arrives: the sender publishes empty probes until
/// the receiver acknowledges one on a side PAIR channel. Data messages are never empty.
void pubsub_sync_sender(void* ctx, void* pub, const std::string& ctl_endpoint) {
    void* ctl = make_socket(ctx, ZMQ_PAIR);
    set_int(ctl, ZMQ_RCVTIMEO, 1);
    check(zmq_connect(ctl, ctl_endpoint.c_str()), "zmq_connect");
    char ack;
    do {
        send_msg(pub, 0);
    } while (zmq_recv(ctl, &ack, 1, 0) == -1);
    zmq_close(ctl);
}
void pubsub_sync_receiver(void* sub, void* ctl) {
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    do {
        check(zmq_msg_recv(&msg, sub, 0), "zmq_msg_recv");
    } while (zmq_msg_size(&msg) != 0);
    zmq_msg_close(&msg);
    check(zmq_send(ctl, "k", 1, 0), "zmq_send");
}

/// Throughput: a sender thread connects and sends `count` messages; the receiver (bound)
/// times from the first message to the last.
void run_thr(const std::string& transport, const pattern& p, std::size_t size, long count) {
    const bool pubsub = p.sender_type == ZMQ_PUB;
    if (pubsub && size == 0) {
        std::fprintf(stderr, "zmq_bench: pubsub needs size >= 1 (empty frames are probes)\n");
        std::exit(2);
    }
    void* ctx = zmq_ctx_new();
    void* rx = make_socket(ctx, p.receiver_type);
    if (pubsub)
        check(zmq_setsockopt(rx, ZMQ_SUBSCRIBE, "", 0), "zmq_setsockopt(SUBSCRIBE)");
    const std::string endpoint = bind_socket(rx, transport, "data");
    void* ctl = pubsub ? make_socket(ctx, ZMQ_PAIR) : nullptr;
    const std::string ctl_endpoint = pubsub ? bind_socket(ctl, transport, "ctl") : "";

    std::thread sender([&] {
        void* tx = make_socket(ctx, p.sender_type);
        if (pubsub)
            set_int(tx, ZMQ_XPUB_NODROP, 1); // block at HWM instead of dropping
        check(zmq_connect(tx, endpoint.c_str()), "zmq_connect");
        if (pubsub)
            pubsub_sync_sender(ctx, tx, ctl_endpoint);
        for (long i = 0; i < count; ++i)
            send_msg(tx, size);
        zmq_close(tx); // LINGER -1: zmq_ctx_term below waits until everything is delivered
    });

    if (pubsub)
        pubsub_sync_receiver(rx, ctl);
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    bench_clock::time_point first, last;
    for (long received = 0; received < count;) {
        check(zmq_msg_recv(&msg, rx, 0), "zmq_msg_recv");
        if (zmq_msg_size(&msg) == 0 && pubsub)
            continue; // a late sync probe
        if (zmq_msg_size(&msg) != size) {
            std::fprintf(stderr, "zmq_bench: got %zu bytes, expected %zu\n", zmq_msg_size(&msg),
                         size);
            std::exit(3);
        }
        if (received++ == 0)
            first = bench_clock::now();
    }
    last = bench_clock::now();
    zmq_msg_close(&msg);
    sender.join();
    zmq_close(rx);
    if (ctl)
        zmq_close(ctl);
    check(zmq_ctx_term(ctx), "zmq_ctx_term");

    // The clock starts at the first message, so count - 1 messages arrive in `seconds`.
    const double seconds = std::chrono::duration<double>(last - first).count();
    const double msgs_per_s = seconds > 0 ? (count - 1) / seconds : 0;
    std::printf("mode=thr transport=%s pattern=%s size=%zu count=%ld seconds=%.6f "
                "msgs_per_s=%.1f mb_per_s=%.3f\n",
                transport.c_str(), p.name, size, count, seconds, msgs_per_s,
                msgs_per_s * static_cast<double>(size) / 1e6);
}

/// Latency: the client sends a message and waits for an echo thread to return it, `roundtrips`
/// times after a short untimed warm-up.
void run_lat(const std::string& transport, const pattern& p, std::size_t size, long roundtrips) {
    if (p.sender_type != ZMQ_PAIR) {
        std::fprintf(stderr, "zmq_bench: lat supports pattern pair only\n");
        std::exit(2);
    }
    const long warmup = 100;
    void* ctx = zmq_ctx_new();
    void* server = make_socket(ctx, ZMQ_PAIR);
    const std::string endpoint = bind_socket(server, transport, "lat");

    std::thread echo([&] {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        for (long i = 0; i < warmup + roundtrips; ++i) {
            check(zmq_msg_recv(&msg, server, 0), "zmq_msg_recv");
            check(zmq_msg_send(&msg, server, 0), "zmq_msg_send");
        }
        zmq_msg_close(&msg);
    });

    void* client = make_socket(ctx, ZMQ_PAIR);
    check(zmq_connect(client, endpoint.c_str()), "zmq_connect");
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    bench_clock::time_point start;
    for (long i = 0; i < warmup + roundtrips; ++i) {
        if (i == warmup)
            start = bench_clock::now();
        send_msg(client, size);
        check(zmq_msg_recv(&msg, client, 0), "zmq_msg_recv");
        if (zmq_msg_size(&msg) != size) {
            std::fprintf(stderr, "zmq_bench: echo has %zu bytes, expected %zu\n",
                         zmq_msg_size(&msg), size);
            std::exit(3);
        }
    }
    const double seconds = std::chrono::duration<double>(bench_clock::now() - start).count();
    zmq_msg_close(&msg);
    echo.join();
    zmq_close(client);
    zmq_close(server);
    check(zmq_ctx_term(ctx), "zmq_ctx_term");

    std::printf("mode=lat transport=%s pattern=%s size=%zu roundtrips=%ld seconds=%.6f "
                "usec_per_roundtrip=%.3f\n",
                transport.c_str(), p.name, size, roundtrips, seconds,
                seconds * 1e6 / static_cast<double>(roundtrips));
}

int usage() {
    std::fprintf(stderr, "usage: zmq_bench thr|lat tcp|ipc|inproc pair|pubsub <size> <count>\n"
                         "       zmq_bench version\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "version") == 0) {
        int major, minor, patch;
        zmq_version(&major, &minor, &patch);
        std::printf("version=%d.%d.%d\n", major, minor, patch);
        return 0;
    }
    if (argc != 6)
        return usage();
    const std::string mode = argv[1], transport = argv[2];
    const pattern* p = nullptr;
    for (const pattern& candidate : patterns)
        if (std::strcmp(candidate.name, argv[3]) == 0)
            p = &candidate;
    const long size = std::atol(argv[4]), count = std::atol(argv[5]);
    if (p == nullptr || size < 0 || count < 2)
        return usage();
    if (mode == "thr")
        run_thr(transport, *p, static_cast<std::size_t>(size), count);
    else if (mode == "lat")
        run_lat(transport, *p, static_cast<std::size_t>(size), count);
    else
        return usage();
    return 0;
}
