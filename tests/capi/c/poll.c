/* zmq_poll against known answers, for libzmq and zmtp alike: empty sets, plain descriptors,
 * sockets (PAIR over inproc and tcp, PUB/SUB), POLLIN/POLLOUT, timeouts 0 / N / -1, and a
 * blocking poll woken by a message sent from another thread (many rounds, so a missed wake-up
 * shows up as a 5 s timeout). Timeouts are only checked as "returned 0 with no event". */
#include "check.h"

#include <unistd.h>

enum { ROUNDS = 300 };

struct sender_args {
    void *go;   /* PAIR: one "go" per round */
    void *data; /* PAIR: answers each "go" with one message */
};

/* Waits for "go" and answers with "data", ROUNDS times (then one more for the -1 case). */
static void sender(void *arg) {
    struct sender_args *a = (struct sender_args *)arg;
    char buf[8];
    for (int i = 0; i < ROUNDS + 1; ++i) {
        if (zmq_recv(a->go, buf, sizeof buf, 0) < 0)
            return;
        if (zmq_send(a->data, "data", 4, 0) != 4)
            return;
    }
}

/* Connected PAIRs a <-> b over `transport` ("inproc" or "tcp"); returns 0 on success. */
static int make_pair(void *ctx, const char *transport, const char *name, void **a, void **b) {
    *a = zmq_socket(ctx, ZMQ_PAIR);
    *b = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(*a, ZMQ_LINGER, 0);
    set_int_option(*b, ZMQ_LINGER, 0);
    set_int_option(*a, ZMQ_RCVTIMEO, 5000);
    set_int_option(*b, ZMQ_RCVTIMEO, 5000);
    char endpoint[256];
    if (strcmp(transport, "tcp") == 0) {
        if (zmq_bind(*a, "tcp://127.0.0.1:*") != 0)
            return -1;
        size_t size = sizeof endpoint;
        zmq_getsockopt(*a, ZMQ_LAST_ENDPOINT, endpoint, &size);
    } else {
        snprintf(endpoint, sizeof endpoint, "inproc://%s", name);
        if (zmq_bind(*a, endpoint) != 0)
            return -1;
    }
    return zmq_connect(*b, endpoint);
}

static void woken_by_other_thread(void *ctx, const char *transport) {
    void *go_a, *go_b, *data_a, *data_b;
    char name[64];
    snprintf(name, sizeof name, "go-%s", transport);
    CHECK(make_pair(ctx, "inproc", name, &go_a, &go_b) == 0, "control pair");
    snprintf(name, sizeof name, "data-%s", transport);
    CHECK(make_pair(ctx, transport, name, &data_a, &data_b) == 0, transport);
    struct sender_args args = {go_b, data_b};
    void *thread = zmq_threadstart(sender, &args);
    CHECK(thread != NULL, "zmq_threadstart");

    zmq_pollitem_t item = {data_a, 0, ZMQ_POLLIN, 0};
    int woken = 0;
    for (int i = 0; i < ROUNDS; ++i) {
        zmq_send(go_a, "go", 2, 0);
        /* A missed wake-up would show as 0 after 5 s. */
        const int rc = zmq_poll(&item, 1, 5000);
        char buf[8];
        if (rc == 1 && item.revents == ZMQ_POLLIN && zmq_recv(data_a, buf, sizeof buf, 0) == 4)
            ++woken;
        else
            break;
    }
    printf("     %s: %d/%d rounds woken\n", transport, woken, ROUNDS);
    CHECK(woken == ROUNDS, "blocking zmq_poll(5000) woken by a message from another thread");

    zmq_send(go_a, "go", 2, 0);
    item.revents = 0;
    CHECK(zmq_poll(&item, 1, -1) == 1 && item.revents == ZMQ_POLLIN,
          "zmq_poll(-1) woken by a message from another thread");
    char buf[8];
    CHECK(zmq_recv(data_a, buf, sizeof buf, 0) == 4, "that message");
    zmq_threadclose(thread);
    zmq_close(go_a);
    zmq_close(go_b);
    zmq_close(data_a);
    zmq_close(data_b);
}

