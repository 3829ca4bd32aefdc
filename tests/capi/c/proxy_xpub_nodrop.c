/* A lossless forwarder (issue 12 items 4 and 7): publisher XPUB with XPUB_NODROP -> zmq_proxy
 * (XSUB frontend, XPUB backend with XPUB_NODROP) -> SUB, every SNDHWM and RCVHWM at 100, far
 * fewer than the 20 000 messages sent. Nothing may be dropped anywhere: the subscriber (its
 * own thread) is the slowest link, so the proxy's blocking send waits for room, the XSUB stops
 * reading, and the publisher's blocking sends wait in turn. The subscriber must get every
 * message, in order. Over tcp, ipc and inproc; the same expectations for libzmq and zmtp. */
#include "sockets.h"

#include <unistd.h>

#include <stdint.h>

enum { total = 20000, size = 100 };

struct proxy_args {
    void *frontend, *backend;
    int rc, err;
};

static void run_proxy(void *arg) {
    struct proxy_args *a = (struct proxy_args *)arg;
    a->rc = zmq_proxy(a->frontend, a->backend, NULL);
    a->err = zmq_errno();
}

struct reader {
    void *sub;
    int received, out_of_order, ended;
};

/* Reads "t" + a 4-byte sequence number until "t-end" (or a 5 s receive timeout). */
static void run_reader(void *arg) {
    struct reader *r = (struct reader *)arg;
    char buf[size];
    for (;;) {
        const int n = zmq_recv(r->sub, buf, sizeof buf, 0);
        if (n == -1)
            return;
        if (n == 5 && memcmp(buf, "t-end", 5) == 0) {
            r->ended = 1;
            return;
        }
        uint32_t seq = 0;
        if (n == size)
            memcpy(&seq, buf + 1, sizeof seq);
        if (n != size || seq != (uint32_t)r->received)
            ++r->out_of_order;
        ++r->received;
    }
}

static void bind_at(void *s, const char *transport, char *ep, size_t ep_size) {
    if (strcmp(transport, "tcp") == 0)
        snprintf(ep, ep_size, "tcp://127.0.0.1:*");
    else if (strcmp(transport, "ipc") == 0)
        snprintf(ep, ep_size, "ipc://*");
    else
        snprintf(ep, ep_size, "inproc://proxy-nodrop-%p", s);
    zmq_bind(s, ep);
    last_endpoint(s, ep, ep_size);
}

static void run(const char *front_transport, const char *back_transport) {
    char what[160], front_ep[256], back_ep[256];
    void *ctx = zmq_ctx_new();
    void *front = test_socket(ctx, ZMQ_XSUB), *back = test_socket(ctx, ZMQ_XPUB);
    void *pub = test_socket(ctx, ZMQ_XPUB), *sub = test_socket(ctx, ZMQ_SUB);
    set_int_option(front, ZMQ_RCVHWM, 100);
    set_int_option(back, ZMQ_SNDHWM, 100);
    set_int_option(back, ZMQ_XPUB_NODROP, 1);
    set_int_option(pub, ZMQ_SNDHWM, 100);
    set_int_option(pub, ZMQ_XPUB_NODROP, 1);
    set_int_option(sub, ZMQ_RCVHWM, 100);
    bind_at(front, front_transport, front_ep, sizeof front_ep);
    bind_at(back, back_transport, back_ep, sizeof back_ep);
    struct proxy_args args = {front, back, 0, 0};
    void *proxy = zmq_threadstart(run_proxy, &args);

    CHECK(zmq_connect(pub, front_ep) == 0 && zmq_connect(sub, back_ep) == 0 &&
              zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "t", 1) == 0,
          "publisher and subscriber connect, the SUB subscribes to t");
    char frame[8];
    snprintf(what, sizeof what, "%s -> proxy -> %s: the publisher sees \\x01t", front_transport,
             back_transport);
    CHECK(zmq_recv(pub, frame, sizeof frame, 0) == 2 && memcmp(frame, "\1t", 2) == 0, what);

    struct reader r = {sub, 0, 0, 0};
    void *reader = zmq_threadstart(run_reader, &r);
    char body[size];
    memset(body, 'x', sizeof body);
    body[0] = 't';
    int sent = 0;
    for (uint32_t seq = 0; seq < total; ++seq) {
        memcpy(body + 1, &seq, sizeof seq);
        if (zmq_send(pub, body, size, 0) != size)
            break;
        ++sent;
    }
    snprintf(what, sizeof what, "all %d blocking sends succeed (%d)", total, sent);
    CHECK(sent == total, what);
    CHECK(zmq_send(pub, "t-end", 5, 0) == 5, "end marker sent");
    zmq_threadclose(reader);
    snprintf(what, sizeof what, "the SUB gets all %d, in order (%d, %d out of order)", total,
             r.received, r.out_of_order);
    CHECK(r.ended && r.received == total && r.out_of_order == 0, what);

    CHECK(zmq_ctx_shutdown(ctx) == 0, "zmq_ctx_shutdown");
    zmq_threadclose(proxy);
    CHECK(args.rc == -1 && args.err == ETERM, "zmq_proxy returns -1 / ETERM");
    zmq_close(front);
    zmq_close(back);
    zmq_close(pub);
    zmq_close(sub);
    CHECK(zmq_ctx_term(ctx) == 0, "zmq_ctx_term");
}

int main(void) {
    alarm(60); /* watchdog for the joins */
    run("tcp", "ipc");
    run("inproc", "tcp");
    run("ipc", "inproc");
    return check_finish("proxy_xpub_nodrop");
}
