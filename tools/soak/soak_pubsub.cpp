// PUB/SUB workloads of the soak. One PUB (tcp and ipc) publishes three kinds of topic:
//   "A:"      paced by credit from one subscriber: at most kWindow messages are ever in flight,
//             less than either HWM, so the HWM rules allow no loss at all: every one must arrive,
//             once, in order;
//   "B:"      free-running: read by a slow subscriber and by subscribers that come and vanish;
//             they may lose messages (their queue is at its HWM) but never get one twice or out
//             of order;
//   "T00:".."T15:"  for a subscriber that keeps subscribing and unsubscribing; it never
//             subscribes to T12..T15, so a message of those topics reaching it is a filter bug.
#include "soak_workloads.hpp"

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

namespace soak {
namespace {

constexpr int kHwm = 1000;
constexpr uint64_t kWindow = 400;  // A messages in flight at most (< kHwm on both sides)
constexpr uint64_t kAckEvery = 50;
constexpr int kTopics = 16;
constexpr int kChurnTopics = 12;  // T12..T15 are never subscribed by the churning SUB

std::string topic_t(int k) {
    char t[8];
    std::snprintf(t, sizeof t, "T%02d:", k);
    return t;
}

bool send_str(void *s, const std::string &m) {
    return zmq_send(s, m.data(), m.size(), ZMQ_DONTWAIT) == static_cast<int>(m.size());
}

// Receives one message of `topic` (RCVTIMEO applies); false on timeout.
bool recv_seq(void *s, const std::string &topic, uint64_t &seq, const char *who) {
    char buf[32];
    int got = zmq_recv(s, buf, sizeof buf, 0);
    if (got < 0)
        return false;
    if (static_cast<size_t>(got) < topic.size() || std::memcmp(buf, topic.data(), topic.size()) ||
        !parse(buf, static_cast<size_t>(got), topic.size(), seq))
        fail("%s: a message (%d bytes) that is not %s<seq>", who, got, topic.c_str());
    return true;
}

}  // namespace

PubEndpoints publisher_start(void *ctx, void *&pub, void *&acks) {
    pub = zmq_socket(ctx, ZMQ_PUB);
    set_int(pub, ZMQ_SNDHWM, kHwm);
    set_int(pub, ZMQ_LINGER, 0);
    PubEndpoints eps;
    eps.tcp = bind_any(pub, "tcp://127.0.0.1:*");
    eps.ipc = bind_any(pub, "ipc://*");
    acks = zmq_socket(ctx, ZMQ_PAIR);
    eps.acks = bind_any(acks, "inproc://soak-acks");
    return eps;
}

void publisher_run(void *pub, void *acks) {
    uint64_t next_a = 0, next_b = 0, next_t[kTopics] = {};
    bool acked_any = false;
    uint64_t acked = 0;
    auto last_probe = std::chrono::steady_clock::now();
    while (!g_stop.load()) {
        uint64_t a;
        while (zmq_recv(acks, &a, sizeof a, ZMQ_DONTWAIT) == sizeof a) {
            acked_any = true;
            acked = a > acked ? a : acked;
        }
        // Before the first ack the subscription may not have arrived yet: one probe per 10 ms.
        // After it, credit: never more than kWindow past what the subscriber has confirmed.
        if (!acked_any) {
            if (std::chrono::steady_clock::now() - last_probe > std::chrono::milliseconds(10)) {
                last_probe = std::chrono::steady_clock::now();
                if (send_str(pub, frame("A:", next_a)))
                    ++next_a;
            }
        } else {
            for (int i = 0; i < 100 && next_a <= acked + kWindow; ++i)
                if (send_str(pub, frame("A:", next_a)))
                    ++next_a;
        }
        for (int i = 0; i < 50; ++i)
            if (send_str(pub, frame("B:", next_b)))
                ++next_b;
        for (int k = 0; k < kTopics; ++k)
            if (send_str(pub, frame(topic_t(k), next_t[k])))
                ++next_t[k];
        g_count.pub_sent.store(next_a + next_b);
        pause_ms(1);
    }
    zmq_close(acks);
    zmq_close(pub);
}

void sub_lossless(void *ctx, const PubEndpoints &eps) {
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    set_int(sub, ZMQ_RCVHWM, kHwm);
    set_int(sub, ZMQ_RCVTIMEO, 200);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "A:", 2);
    zmq_connect(sub, eps.tcp.c_str());
    void *ack = zmq_socket(ctx, ZMQ_PAIR);
    zmq_connect(ack, eps.acks.c_str());
    bool first = true;
    uint64_t expect = 0;
    auto last = std::chrono::steady_clock::now();
    while (!g_stop.load()) {
        uint64_t seq = 0;
        if (!recv_seq(sub, "A:", seq, "lossless SUB")) {
            if (std::chrono::steady_clock::now() - last > std::chrono::seconds(20)) {
                fail("lossless SUB: no message for 20 s after %llu", (unsigned long long)expect);
                last = std::chrono::steady_clock::now();
            }
            continue;
        }
        last = std::chrono::steady_clock::now();
        // Probes before the subscription arrived may be lost; from the first one on, none.
        if (!first && seq != expect)
            fail("lossless SUB: expected A %llu, got %llu (inside the credit window: no loss "
                 "allowed)", (unsigned long long)expect, (unsigned long long)seq);
        first = false;
        expect = seq + 1;
        g_count.sub_lossless_msgs.fetch_add(1);
        if (seq % kAckEvery == 0 || g_count.sub_lossless_msgs.load() == 1)
            zmq_send(ack, &seq, sizeof seq, 0);
    }
    zmq_close(ack);
    zmq_close(sub);
}