int main(void) {
    alarm(30); /* watchdog for the calls without a timeout of their own (-1, joins) */
    /* Empty sets and argument errors. */
    CHECK(zmq_poll(NULL, 0, 0) == 0, "empty set, timeout 0 -> 0");
    CHECK(zmq_poll(NULL, 0, 10) == 0, "empty set, timeout 10 -> 0");

    /* Plain descriptors. */
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    zmq_pollitem_t plain[2] = {{NULL, fds[0], ZMQ_POLLIN, 0}, {NULL, fds[1], ZMQ_POLLOUT, 0}};
    CHECK(zmq_poll(plain, 1, 0) == 0 && plain[0].revents == 0, "idle pipe, timeout 0 -> 0");
    CHECK(zmq_poll(plain, 1, 30) == 0 && plain[0].revents == 0, "idle pipe, timeout 30 -> 0");
    CHECK(zmq_poll(plain, 2, 0) == 1 && plain[1].revents == ZMQ_POLLOUT && plain[0].revents == 0,
          "pipe write end -> POLLOUT only");
    CHECK(write(fds[1], "x", 1) == 1, "write a byte");
    CHECK(zmq_poll(plain, 2, -1) == 2 && plain[0].revents == ZMQ_POLLIN &&
              plain[1].revents == ZMQ_POLLOUT,
          "readable pipe -> POLLIN, timeout -1 returns at once");

    void *ctx = zmq_ctx_new();
    void *a, *b;
    CHECK(make_pair(ctx, "inproc", "poll-pair", &a, &b) == 0, "inproc PAIR");
    zmq_pollitem_t items[3] = {
        {a, 0, ZMQ_POLLIN, 0}, {b, 0, ZMQ_POLLOUT, 0}, {NULL, fds[0], ZMQ_POLLIN, 0}};
    CHECK(zmq_poll(items, 2, 0) == 1 && items[0].revents == 0 && items[1].revents == ZMQ_POLLOUT,
          "connected PAIR: no POLLIN, POLLOUT on the other end");
    items[1].events = 0;
    CHECK(zmq_poll(items, 2, 0) == 0, "nothing to read, nothing asked -> 0");
    CHECK(zmq_poll(items, 2, 30) == 0 && items[0].revents == 0 && items[1].revents == 0,
          "timeout 30 on an idle socket -> 0, no event");
    CHECK(zmq_poll(items, 3, 1000) == 1 && items[2].revents == ZMQ_POLLIN &&
              items[0].revents == 0,
          "socket idle, plain fd readable -> the fd alone");
    char byte;
    CHECK(read(fds[0], &byte, 1) == 1, "drain the pipe");
    CHECK(zmq_send(b, "ping", 4, 0) == 4, "send ping");
    items[1].events = ZMQ_POLLIN | ZMQ_POLLOUT;
    CHECK(zmq_poll(items, 3, 5000) == 2 && items[0].revents == ZMQ_POLLIN &&
              items[1].revents == ZMQ_POLLOUT && items[2].revents == 0,
          "message waiting -> POLLIN; the sender keeps POLLOUT");
    CHECK(zmq_poll(items, 1, 0) == 1, "still POLLIN until received");
    char buf[16];
    CHECK(zmq_recv(a, buf, sizeof buf, 0) == 4, "recv ping");
    CHECK(zmq_poll(items, 1, 0) == 0 && items[0].revents == 0, "no POLLIN once received");

    /* PUB is always writable, SUB never. */
    void *pub = zmq_socket(ctx, ZMQ_PUB);
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    set_int_option(pub, ZMQ_LINGER, 0);
    CHECK(zmq_bind(pub, "inproc://poll-pub") == 0 && zmq_connect(sub, "inproc://poll-pub") == 0,
          "PUB/SUB over inproc");
    CHECK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0) == 0, "subscribe to everything");
    zmq_pollitem_t ps[2] = {{pub, 0, ZMQ_POLLIN | ZMQ_POLLOUT, 0},
                            {sub, 0, ZMQ_POLLIN | ZMQ_POLLOUT, 0}};
    CHECK(zmq_poll(ps, 2, 0) == 1 && ps[0].revents == ZMQ_POLLOUT && ps[1].revents == 0,
          "PUB: POLLOUT only; SUB: nothing");
    int got = 0;
    for (int i = 0; i < 100 && !got; ++i) { /* the subscription travels asynchronously */
        zmq_send(pub, "news", 4, 0);
        got = zmq_poll(&ps[1], 1, 100) == 1 && ps[1].revents == ZMQ_POLLIN;
    }
    CHECK(got, "SUB: POLLIN (never POLLOUT) once a message arrived");

    woken_by_other_thread(ctx, "inproc");
    woken_by_other_thread(ctx, "tcp");

    zmq_close(a);
    zmq_close(b);
    zmq_close(pub);
    zmq_close(sub);
    close(fds[0]);
    close(fds[1]);
    CHECK(zmq_ctx_term(ctx) == 0, "zmq_ctx_term");
    return check_finish("poll");
}
