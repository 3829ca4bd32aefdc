/* zmq_proxy_steerable and zmq_proxy as a plain PUB/SUB forwarder (frontend SUB subscribed to
 * everything, backend PUB: subscriptions do not travel upstream; the XSUB/XPUB forwarder, which
 * passes them on, is proxy_xpub_xsub.c), for libzmq and zmtp alike: messages flow publisher ->
 * proxy -> subscriber, STATISTICS answers 8 uint64 frames, PAUSE/RESUME/TERMINATE steer it, and
 * a plain zmq_proxy ends with ETERM on context shutdown. */
#include "sockets.h"

#include <unistd.h>

#include <stdint.h>

struct proxy_args {
    void *frontend, *backend, *control;
    int rc, err;
};

static void run_proxy(void *arg) {
    struct proxy_args *a = (struct proxy_args *)arg;
    a->rc = a->control ? zmq_proxy_steerable(a->frontend, a->backend, NULL, a->control)
                       : zmq_proxy(a->frontend, a->backend, NULL);
    a->err = zmq_errno();
}

/* Publishes until the subscriber sees a message (subscriptions travel asynchronously). */
static int flows(void *pub, void *sub) {
    zmq_pollitem_t item = {sub, 0, ZMQ_POLLIN, 0};
    for (int i = 0; i < 100; ++i) {
        zmq_send(pub, "topic.a", 7, ZMQ_SNDMORE);
        zmq_send(pub, "body", 4, 0);
        if (zmq_poll(&item, 1, 100) == 1) {
            char buf[16];
            int more = 0;
            size_t size = sizeof more;
            const int n = zmq_recv(sub, buf, sizeof buf, 0);
            zmq_getsockopt(sub, ZMQ_RCVMORE, &more, &size);
            const int n2 = zmq_recv(sub, buf, sizeof buf, 0);
            return n == 7 && more == 1 && n2 == 4;
        }
    }
    return 0;
}

int main(void) {
    alarm(30); /* watchdog for the calls without a timeout of their own (-1, joins) */
    void *ctx = zmq_ctx_new();
    void *pub = test_socket(ctx, ZMQ_PUB), *sub = test_socket(ctx, ZMQ_SUB);
    void *front = test_socket(ctx, ZMQ_SUB), *back = test_socket(ctx, ZMQ_PUB);
    void *control = test_socket(ctx, ZMQ_PAIR), *steer = test_socket(ctx, ZMQ_PAIR);
    CHECK(zmq_bind(pub, "inproc://proxy-in") == 0, "publisher binds");
    CHECK(zmq_connect(front, "inproc://proxy-in") == 0, "proxy frontend SUB connects");
    CHECK(zmq_setsockopt(front, ZMQ_SUBSCRIBE, "", 0) == 0, "frontend takes everything");
    CHECK(zmq_bind(back, "tcp://127.0.0.1:*") == 0, "proxy backend PUB binds (tcp)");
    char endpoint[256];
    size_t size = sizeof endpoint;
    zmq_getsockopt(back, ZMQ_LAST_ENDPOINT, endpoint, &size);
    CHECK(zmq_connect(sub, endpoint) == 0, "subscriber connects");
    CHECK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "topic", 5) == 0, "subscriber subscribes");
    CHECK(zmq_bind(steer, "inproc://proxy-control") == 0 &&
              zmq_connect(control, "inproc://proxy-control") == 0,
          "control PAIR");

    struct proxy_args args = {front, back, control, 0, 0};
    void *thread = zmq_threadstart(run_proxy, &args);
    CHECK(flows(pub, sub), "a two-frame message goes publisher -> proxy -> subscriber");

    CHECK(zmq_send(steer, "STATISTICS", 10, 0) == 10, "send STATISTICS");
    uint64_t stats[8];
    int frames = 0, more = 1;
    while (more && frames < 9) {
        uint64_t value = 0;
        if (zmq_recv(steer, &value, sizeof value, 0) != (int)sizeof value)
            break;
        if (frames < 8)
            stats[frames] = value;
        ++frames;
        size = sizeof more;
        zmq_getsockopt(steer, ZMQ_RCVMORE, &more, &size);
    }
    CHECK(frames == 8, "STATISTICS answers 8 uint64 frames");
    CHECK(frames == 8 && stats[0] >= 1 && stats[1] >= 11 && stats[6] >= 1 && stats[7] >= 11,
          "frontend counted messages/bytes in, backend messages/bytes out");
    CHECK(frames == 8 && stats[2] == 0 && stats[4] == 0, "nothing flowed backwards");

    CHECK(zmq_send(steer, "PAUSE", 5, 0) == 5, "PAUSE");
    CHECK(zmq_send(steer, "RESUME", 6, 0) == 6, "RESUME");
    CHECK(flows(pub, sub), "messages flow again after RESUME");
    CHECK(zmq_send(steer, "TERMINATE", 9, 0) == 9, "TERMINATE");
    zmq_threadclose(thread);
    CHECK(args.rc == 0, "zmq_proxy_steerable returns 0 after TERMINATE");

    /* A plain zmq_proxy runs until the context shuts down. */
    args.control = NULL;
    thread = zmq_threadstart(run_proxy, &args);
    CHECK(flows(pub, sub), "zmq_proxy forwards too");
    CHECK(zmq_ctx_shutdown(ctx) == 0, "zmq_ctx_shutdown");
    zmq_threadclose(thread);
    CHECK(args.rc == -1 && args.err == ETERM, "zmq_proxy returns -1 / ETERM on shutdown");

    void *xsub = zmq_socket(ctx, ZMQ_XSUB);
    CHECK(xsub == NULL, "no new socket after shutdown");
    zmq_close(pub);
    zmq_close(sub);
    zmq_close(front);
    zmq_close(back);
    zmq_close(control);
    zmq_close(steer);
    CHECK(zmq_ctx_term(ctx) == 0, "zmq_ctx_term");
    return check_finish("proxy_pubsub");
}