void sub_slow(void *ctx, const PubEndpoints &eps) {
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    set_int(sub, ZMQ_RCVHWM, 100);
    set_int(sub, ZMQ_RCVBUF, 4096);  // little in the kernel: the queues reach their HWM soon
    set_int(sub, ZMQ_RCVTIMEO, 200);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "B:", 2);
    zmq_connect(sub, eps.ipc.c_str());
    int burst = 0;
    bool first = true;
    uint64_t last_seq = 0;
    auto last = std::chrono::steady_clock::now();
    while (!g_stop.load()) {
        uint64_t seq = 0;
        if (!recv_seq(sub, "B:", seq, "slow SUB")) {
            if (std::chrono::steady_clock::now() - last > std::chrono::seconds(20)) {
                fail("slow SUB: no message for 20 s");
                last = std::chrono::steady_clock::now();
            }
            continue;
        }
        last = std::chrono::steady_clock::now();
        if (!first && seq <= last_seq)
            fail("slow SUB: B %llu after %llu (duplicate or out of order)",
                 (unsigned long long)seq, (unsigned long long)last_seq);
        if (!first && seq > last_seq + 1)
            g_count.sub_slow_dropped.fetch_add(seq - last_seq - 1);
        first = false;
        last_seq = seq;
        g_count.sub_slow_msgs.fetch_add(1);
        if (++burst % 10 == 0)
            pause_ms(5);  // 2000/s at most, the publisher 50000/s: its queue sits at the HWM
    }
    zmq_close(sub);
}

void sub_vanishing(void *ctx, const PubEndpoints &eps) {
    std::mt19937 rng(7);
    for (uint64_t n = 0; !g_stop.load(); ++n) {
        void *sub = zmq_socket(ctx, ZMQ_SUB);
        set_int(sub, ZMQ_LINGER, 0);
        set_int(sub, ZMQ_RCVTIMEO, 10000);
        set_int(sub, ZMQ_RCVHWM, n % 3 == 0 ? 10 : kHwm);
        zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "B:", 2);
        zmq_connect(sub, (n % 2 ? eps.tcp : eps.ipc).c_str());
        int mode = static_cast<int>(n % 4);
        if (mode == 0) {
            // Vanishes at once, maybe before the handshake finished.
        } else if (mode == 1) {
            pause_ms(20);  // never reads: its queue fills to the HWM, then it vanishes
        } else {
            int want = 1 + static_cast<int>(rng() % 20);
            uint64_t prev = 0;
            for (int i = 0; i < want && !g_stop.load(); ++i) {
                uint64_t seq = 0;
                if (!recv_seq(sub, "B:", seq, "vanishing SUB")) {
                    // The publisher stops first at shutdown: a wait cut short then is no fault.
                    if (!g_stop.load())
                        fail("vanishing SUB %llu: no B message within 10 s",
                             (unsigned long long)n);
                    break;
                }
                if (i > 0 && seq <= prev)
                    fail("vanishing SUB: B %llu after %llu", (unsigned long long)seq,
                         (unsigned long long)prev);
                prev = seq;
            }
        }
        zmq_close(sub);  // no unsubscribe: the PUB must forget it on the disconnect
        g_count.vanishing_subs.fetch_add(1);
        pause_ms(3);
    }
}

void sub_churn(void *ctx, const PubEndpoints &eps) {
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    set_int(sub, ZMQ_RCVTIMEO, 0);
    zmq_connect(sub, eps.tcp.c_str());
    std::mt19937 rng(11);
    bool on[kTopics] = {};
    bool seen[kTopics] = {};
    uint64_t last_seq[kTopics] = {};
    while (!g_stop.load()) {
        int k = static_cast<int>(rng() % kChurnTopics);
        std::string t = topic_t(k);
        zmq_setsockopt(sub, on[k] ? ZMQ_UNSUBSCRIBE : ZMQ_SUBSCRIBE, t.data(), t.size());
        on[k] = !on[k];
        g_count.sub_churn_ops.fetch_add(1);
        char buf[32];
        int got;
        while ((got = zmq_recv(sub, buf, sizeof buf, 0)) >= 0) {
            int topic = -1;
            if (got == 12 && buf[0] == 'T' && buf[3] == ':')
                topic = (buf[1] - '0') * 10 + (buf[2] - '0');
            uint64_t seq = 0;
            if (topic < 0 || topic >= kTopics || !parse(buf, 12, 4, seq)) {
                fail("churning SUB: a message (%d bytes) that is not T<nn>:<seq>", got);
                continue;
            }
            if (topic >= kChurnTopics)
                fail("churning SUB: got %.4s, never subscribed", buf);
            // Resubscribing may skip messages, never repeat or reorder one.
            if (seen[topic] && seq <= last_seq[topic])
                fail("churning SUB: %.4s %llu after %llu", buf, (unsigned long long)seq,
                     (unsigned long long)last_seq[topic]);
            seen[topic] = true;
            last_seq[topic] = seq;
            g_count.sub_churn_msgs.fetch_add(1);
        }
        pause_ms(2);
    }
    zmq_close(sub);
}

}  // namespace soak
