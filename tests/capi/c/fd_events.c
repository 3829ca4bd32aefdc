/* The ZMQ_FD / ZMQ_EVENTS contract event loops rely on, for libzmq and zmtp alike: ZMQ_FD is a
 * stable pollable descriptor; ZMQ_EVENTS reports POLLIN/POLLOUT for the current state (PUB
 * always POLLOUT, SUB never); and the loop "read ZMQ_EVENTS, drain while POLLIN, else wait
 * for ZMQ_FD" receives every message sent from another thread without a lost wake-up (a lost
 * one shows as a 5 s poll(2) timeout). */
#include "check.h"

#include <unistd.h>

#include <poll.h>

enum { MESSAGES = 20000 };

static int events_of(void *s) {
    int events = -1;
    size_t size = sizeof events;
    if (zmq_getsockopt(s, ZMQ_EVENTS, &events, &size) != 0)
        return -1;
    return events;
}

static zmq_fd_t fd_of(void *s) {
    zmq_fd_t fd = -1;
    size_t size = sizeof fd;
    if (zmq_getsockopt(s, ZMQ_FD, &fd, &size) != 0)
        return -1;
    return fd;
}

static void blast(void *arg) {
    for (int i = 0; i < MESSAGES; ++i)
        if (zmq_send(arg, &i, sizeof i, 0) != (int)sizeof i)
            return;
}

/* The event loop every ZMQ_FD user writes; returns the number of messages received in order. */
static int event_loop(void *s) {
    const zmq_fd_t fd = fd_of(s);
    int got = 0;
    while (got < MESSAGES) {
        const int events = events_of(s);
        if (events < 0)
            break;
        if (events & ZMQ_POLLIN) {
            int value;
            while (zmq_recv(s, &value, sizeof value, ZMQ_DONTWAIT) == (int)sizeof value) {
                if (value != got)
                    return got;
                ++got;
            }
            continue; /* look at ZMQ_EVENTS again before sleeping */
        }
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) != 1) {
            printf("     no wake-up within 5 s after %d messages\n", got);
            break;
        }
    }
    return got;
}

static void run_loop(void *ctx, const char *bind_ep, const char *transport) {
    void *rx = zmq_socket(ctx, ZMQ_PAIR);
    void *tx = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(rx, ZMQ_LINGER, 0);
    set_int_option(tx, ZMQ_LINGER, 0);
    set_int_option(tx, ZMQ_SNDTIMEO, 5000);
    char endpoint[256];
    size_t size = sizeof endpoint;
    CHECK(zmq_bind(rx, bind_ep) == 0, "bind the receiver");
    zmq_getsockopt(rx, ZMQ_LAST_ENDPOINT, endpoint, &size);
    CHECK(zmq_connect(tx, endpoint) == 0, "connect the sender");
    void *thread = zmq_threadstart(blast, tx);
    const int got = event_loop(rx);
    printf("     %s: %d/%d messages through the ZMQ_FD loop\n", transport, got, MESSAGES);
    CHECK(got == MESSAGES, "edge-triggered ZMQ_FD loop misses no message");
    zmq_threadclose(thread);
    zmq_close(rx);
    zmq_close(tx);
}

int main(void) {
    alarm(30); /* watchdog for the calls without a timeout of their own (-1, joins) */
    void *ctx = zmq_ctx_new();
    void *a = zmq_socket(ctx, ZMQ_PAIR);
    void *b = zmq_socket(ctx, ZMQ_PAIR);
    const zmq_fd_t fd = fd_of(a);
    CHECK(fd >= 0, "ZMQ_FD is a descriptor");
    CHECK(fd_of(a) == fd, "ZMQ_FD is stable");
    zmq_fd_t small = 0;
    size_t size = 1;
    CHECK_ERRNO(zmq_getsockopt(a, ZMQ_FD, &small, &size), EINVAL, "ZMQ_FD into 1 byte -> EINVAL");
    CHECK(events_of(a) == 0, "unconnected PAIR: no events");
    CHECK(zmq_bind(a, "inproc://fd-events") == 0 && zmq_connect(b, "inproc://fd-events") == 0,
          "PAIR over inproc");
    CHECK(events_of(a) == ZMQ_POLLOUT, "connected PAIR: POLLOUT");
    CHECK(zmq_send(b, "x", 1, 0) == 1, "send one message");
    struct pollfd p = {fd, POLLIN, 0};
    CHECK(poll(&p, 1, 5000) == 1, "ZMQ_FD turns readable when a message arrives");
    CHECK(events_of(a) == (ZMQ_POLLIN | ZMQ_POLLOUT), "ZMQ_EVENTS: POLLIN | POLLOUT");
    char buf[4];
    CHECK(zmq_recv(a, buf, sizeof buf, 0) == 1, "recv it");
    CHECK(events_of(a) == ZMQ_POLLOUT, "ZMQ_EVENTS after recv: POLLOUT");
    zmq_close(a);
    zmq_close(b);

    void *pub = zmq_socket(ctx, ZMQ_PUB);
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    CHECK(events_of(pub) == ZMQ_POLLOUT, "PUB: always POLLOUT");
    CHECK(events_of(sub) == 0, "SUB: never POLLOUT");
    zmq_close(pub);
    zmq_close(sub);

    run_loop(ctx, "inproc://fd-loop", "inproc");
    run_loop(ctx, "tcp://127.0.0.1:*", "tcp");
    run_loop(ctx, "ipc://*", "ipc");

    CHECK(zmq_ctx_term(ctx) == 0, "zmq_ctx_term");
    return check_finish("fd_events");
}
