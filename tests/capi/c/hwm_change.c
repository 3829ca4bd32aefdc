/* SNDHWM / RCVHWM changed after the connection exists apply to it, as in libzmq 4.3 (issue 10
 * item 11, C-HWM-6): raising the limit lets more through, 0 lifts it, lowering it below the
 * current fill stops sends until the reader drains below it. Counts are exact where nothing
 * sits between the queues: inproc (one queue per direction, the sender's SNDHWM plus the
 * receiver's RCVHWM, C-HWM-4) and tcp/ipc sockets whose peer does not exist (the connecting
 * socket queues on its own).
 * One deliberate difference: libzmq keeps a writer that already found the pipe full blocked
 * after the limit is raised, until the reader has read enough to re-activate it (and counts
 * reads lazily, so even a drained pipe may stay blocked); zmtp lets it write up to the new
 * limit at once. Those checks branch on the library (zmtp answers its own option 0x7A01). */
#include "sockets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#define LOTS 50000

/* ZMQ_EVENTS first: libzmq handles its pending pipe commands there without throttling. */
static int send_all(void *s) {
    (void)get_int_option(s, ZMQ_EVENTS);
    int n = 0;
    while (n < LOTS && zmq_send(s, "x", 1, ZMQ_DONTWAIT) == 1)
        ++n;
    return n;
}

static int serial = 0;
static int zmtp = 0; /* running on zmtp, not libzmq */

static int detect_zmtp(void *ctx) {
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    int zero = 0;
    const int yes = zmq_setsockopt(s, 0x7A01 /* ZMTP_FD_LEVEL_TRIGGERED */, &zero, sizeof zero) == 0;
    zmq_close(s);
    return yes;
}

/* An inproc PAIR pair: `a` sends with SNDHWM 5, `b` receives with RCVHWM 2 (limit 7), and
 * three messages are queued. */
static void make_inproc(void *ctx, int a_binds, void **a, void **b) {
    char ep[64];
    snprintf(ep, sizeof ep, "inproc://hwm-change-%d", serial++);
    *a = test_socket(ctx, ZMQ_PAIR);
    *b = test_socket(ctx, ZMQ_PAIR);
    set_int_option(*a, ZMQ_SNDHWM, 5);
    set_int_option(*b, ZMQ_RCVHWM, 2);
    if (a_binds) {
        zmq_bind(*a, ep);
        zmq_connect(*b, ep);
    } else {
        zmq_bind(*b, ep);
        zmq_connect(*a, ep);
    }
    for (int i = 0; i < 3; ++i)
        zmq_send(*a, "x", 1, 0);
}

static void inproc_cases(void *ctx, int a_binds) {
    char what[160];
    void *a, *b;
    const char *side = a_binds ? "sender binds" : "sender connects";

    make_inproc(ctx, a_binds, &a, &b);
    set_int_option(a, ZMQ_SNDHWM, 10);
    snprintf(what, sizeof what, "inproc (%s): SNDHWM 5 -> 10 with 3 queued: 9 more fit", side);
    CHECK(send_all(a) == 9, what);
    zmq_close(a);
    zmq_close(b);

    make_inproc(ctx, a_binds, &a, &b);
    set_int_option(a, ZMQ_SNDHWM, 0);
    snprintf(what, sizeof what, "inproc (%s): SNDHWM 5 -> 0 lifts the limit", side);
    CHECK(send_all(a) == LOTS, what);
    zmq_close(a);
    zmq_close(b);

    make_inproc(ctx, a_binds, &a, &b);
    set_int_option(a, ZMQ_SNDHWM, 1);
    snprintf(what, sizeof what, "inproc (%s): SNDHWM 5 -> 1 below the fill: EAGAIN", side);
    CHECK(send_all(a) == 0, what);
    char buf[8];
    snprintf(what, sizeof what, "inproc (%s): the queued messages are still delivered", side);
    CHECK(zmq_recv(b, buf, sizeof buf, 0) == 1, what);
    if (zmtp) {
        snprintf(what, sizeof what, "inproc (%s): one read below the new limit: exactly 1 more",
                 side);
        CHECK(send_all(a) == 1, what);
        set_int_option(a, ZMQ_SNDHWM, 10);
        snprintf(what, sizeof what, "inproc (%s): raised to 10 while full: 9 more at once",
                 side);
        CHECK(send_all(a) == 9, what);
    } else {
        set_int_option(a, ZMQ_SNDHWM, 10);
        snprintf(what, sizeof what, "inproc (%s): libzmq: raised while full: still blocked",
                 side);
        CHECK(send_all(a) == 0, what);
    }
    zmq_close(a);
    zmq_close(b);
}

/* The receiver changes RCVHWM: on inproc its part of the limit follows. libzmq applies it only
 * when the receiver is the connecting side (and then adds the receiver's old RCVHWM instead
 * of the sender's SNDHWM); zmtp in both cases, as sender SNDHWM + receiver RCVHWM. */
