/* The classic forwarder (issue 12 item 4): zmq_proxy(xsub, xpub, capture) in a thread, two
 * publishers connected to its XSUB (an XPUB, which sees the subscriptions that travelled
 * upstream through the proxy, and a PUB), two subscribers connected to its XPUB (a SUB on
 * topic A, an XSUB on topic B that also sends a message upstream), over a mix of tcp, ipc and
 * inproc that changes between the two rounds. Each subscriber gets exactly its topic from both
 * publishers, nothing is published on a topic nobody wants, the capture socket sees every
 * forwarded frame, a publisher that connects late is sent the subscriptions at once, and
 * unsubscriptions (round 1) and subscribers leaving (round 2) travel upstream too.
 * Round 1 runs zmq_proxy_steerable: STATISTICS (exact: the frontend's messages in are the
 * backend's out and back), PAUSE (nothing read) and RESUME (what waited flows), TERMINATE (0).
 * Round 2 runs zmq_proxy, which ends with -1 / ETERM on context shutdown.
 * The same expectations for libzmq and zmtp. */
#include "sockets.h"

#include <unistd.h>

#include <stdint.h>

enum { per_topic = 100 }; /* messages per publisher per topic */

struct proxy_args {
    void *frontend, *backend, *capture, *control;
    int rc, err;
};

static void run_proxy(void *arg) {
    struct proxy_args *a = (struct proxy_args *)arg;
    a->rc = a->control ? zmq_proxy_steerable(a->frontend, a->backend, a->capture, a->control)
                       : zmq_proxy(a->frontend, a->backend, a->capture);
    a->err = zmq_errno();
}

/* Binds `s` on tcp, ipc and inproc; eps[0..2] receive the resolved endpoints. */
static int bind_all(void *s, const char *name, int round, char eps[3][256]) {
    snprintf(eps[0], 256, "tcp://127.0.0.1:*");
    snprintf(eps[1], 256, "ipc://*");
    snprintf(eps[2], 256, "inproc://proxy-xpub-xsub-%s-%d", name, round);
    for (int i = 0; i < 3; ++i) {
        if (zmq_bind(s, eps[i]) != 0)
            return 0;
        last_endpoint(s, eps[i], 256);
    }
    return 1;
}

/* Receives one frame and compares it with `want` (`size` bytes). */
static int recv_is(void *s, const char *want, int size) {
    char buf[64];
    const int n = zmq_recv(s, buf, sizeof buf, 0);
    return n == size && memcmp(buf, want, (size_t)size) == 0;
}

static int send_str(void *s, const char *text) {
    return zmq_send(s, text, strlen(text), 0) == (int)strlen(text);
}

/* Sends `text` from the PUB until `sub` has something to read: the PUB cannot tell when the
 * proxy's subscriptions have reached it. The extra copies are "sync" messages, not counted. */
static int reaches(void *pub, const char *text, void *sub) {
    zmq_pollitem_t item = {sub, 0, ZMQ_POLLIN, 0};
    for (int i = 0; i < 100; ++i) {
        send_str(pub, text);
        if (zmq_poll(&item, 1, 100) == 1)
            return 1;
    }
    return 0;
}

/* What one reader saw, by message text "<topic>.<kind> <publisher>". */
struct tally {
    int data[2];     /* "X.data pubA" / "X.data pubB" on the expected topic */
    int ends;        /* "X.end ..." */
    int foreign;     /* anything on another topic, or unexpected */
    int subs, hello; /* capture only: \x01A, \x01B and the upstream message */
};

static void count(struct tally *t, const char *topics, const char *buf, int n) {
    if (n >= 2 && buf[0] == 1 && strchr(topics, buf[1]) != NULL) {
        ++t->subs;
        return;
    }
    if (n == 14 && memcmp(buf, "hello upstream", 14) == 0) {
        ++t->hello;
        return;
    }
    if (n < 2 || strchr(topics, buf[0]) == NULL || buf[1] != '.') {
        ++t->foreign;
        return;
    }
    if (n == 11 && memcmp(buf + 1, ".data pub", 9) == 0 && (buf[10] == 'A' || buf[10] == 'B'))
        ++t->data[buf[10] - 'A'];
    else if (n == 10 && memcmp(buf + 1, ".end pub", 8) == 0)
        ++t->ends;
    else if (!(n == 11 && memcmp(buf + 1, ".sync pub", 9) == 0))
        ++t->foreign;
}

