/* libzmq's pub/sub high-water-mark arithmetic with an XPUB (issue 12 item 7; the cases of
 * libzmq's test_hwm_pubsub, without its sleeps): the publisher waits for the SUB's \x01
 * subscription on the XPUB before publishing, and a sentinel message tells the SUB when
 * everything has arrived.
 * (a) defaults: SNDHWM 1000 and 100, that many DONTWAIT sends all succeed and all arrive;
 * (b) blocking: XPUB_NODROP, SNDHWM 2000, 6000 DONTWAIT sends see EAGAIN, the SUB reads some,
 *     the sender retries, and every message sent arrives;
 * (c) inproc, where the counts are exact (one pipe of the XPUB's SNDHWM plus the SUB's
 *     RCVHWM): NODROP accepts exactly that many, a blocking send with SNDTIMEO 0 then gives
 *     EAGAIN, and without NODROP the SUB receives exactly that many (the rest dropped); an XSUB
 *     receiver counts the same; with two SUBs a slow one refuses NODROP sends for everyone but
 *     without NODROP loses messages alone; the limit counts whole multipart messages.
 * tcp, ipc and inproc, the XPUB binding and connecting; the same expectations for libzmq and
 * zmtp. */
#include "sockets.h"

#include <unistd.h>

static int serial = 0;
static int sub_binds = 0; /* the second pass: the SUB binds and the XPUB connects */

/* A SUB (or an XSUB, `sub_type`) subscribed to everything, connected to an XPUB that binds at
 * `transport` (or the other way round, `sub_binds`) with SNDHWM `sndhwm` and RCVHWM `rcvhwm`
 * (set before bind and connect: inproc pipes take them then). Returns 1 once the XPUB has
 * received the subscription, so publishing from then on reaches the SUB. */
static int make_pair(void *ctx, const char *transport, int sub_type, int sndhwm, int rcvhwm,
                     int nodrop, void **xpub, void **sub) {
    char ep[256];
    if (strcmp(transport, "tcp") == 0)
        snprintf(ep, sizeof ep, "tcp://127.0.0.1:*");
    else if (strcmp(transport, "ipc") == 0)
        snprintf(ep, sizeof ep, "ipc://*");
    else
        snprintf(ep, sizeof ep, "inproc://xpub-hwm-%d", serial++);
    *xpub = test_socket(ctx, ZMQ_XPUB);
    *sub = test_socket(ctx, sub_type);
    set_int_option(*xpub, ZMQ_SNDHWM, sndhwm);
    set_int_option(*xpub, ZMQ_XPUB_NODROP, nodrop);
    set_int_option(*sub, ZMQ_RCVHWM, rcvhwm);
    if (strcmp(transport, "inproc") != 0) {
        /* Small kernel buffers: fewer messages can hide between the two pipes, so a sender
         * that outruns its reader reaches the HWM whatever the machine's tcp autotuning. */
        set_int_option(*xpub, ZMQ_SNDBUF, 65536);
        set_int_option(*sub, ZMQ_RCVBUF, 65536);
    }
    void *binder = sub_binds ? *sub : *xpub, *connecter = sub_binds ? *xpub : *sub;
    if (zmq_bind(binder, ep) != 0)
        return 0;
    last_endpoint(binder, ep, sizeof ep);
    if (zmq_connect(connecter, ep) != 0)
        return 0;
    if (sub_type == ZMQ_XSUB ? zmq_send(*sub, "\1", 1, 0) != 1
                             : zmq_setsockopt(*sub, ZMQ_SUBSCRIBE, "", 0) != 0)
        return 0;
    /* A bound socket takes a new peer when its own thread next touches it (libzmq too): the
     * SUB sends its subscription once it has. */
    zmq_pollitem_t item = {*xpub, 0, ZMQ_POLLIN, 0};
    for (int i = 0; sub_binds && i < 100 && zmq_poll(&item, 1, 50) == 0; ++i)
        (void)get_int_option(*sub, ZMQ_EVENTS);
    char frame[8];
    return zmq_recv(*xpub, frame, sizeof frame, 0) == 1 && frame[0] == 1;
}

static void close_pair(void *xpub, void *sub) {
    zmq_close(xpub);
    zmq_close(sub);
}

/* Sends the sentinel "end" with NODROP on and a blocking send (SNDTIMEO 5 s), so it waits for
 * room instead of being dropped at the HWM. */