static void inproc_rcvhwm_cases(void *ctx, int a_binds) {
    char what[160];
    void *a, *b;
    const char *side = a_binds ? "receiver connects" : "receiver binds";
    if (a_binds || zmtp) {
        make_inproc(ctx, a_binds, &a, &b);
        set_int_option(b, ZMQ_RCVHWM, 0);
        snprintf(what, sizeof what, "inproc (%s): RCVHWM 2 -> 0 lifts the limit", side);
        CHECK(send_all(a) == LOTS, what);
        zmq_close(a);
        zmq_close(b);
    }
    if (!zmtp)
        return;
    make_inproc(ctx, a_binds, &a, &b);
    set_int_option(b, ZMQ_RCVHWM, 20);
    snprintf(what, sizeof what, "inproc (%s): RCVHWM 2 -> 20 with 3 queued: 22 more", side);
    CHECK(send_all(a) == 22, what);
    zmq_close(a);
    zmq_close(b);

    make_inproc(ctx, a_binds, &a, &b);
    set_int_option(b, ZMQ_RCVHWM, 1);
    snprintf(what, sizeof what, "inproc (%s): RCVHWM 2 -> 1: 3 more (limit 6)", side);
    CHECK(send_all(a) == 3, what);
    zmq_close(a);
    zmq_close(b);
}

/* A connecting PUSH whose peer does not exist queues up to its own SNDHWM. */
static void no_peer_cases(void *ctx, const char *endpoint) {
    char what[200];
    void *s = test_socket(ctx, ZMQ_PUSH);
    set_int_option(s, ZMQ_SNDHWM, 10);
    CHECK(zmq_connect(s, endpoint) == 0, "connect to an endpoint nobody listens on");
    CHECK(send_all(s) == 10, "SNDHWM 10: 10 messages queue");
    set_int_option(s, ZMQ_SNDHWM, 25);
    if (zmtp) {
        snprintf(what, sizeof what, "%s: SNDHWM 10 -> 25 at the limit: 15 more", endpoint);
        CHECK(send_all(s) == 15, what);
        set_int_option(s, ZMQ_SNDHWM, 0);
        snprintf(what, sizeof what, "%s: SNDHWM 0 lifts the limit", endpoint);
        CHECK(send_all(s) == LOTS, what);
    }
    /* (libzmq: blocked or not, depending on whether a reconnect attempt re-activated it.) */
    zmq_close(s);

    /* Lowering below the fill. */
    s = test_socket(ctx, ZMQ_PUSH);
    set_int_option(s, ZMQ_SNDHWM, 10);
    zmq_connect(s, endpoint);
    for (int i = 0; i < 8; ++i)
        zmq_send(s, "x", 1, ZMQ_DONTWAIT);
    set_int_option(s, ZMQ_SNDHWM, 5);
    snprintf(what, sizeof what, "%s: 8 queued, SNDHWM 10 -> 5: EAGAIN", endpoint);
    CHECK_ERRNO(zmq_send(s, "x", 1, ZMQ_DONTWAIT), EAGAIN, what);
    zmq_close(s);

    /* 0 before the limit was reached. */
    s = test_socket(ctx, ZMQ_PUSH);
    set_int_option(s, ZMQ_SNDHWM, 10);
    zmq_connect(s, endpoint);
    for (int i = 0; i < 8; ++i)
        zmq_send(s, "x", 1, ZMQ_DONTWAIT);
    set_int_option(s, ZMQ_SNDHWM, 0);
    snprintf(what, sizeof what, "%s: 8 queued, SNDHWM 10 -> 0 lifts the limit", endpoint);
    CHECK(send_all(s) == LOTS, what);
    zmq_close(s);

    /* Raising before the limit was ever reached. */
    s = test_socket(ctx, ZMQ_PUSH);
    set_int_option(s, ZMQ_SNDHWM, 10);
    zmq_connect(s, endpoint);
    for (int i = 0; i < 4; ++i)
        zmq_send(s, "x", 1, ZMQ_DONTWAIT);
    set_int_option(s, ZMQ_SNDHWM, 12);
    snprintf(what, sizeof what, "%s: 4 queued, SNDHWM 10 -> 12: 8 more", endpoint);
    CHECK(send_all(s) == 8, what);
    zmq_close(s);
}

int main(void) {
    void *ctx = zmq_ctx_new();
    zmtp = detect_zmtp(ctx);
    printf("     running on %s\n", zmtp ? "zmtp" : "libzmq");
    inproc_cases(ctx, 1);
    inproc_cases(ctx, 0);
    inproc_rcvhwm_cases(ctx, 1);
    inproc_rcvhwm_cases(ctx, 0);

    /* A tcp port nobody listens on: bound by a plain socket that never listens, so
     * connections to it are refused for as long as the test runs. */
    int reserved = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    bind(reserved, (struct sockaddr *)&addr, sizeof addr);
    getsockname(reserved, (struct sockaddr *)&addr, &len);
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", ntohs(addr.sin_port));
    no_peer_cases(ctx, endpoint);

    char ipc[128];
    snprintf(ipc, sizeof ipc, "ipc:///tmp/zmtp-hwm-change-%d-nobody", (int)getpid());
    no_peer_cases(ctx, ipc);

    zmq_ctx_term(ctx);
    close(reserved);
    return check_finish("hwm_change");
}
