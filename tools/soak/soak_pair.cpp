// PAIR workloads of the soak: long-lived streams (tcp, ipc) with sequence numbers that must
// arrive exactly once and in order, and connection churn (bind/connect/exchange/close cycles
// over tcp, ipc and inproc, some on a fresh context, some abandoned with unread messages).
#include "soak_workloads.hpp"

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace soak {
namespace {

// Sizes vary so the stream crosses the small-message and large-body paths of the engine.
size_t body_size(uint64_t seq) {
    if (seq % 4096 == 4095)
        return 256 * 1024;
    if (seq % 64 == 63)
        return 4096;
    return 16 + seq % 48;
}
char fill_byte(uint64_t seq) { return static_cast<char>('a' + seq % 26); }

// One message: [seq][body] and, every 17th, a second part [~seq] (multipart stays atomic).
bool send_one(void *s, uint64_t seq) {
    std::vector<char> buf(sizeof seq + body_size(seq), fill_byte(seq));
    std::memcpy(buf.data(), &seq, sizeof seq);
    bool two = seq % 17 == 0;
    if (zmq_send(s, buf.data(), buf.size(), two ? ZMQ_SNDMORE : 0) < 0)
        return false;
    if (two) {
        uint64_t inv = ~seq;
        // Once the first part is queued the second cannot block (the message is admitted).
        while (zmq_send(s, &inv, sizeof inv, 0) < 0)
            if (zmq_errno() != EAGAIN) {
                fail("pair stream: second part of %llu: %s", (unsigned long long)seq,
                     zmq_strerror(zmq_errno()));
                return true;
            }
    }
    return true;
}

// Checks one received message against the expected sequence number; false on EAGAIN.
bool recv_one(void *s, uint64_t expect, const char *what) {
    zmq_msg_t m;
    zmq_msg_init(&m);
    if (zmq_msg_recv(&m, s, 0) < 0) {
        zmq_msg_close(&m);
        return false;
    }
    uint64_t seq = ~0ull;
    size_t size = zmq_msg_size(&m);
    if (size >= sizeof seq)
        std::memcpy(&seq, zmq_msg_data(&m), sizeof seq);
    if (seq != expect)
        fail("%s: expected message %llu, got %llu (size %zu): lost, duplicated or reordered",
             what, (unsigned long long)expect, (unsigned long long)seq, size);
    else if (size != sizeof seq + body_size(seq) ||
             static_cast<char *>(zmq_msg_data(&m))[size - 1] != fill_byte(seq))
        fail("%s: message %llu has a wrong size or body", what, (unsigned long long)seq);
    bool more = zmq_msg_more(&m);
    zmq_msg_close(&m);
    if (seq % 17 == 0) {
        uint64_t inv = 0;
        if (!more || zmq_recv(s, &inv, sizeof inv, 0) != sizeof inv || inv != ~seq)
            fail("%s: message %llu lost its second part", what, (unsigned long long)seq);
    } else if (more) {
        fail("%s: message %llu has an unexpected second part", what, (unsigned long long)seq);
    }
    return true;
}

}  // namespace

void pair_stream(void *ctx, const char *endpoint, const char *name) {
    void *server = zmq_socket(ctx, ZMQ_PAIR);
    void *client = zmq_socket(ctx, ZMQ_PAIR);
    set_int(server, ZMQ_RCVTIMEO, 200);
    set_int(client, ZMQ_SNDTIMEO, 200);
    std::string ep = bind_any(server, endpoint);
    if (zmq_connect(client, ep.c_str()) != 0)
        fail("%s: connect %s: %s", name, ep.c_str(), zmq_strerror(zmq_errno()));

    std::atomic<uint64_t> sent{0};
    std::atomic<bool> sender_done{false};
    std::thread sender([&] {
        uint64_t seq = 0;
        while (!g_stop.load()) {
            for (int i = 0; i < 50 && !g_stop.load(); ++i) {
                if (!send_one(client, seq))
                    break;  // EAGAIN at the HWM: the same seq is sent again (no loss)
                sent.store(++seq);
            }
            pause_ms(1);
        }
        sender_done.store(true);
    });

    uint64_t expect = 0;
    auto last_progress = std::chrono::steady_clock::now();
    // After the stop, drain until everything sent has arrived: nothing may be missing.
    while (!sender_done.load() || expect < sent.load()) {
        if (recv_one(server, expect, name)) {
            ++expect;
            g_count.pair_stream_msgs.fetch_add(1);
            last_progress = std::chrono::steady_clock::now();
        } else if (std::chrono::steady_clock::now() - last_progress > std::chrono::seconds(20)) {
            fail("%s: no message for 20 s (received %llu of %llu)", name,
                 (unsigned long long)expect, (unsigned long long)sent.load());
            break;
        }
    }
    sender.join();
    set_int(client, ZMQ_LINGER, 0);
    zmq_close(client);
    zmq_close(server);
}

namespace {

// One churn cycle: a bound and a connected PAIR exchange 50 messages each way, in order.
void churn_cycle(void *ctx, uint64_t n) {
    static const char *kinds[] = {"tcp://127.0.0.1:*", "ipc://*", "inproc://soak-churn-%llu"};
    int kind = static_cast<int>(n % 3);
    char inproc[64];
    std::snprintf(inproc, sizeof inproc, kinds[2], (unsigned long long)n);
    const char *endpoint = kind == 2 ? inproc : kinds[kind];

    void *server = zmq_socket(ctx, ZMQ_PAIR);
    void *client = zmq_socket(ctx, ZMQ_PAIR);
    for (void *s : {server, client}) {
        set_int(s, ZMQ_RCVTIMEO, 10000);
        set_int(s, ZMQ_SNDTIMEO, 10000);
        set_int(s, ZMQ_LINGER, n % 2 ? 0 : 1000);
    }
    // inproc cycles connect before the bind (the pending connect must attach later).
    if (kind == 2 && zmq_connect(client, endpoint) != 0)
        fail("churn: connect %s before bind: %s", endpoint, zmq_strerror(zmq_errno()));
    std::string ep = bind_any(server, endpoint);
    if (kind != 2 && zmq_connect(client, ep.c_str()) != 0)
        fail("churn: connect %s: %s", ep.c_str(), zmq_strerror(zmq_errno()));

    bool abandon = n % 5 == 4;  // the client sends, and both close with it unread
    int count = abandon ? 200 : 50;
    for (int i = 0; i < count; ++i)
        if (zmq_send(client, frame("c", i).data(), 9, 0) != 9)
            fail("churn cycle %llu (%s): send %d: %s", (unsigned long long)n, endpoint, i,
                 zmq_strerror(zmq_errno()));
    if (!abandon) {
        for (int i = 0; i < count; ++i) {
            char buf[16];
            uint64_t seq = ~0ull;
            int got = zmq_recv(server, buf, sizeof buf, 0);
            if (got < 0 || !parse(buf, static_cast<size_t>(got), 1, seq) || seq != uint64_t(i)) {
                fail("churn cycle %llu (%s): message %d: got %d bytes, seq %llu",
                     (unsigned long long)n, endpoint, i, got, (unsigned long long)seq);
                break;
            }
            g_count.pair_churn_msgs.fetch_add(1);
        }
        // And one reply the other way, so both directions of every connection carry data.
        if (zmq_send(server, "r", 1, 0) != 1 || zmq_recv(client, inproc, sizeof inproc, 0) != 1)
            fail("churn cycle %llu (%s): reply lost", (unsigned long long)n, endpoint);
    }
    // Half the cycles close the client first (the server sees the peer vanish), half the server.
    if (n % 4 < 2) {
        zmq_close(client);
        zmq_close(server);
    } else {
        zmq_close(server);
        zmq_close(client);
    }
    g_count.pair_churn_cycles.fetch_add(1);
}

}  // namespace

void pair_churn(void *ctx) {
    for (uint64_t n = 0; !g_stop.load(); ++n) {
        if (n % 25 == 24) {  // a fresh context: its I/O threads and fds must all go at term
            void *fresh = zmq_ctx_new();
            churn_cycle(fresh, n);
            if (zmq_ctx_term(fresh) != 0)
                fail("churn: zmq_ctx_term: %s", zmq_strerror(zmq_errno()));
            g_count.ctx_cycles.fetch_add(1);
        } else {
            churn_cycle(ctx, n);
        }
        pause_ms(2);
    }
}

}  // namespace soak