static int send_end(void *xpub) {
    set_int_option(xpub, ZMQ_XPUB_NODROP, 1);
    return zmq_send(xpub, "end", 3, 0) == 3;
}

/* Receives until the sentinel: the number of messages before it, or -1 if it never came. */
static int count_until_end(void *sub, int already) {
    static char buf[2048];
    int n = already;
    for (;;) {
        const int size = zmq_recv(sub, buf, sizeof buf, 0);
        if (size == -1)
            return -1;
        if (size == 3 && memcmp(buf, "end", 3) == 0)
            return n;
        ++n;
    }
}

static void defaults(void *ctx, const char *transport, int sub_type, int hwm) {
    char what[160];
    void *xpub, *sub;
    snprintf(what, sizeof what, "%s: the XPUB reads the %s's \\x01 subscription", transport,
             sub_type == ZMQ_SUB ? "SUB" : "XSUB");
    CHECK(make_pair(ctx, transport, sub_type, hwm, 1000, 0, &xpub, &sub), what);
    int sent = 0;
    while (sent < hwm && zmq_send(xpub, "test message", 13, ZMQ_DONTWAIT) == 13)
        ++sent;
    snprintf(what, sizeof what, "%s: SNDHWM %d, %d DONTWAIT sends succeed", transport, hwm, hwm);
    CHECK(sent == hwm, what);
    snprintf(what, sizeof what, "%s: sentinel sent", transport);
    CHECK(send_end(xpub), what);
    const int received = count_until_end(sub, 0);
    snprintf(what, sizeof what, "%s: SNDHWM %d, the SUB receives all %d (got %d)", transport, hwm,
             hwm, received);
    CHECK(received == hwm, what);
    close_pair(xpub, sub);
}

/* Reads what the SUB has: one message, waiting for it, then whatever is already there. */
static int drain_some(void *sub, int *failed) {
    static char buf[2048];
    if (zmq_recv(sub, buf, sizeof buf, 0) == -1) {
        *failed = 1;
        return 0;
    }
    int n = 1;
    while (zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT) != -1)
        ++n;
    return n;
}

/* Sends one message with DONTWAIT, retrying until it goes: on EAGAIN the SUB reads some.
 * ZMQ_EVENTS first: libzmq handles pending pipe commands there (in send it throttles them), so
 * an EAGAIN after it means the pipe is really full and the SUB has something coming. */
static int send_retrying(void *xpub, void *sub, const void *data, int size, int *received,
                         int *blocked) {
    int failed = 0;
    while (!failed) {
        if (zmq_send(xpub, data, size, ZMQ_DONTWAIT) == size)
            return 1;
        if (zmq_errno() != EAGAIN)
            return 0;
        ++*blocked;
        (void)get_int_option(xpub, ZMQ_EVENTS);
        if (zmq_send(xpub, data, size, ZMQ_DONTWAIT) == size)
            return 1;
        *received += drain_some(sub, &failed);
    }
    return 0;
}

static void blocking(void *ctx, const char *transport) {
    enum { hwm = 2000, total = 6000, size = 1024 };
    static char body[size];
    char what[160];
    void *xpub, *sub;
    snprintf(what, sizeof what, "%s: NODROP XPUB reads the subscription", transport);
    CHECK(make_pair(ctx, transport, ZMQ_SUB, hwm, 1000, 1, &xpub, &sub), what);
    int sent = 0, received = 0, blocked = 0;
    while (sent < total && send_retrying(xpub, sub, body, size, &received, &blocked))
        ++sent;
    snprintf(what, sizeof what, "%s: all %d sent with DONTWAIT and retries (sent %d)", transport,
             total, sent);
    CHECK(sent == total, what);
    snprintf(what, sizeof what, "%s: NODROP at SNDHWM %d gives EAGAIN (%d times)", transport, hwm,
             blocked);
    CHECK(blocked > 0, what);
    snprintf(what, sizeof what, "%s: sentinel sent", transport);
    CHECK(send_retrying(xpub, sub, "end", 3, &received, &blocked), what);
    received = count_until_end(sub, received);
    snprintf(what, sizeof what, "%s: the SUB receives every message sent (%d)", transport,
             received);
    CHECK(received == sent, what);
    close_pair(xpub, sub);
}

/* Sends single-byte messages with DONTWAIT until one fails (at most `limit`). ZMQ_EVENTS
 * first: libzmq handles the readers' pending "room again" commands there without throttling. */