/* Reads `s` until `ends` end messages came (or a receive timed out): 1 if they all did. */
static int collect(void *s, const char *topics, int ends, struct tally *t) {
    memset(t, 0, sizeof *t);
    char buf[64];
    while (t->ends < ends) {
        const int n = zmq_recv(s, buf, sizeof buf, 0);
        if (n == -1)
            return 0;
        count(t, topics, buf, n < (int)sizeof buf ? n : (int)sizeof buf);
    }
    return 1;
}

/* Reads the 8 STATISTICS frames; 1 if all came. */
static int statistics(void *steer, uint64_t stats[8]) {
    if (!send_str(steer, "STATISTICS"))
        return 0;
    for (int i = 0; i < 8; ++i) {
        if (zmq_recv(steer, &stats[i], sizeof stats[i], 0) != (int)sizeof stats[i])
            return 0;
        if ((get_int_option(steer, ZMQ_RCVMORE) == 1) != (i < 7))
            return 0;
    }
    return 1;
}

/* transports[]: which of tcp (0), ipc (1), inproc (2) pubA, pubB, subA, subB, pubC connect
 * over. */
static void run_round(void *ctx, int round, const int transports[5]) {
    char what[200], front_eps[3][256], back_eps[3][256], capture_ep[64];
    const char *names[3] = {"tcp", "ipc", "inproc"};
    const int steerable = round == 1;
    printf("     round %d: pubA (XPUB) %s, pubB (PUB) %s -> XSUB | proxy | XPUB -> subA (SUB) "
           "%s, subB (XSUB) %s; %s\n",
           round, names[transports[0]], names[transports[1]], names[transports[2]],
           names[transports[3]], steerable ? "zmq_proxy_steerable" : "zmq_proxy");

    void *front = test_socket(ctx, ZMQ_XSUB), *back = test_socket(ctx, ZMQ_XPUB);
    void *capture = test_socket(ctx, ZMQ_PUSH), *pull = test_socket(ctx, ZMQ_PULL);
    void *control = test_socket(ctx, ZMQ_PAIR), *steer = test_socket(ctx, ZMQ_PAIR);
    CHECK(bind_all(front, "front", round, front_eps), "proxy XSUB binds tcp, ipc and inproc");
    CHECK(bind_all(back, "back", round, back_eps), "proxy XPUB binds tcp, ipc and inproc");
    snprintf(capture_ep, sizeof capture_ep, "inproc://proxy-xpub-xsub-capture-%d", round);
    CHECK(zmq_bind(pull, capture_ep) == 0 && zmq_connect(capture, capture_ep) == 0,
          "capture PUSH -> PULL");
    if (steerable) {
        snprintf(capture_ep, sizeof capture_ep, "inproc://proxy-xpub-xsub-control-%d", round);
        CHECK(zmq_bind(steer, capture_ep) == 0 && zmq_connect(control, capture_ep) == 0,
              "control PAIR");
    }
    struct proxy_args args = {front, back, capture, steerable ? control : NULL, 0, 0};
    void *thread = zmq_threadstart(run_proxy, &args);

    void *pub_a = test_socket(ctx, ZMQ_XPUB), *pub_b = test_socket(ctx, ZMQ_PUB);
    void *sub_a = test_socket(ctx, ZMQ_SUB), *sub_b = test_socket(ctx, ZMQ_XSUB);
    CHECK(zmq_connect(pub_a, front_eps[transports[0]]) == 0 &&
              zmq_connect(pub_b, front_eps[transports[1]]) == 0,
          "publishers connect to the proxy's XSUB");
    CHECK(zmq_connect(sub_a, back_eps[transports[2]]) == 0 &&
              zmq_connect(sub_b, back_eps[transports[3]]) == 0,
          "subscribers connect to the proxy's XPUB");

    /* Subscriptions travel subscriber -> proxy XPUB -> zmq_proxy -> proxy XSUB -> publisher. */
    CHECK(zmq_setsockopt(sub_a, ZMQ_SUBSCRIBE, "A", 1) == 0, "SUB subscribes to A");
    CHECK(recv_is(pub_a, "\1A", 2), "the publishing XPUB receives \\x01A through the proxy");
    CHECK_ERRNO(zmq_setsockopt(sub_b, ZMQ_SUBSCRIBE, "B", 1), EINVAL,
                "ZMQ_SUBSCRIBE on an XSUB is EINVAL");
    CHECK(zmq_send(sub_b, "\1B", 2, 0) == 2, "XSUB subscribes to B by sending \\x01B");
    CHECK(send_str(sub_b, "hello upstream"), "XSUB sends a plain message upstream");
    CHECK(recv_is(pub_a, "\1B", 2), "the publishing XPUB receives \\x01B through the proxy");
    CHECK(recv_is(pub_a, "hello upstream", 14),
          "the publishing XPUB receives the XSUB's message through the proxy");
    CHECK(reaches(pub_b, "A.sync pubB", sub_a) && reaches(pub_b, "B.sync pubB", sub_b),
          "the PUB's messages reach both subscribers (subscriptions reached it too)");

    /* Interleaved, plus a topic nobody subscribed to: the publishers must not even send it. */
    int sent_ok = 1;
    for (int i = 0; i < per_topic; ++i) {
        sent_ok &= send_str(pub_a, "A.data pubA") & send_str(pub_b, "B.data pubB");
        sent_ok &= send_str(pub_a, "C.data pubA") & send_str(pub_b, "C.data pubB");
        sent_ok &= send_str(pub_b, "A.data pubB") & send_str(pub_a, "B.data pubA");
    }
    sent_ok &= send_str(pub_a, "A.end pubA") & send_str(pub_b, "A.end pubB");
    sent_ok &= send_str(pub_a, "B.end pubA") & send_str(pub_b, "B.end pubB");
    CHECK(sent_ok, "both publishers publish A, B and C");

    struct tally a, b, cap;
    CHECK(collect(sub_a, "A", 2, &a), "SUB reads until both publishers' A.end");
    snprintf(what, sizeof what, "SUB gets exactly A from both: %d + %d of %d each, %d other",
             a.data[0], a.data[1], per_topic, a.foreign);
    CHECK(a.data[0] == per_topic && a.data[1] == per_topic && a.foreign == 0, what);
    CHECK(collect(sub_b, "B", 2, &b), "XSUB reads until both publishers' B.end");
    snprintf(what, sizeof what, "XSUB gets exactly B from both: %d + %d of %d each, %d other",
             b.data[0], b.data[1], per_topic, b.foreign);
    CHECK(b.data[0] == per_topic && b.data[1] == per_topic && b.foreign == 0, what);
    CHECK(collect(pull, "AB", 4, &cap), "capture reads until the four end messages");
    snprintf(what, sizeof what,
             "capture saw both subscriptions (%d), the upstream message (%d), %d data of %d, "
             "%d other (no C)",
             cap.subs, cap.hello, cap.data[0] + cap.data[1], 4 * per_topic, cap.foreign);
    CHECK(cap.subs == 2 && cap.hello == 1 && cap.data[0] + cap.data[1] == 4 * per_topic &&
              cap.foreign == 0,
          what);

    if (steerable) {
        uint64_t s[8], s2[8];
        CHECK(statistics(steer, s), "STATISTICS answers 8 uint64 frames");
        printf("     frontend in %llu/%llu out %llu/%llu, backend in %llu/%llu out %llu/%llu\n",
               (unsigned long long)s[0], (unsigned long long)s[1], (unsigned long long)s[2],
               (unsigned long long)s[3], (unsigned long long)s[4], (unsigned long long)s[5],
               (unsigned long long)s[6], (unsigned long long)s[7]);
        CHECK(s[0] >= 4 * per_topic + 4 + 2 && s[0] == s[6] && s[1] == s[7],
              "every message the XSUB read went out of the XPUB (messages and bytes)");
        CHECK(s[4] == 3 && s[5] == 2 + 2 + 14 && s[2] == s[4] && s[3] == s[5],
              "upstream: \\x01A, \\x01B and the XSUB's message, and nothing else");

        CHECK(send_str(steer, "PAUSE") && statistics(steer, s), "PAUSE (answered: processed)");
        CHECK(send_str(pub_a, "A.data pubA"), "publish while paused");
        CHECK(statistics(steer, s2) && s2[0] == s[0], "paused: the proxy reads nothing");
        CHECK(send_str(steer, "RESUME"), "RESUME");
        CHECK(recv_is(sub_a, "A.data pubA", 11), "after RESUME the waiting message arrives");
    }

    /* A publisher that comes late gets the proxy's subscriptions from its XSUB at once. */
    void *pub_c = test_socket(ctx, ZMQ_XPUB);
    CHECK(zmq_connect(pub_c, front_eps[transports[4]]) == 0, "a third publisher (XPUB) connects");
    char got[2][2];
    CHECK(zmq_recv(pub_c, got[0], 2, 0) == 2 && zmq_recv(pub_c, got[1], 2, 0) == 2 &&
              got[0][0] == 1 && got[1][0] == 1 && got[0][1] != got[1][1] &&
              strchr("AB", got[0][1]) && strchr("AB", got[1][1]),
          "it receives \\x01A and \\x01B from the proxy's XSUB");

    /* Unsubscriptions travel upstream the same way (the last holder left each topic): round 1
     * unsubscribes, round 2 closes the subscribers. */
    if (steerable) {
        CHECK(zmq_setsockopt(sub_a, ZMQ_UNSUBSCRIBE, "A", 1) == 0, "SUB unsubscribes from A");
    } else {
        zmq_close(sub_a);
        sub_a = NULL;
    }
    CHECK(recv_is(pub_a, "\0A", 2) && recv_is(pub_c, "\0A", 2),
          steerable ? "the publishing XPUBs receive \\x00A through the proxy"
                    : "SUB closed: the publishing XPUBs receive \\x00A through the proxy");
    if (steerable) {
        CHECK(zmq_send(sub_b, "\0B", 2, 0) == 2, "XSUB unsubscribes by sending \\x00B");
    } else {
        zmq_close(sub_b);
        sub_b = NULL;
    }
    CHECK(recv_is(pub_a, "\0B", 2) && recv_is(pub_c, "\0B", 2),
          steerable ? "the publishing XPUBs receive \\x00B through the proxy"
                    : "XSUB closed: the publishing XPUBs receive \\x00B through the proxy");

    if (steerable) {
        CHECK(send_str(steer, "TERMINATE"), "TERMINATE");
        zmq_threadclose(thread);
        CHECK(args.rc == 0, "zmq_proxy_steerable returns 0 after TERMINATE");
    } else {
        CHECK(zmq_ctx_shutdown(ctx) == 0, "zmq_ctx_shutdown");
        zmq_threadclose(thread);
        CHECK(args.rc == -1 && args.err == ETERM, "zmq_proxy returns -1 / ETERM on shutdown");
    }
    void *sockets[] = {front, back,  capture, pull,  control, steer,
                       pub_a, pub_b, pub_c,   sub_a, sub_b};
    for (size_t i = 0; i < sizeof sockets / sizeof sockets[0]; ++i)
        if (sockets[i])
            zmq_close(sockets[i]);
}

int main(void) {
    alarm(60); /* watchdog for the calls without a timeout of their own (the joins) */
    void *ctx = zmq_ctx_new();
    /* pubA, pubB, subA, subB, pubC over: tcp, inproc, ipc, inproc, ipc; then inproc, ipc, tcp,
     * tcp, tcp. */
    const int round1[5] = {0, 2, 1, 2, 1};
    const int round2[5] = {2, 1, 0, 0, 0};
    run_round(ctx, 1, round1);
    run_round(ctx, 2, round2); /* shuts the context down */
    CHECK(zmq_ctx_term(ctx) == 0, "zmq_ctx_term");
    return check_finish("proxy_xpub_xsub");
}