static int send_until_refused(void *xpub, int limit) {
    (void)get_int_option(xpub, ZMQ_EVENTS);
    int n = 0;
    while (n < limit && zmq_send(xpub, "x", 1, ZMQ_DONTWAIT) == 1)
        ++n;
    return n;
}

static int drain_now(void *sub) {
    char buf[8];
    int n = 0;
    while (zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT) != -1)
        ++n;
    return n;
}

static void inproc_exact(void *ctx, int sub_type, int sndhwm, int rcvhwm) {
    const int expected = sndhwm + rcvhwm;
    char what[160];
    void *xpub, *sub;

    CHECK(make_pair(ctx, "inproc", sub_type, sndhwm, rcvhwm, 1, &xpub, &sub),
          sub_type == ZMQ_SUB ? "inproc: NODROP pair (SUB)" : "inproc: NODROP pair (XSUB)");
    const int accepted = send_until_refused(xpub, 100000);
    snprintf(what, sizeof what,
             "inproc NODROP, SNDHWM %d + RCVHWM %d: %d DONTWAIT sends before EAGAIN (got %d)",
             sndhwm, rcvhwm, expected, accepted);
    CHECK(accepted == expected && zmq_errno() == EAGAIN, what);
    set_int_option(xpub, ZMQ_SNDTIMEO, 0);
    CHECK_ERRNO(zmq_send(xpub, "x", 1, 0), EAGAIN,
                "inproc NODROP: a blocking send with SNDTIMEO 0 at the HWM gives EAGAIN");
    CHECK(get_int_option(xpub, ZMQ_EVENTS) & ZMQ_POLLOUT,
          "inproc NODROP at the HWM: ZMQ_EVENTS still has POLLOUT (an XPUB always does)");
    const int got = drain_now(sub);
    snprintf(what, sizeof what, "inproc NODROP: the SUB holds exactly the %d accepted (got %d)",
             accepted, got);
    CHECK(got == accepted, what);
    set_int_option(xpub, ZMQ_SNDTIMEO, 5000);
    CHECK(send_end(xpub) && count_until_end(sub, 0) == 0,
          "inproc NODROP: after the SUB drained, the sender has room again");
    close_pair(xpub, sub);

    CHECK(make_pair(ctx, "inproc", sub_type, sndhwm, rcvhwm, 0, &xpub, &sub),
          "inproc: dropping pair");
    const int lots = 10 * expected;
    const int sent = send_until_refused(xpub, lots);
    snprintf(what, sizeof what, "inproc without NODROP: all %d DONTWAIT sends succeed", lots);
    CHECK(sent == lots, what);
    const int kept = drain_now(sub);
    snprintf(what, sizeof what,
             "inproc without NODROP: the SUB receives exactly %d, the rest dropped (got %d)",
             expected, kept);
    CHECK(kept == expected, what);
    close_pair(xpub, sub);
}

/* One XPUB, two inproc SUBs: `fast` reads, `slow` never does. With NODROP the slow one stops
 * everyone (the whole send is refused); without it only the slow one loses messages. */
static void inproc_two_subscribers(void *ctx) {
    char what[160];
    for (int nodrop = 1; nodrop >= 0; --nodrop) {
        void *xpub = test_socket(ctx, ZMQ_XPUB);
        void *fast = test_socket(ctx, ZMQ_SUB), *slow = test_socket(ctx, ZMQ_SUB);
        char ep[64];
        snprintf(ep, sizeof ep, "inproc://xpub-hwm-%d", serial++);
        set_int_option(xpub, ZMQ_SNDHWM, 10);
        set_int_option(xpub, ZMQ_XPUB_NODROP, nodrop);
        set_int_option(xpub, ZMQ_XPUB_VERBOSE, 1); /* the second "" is reported too */
        set_int_option(slow, ZMQ_RCVHWM, 5);
        char frame[8];
        CHECK(zmq_bind(xpub, ep) == 0 && zmq_connect(fast, ep) == 0 && zmq_connect(slow, ep) == 0 &&
                  zmq_setsockopt(fast, ZMQ_SUBSCRIBE, "", 0) == 0 &&
                  zmq_setsockopt(slow, ZMQ_SUBSCRIBE, "", 0) == 0 &&
                  zmq_recv(xpub, frame, sizeof frame, 0) == 1 &&
                  zmq_recv(xpub, frame, sizeof frame, 0) == 1,
              "two subscribers: the XPUB reads both subscriptions (XPUB_VERBOSE)");
        if (nodrop) {
            const int accepted = send_until_refused(xpub, 1000);
            snprintf(what, sizeof what,
                     "two subscribers, NODROP: the slow one's 10 + 5 refuse the send (got %d)",
                     accepted);
            CHECK(accepted == 15 && zmq_errno() == EAGAIN, what);
            CHECK(drain_now(fast) == 15 && send_until_refused(xpub, 1) == 0,
                  "two subscribers, NODROP: the fast one drained, still refused");
            CHECK(drain_now(slow) == 15 && send_until_refused(xpub, 1) == 1,
                  "two subscribers, NODROP: the slow one drained, accepted again");
        } else {
            CHECK(send_until_refused(xpub, 100) == 100, "two subscribers: 100 sends succeed");
            const int got_fast = drain_now(fast), got_slow = drain_now(slow);
            snprintf(what, sizeof what,
                     "two subscribers: the fast one gets 100 (%d), the slow one 15 (%d)", got_fast,
                     got_slow);
            CHECK(got_fast == 100 && got_slow == 15, what);
        }
        zmq_close(xpub);
        zmq_close(fast);
        zmq_close(slow);
    }
}

/* Three-frame messages at the HWM over inproc (SNDHWM 3 + RCVHWM 2): the limit counts whole
 * messages, NODROP refuses only a first frame, and dropping never cuts a message. */
static void inproc_multipart(void *ctx) {
    char what[160];
    for (int nodrop = 1; nodrop >= 0; --nodrop) {
        void *xpub, *sub;
        CHECK(make_pair(ctx, "inproc", ZMQ_SUB, 3, 2, nodrop, &xpub, &sub),
              "multipart: XPUB/SUB pair");
        int whole = 0, refused_later_frame = 0;
        for (int i = 0; i < 20; ++i) {
            if (zmq_send(xpub, "t", 1, ZMQ_SNDMORE | ZMQ_DONTWAIT) != 1)
                break;
            refused_later_frame |= zmq_send(xpub, "mid", 3, ZMQ_SNDMORE | ZMQ_DONTWAIT) != 3;
            refused_later_frame |= zmq_send(xpub, "last", 4, ZMQ_DONTWAIT) != 4;
            ++whole;
        }
        snprintf(what, sizeof what, "multipart, %s: %d whole messages sent, no frame refused",
                 nodrop ? "NODROP" : "dropping", whole);
        CHECK(whole == (nodrop ? 5 : 20) && !refused_later_frame, what);
        int received = 0, cut = 0;
        char buf[8];
        while (zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT) == 1) {
            cut |= get_int_option(sub, ZMQ_RCVMORE) != 1;
            cut |= zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT) != 3 ||
                   get_int_option(sub, ZMQ_RCVMORE) != 1;
            cut |= zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT) != 4 ||
                   get_int_option(sub, ZMQ_RCVMORE) != 0;
            ++received;
        }
        snprintf(what, sizeof what, "multipart, %s: the SUB gets exactly 5 whole messages (%d)",
                 nodrop ? "NODROP" : "dropping", received);
        CHECK(received == 5 && !cut, what);
        close_pair(xpub, sub);
    }
}

int main(void) {
    alarm(120); /* watchdog for joins and calls without a timeout of their own */
    void *ctx = zmq_ctx_new();
    const char *transports[] = {"tcp", "ipc", "inproc"};
    for (sub_binds = 0; sub_binds < 2; ++sub_binds) {
        printf("     the %s binds\n", sub_binds ? "subscriber" : "XPUB");
        for (int t = 0; t < 3; ++t) {
            defaults(ctx, transports[t], ZMQ_SUB, 1000);
            defaults(ctx, transports[t], ZMQ_SUB, 100);
            defaults(ctx, transports[t], ZMQ_XSUB, 100);
            blocking(ctx, transports[t]);
        }
        inproc_exact(ctx, ZMQ_SUB, 100, 50);
        inproc_exact(ctx, ZMQ_SUB, 7, 3);
        inproc_exact(ctx, ZMQ_XSUB, 100, 50);
    }
    sub_binds = 0;
    inproc_two_subscribers(ctx);
    inproc_multipart(ctx);
    CHECK(zmq_ctx_term(ctx) == 0, "zmq_ctx_term");
    return check_finish("xpub_hwm");
}
