/* ZMQ_IMMEDIATE (issue 10 item 12): with 1, a connecting tcp/ipc socket queues nothing for a
 * connection that has not completed its handshake. A PUSH or PAIR connected only to a peer
 * that is not there gives EAGAIN (blocks until SNDTIMEO), where by default the message is
 * queued; a PUSH connected to a live and a dead endpoint sends everything to the live one,
 * where by default every other message would wait in the dead one's queue. */
#include "check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static void *make(void *ctx, int type, int immediate) {
    void *s = zmq_socket(ctx, type);
    set_int_option(s, ZMQ_LINGER, 0);
    set_int_option(s, ZMQ_RCVTIMEO, 5000);
    set_int_option(s, ZMQ_SNDTIMEO, 5000);
    set_int_option(s, ZMQ_IMMEDIATE, immediate);
    return s;
}

static int reserved_port = -1; /* a tcp socket bound to a port, never listening */

/* An endpoint of the transport nobody listens on (tcp: connections to it are refused). */
static void dead_endpoint(const char *transport, char *out, size_t size) {
    if (strcmp(transport, "ipc") == 0) {
        snprintf(out, size, "ipc:///tmp/zmtp-immediate-%d-nobody", (int)getpid());
        return;
    }
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (reserved_port < 0) {
        reserved_port = socket(AF_INET, SOCK_STREAM, 0);
        bind(reserved_port, (struct sockaddr *)&a, sizeof a);
    }
    getsockname(reserved_port, (struct sockaddr *)&a, &len);
    snprintf(out, size, "tcp://127.0.0.1:%d", ntohs(a.sin_port));
}

static void live_endpoint(void *s, const char *transport, char *out, size_t size) {
    char ep[128];
    if (strcmp(transport, "ipc") == 0)
        snprintf(ep, sizeof ep, "ipc:///tmp/zmtp-immediate-%d-live", (int)getpid());
    else
        snprintf(ep, sizeof ep, "tcp://127.0.0.1:*");
    zmq_bind(s, ep);
    zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, out, &size);
}

static void cases(void *ctx, const char *transport) {
    char what[160], dead[256], live[256];
    dead_endpoint(transport, dead, sizeof dead);

    for (int type = 0; type < 2; ++type) {
        const int t = type ? ZMQ_PAIR : ZMQ_PUSH;
        const char *name = type ? "PAIR" : "PUSH";
        void *s = make(ctx, t, 0);
        zmq_connect(s, dead);
        snprintf(what, sizeof what, "%s %s IMMEDIATE 0: queued for the absent peer", transport,
                 name);
        CHECK(zmq_send(s, "x", 1, ZMQ_DONTWAIT) == 1, what);
        zmq_close(s);

        s = make(ctx, t, 1);
        CHECK(get_int_option(s, ZMQ_IMMEDIATE) == 1, "IMMEDIATE reads back 1");
        zmq_connect(s, dead);
        snprintf(what, sizeof what, "%s %s IMMEDIATE 1: DONTWAIT -> EAGAIN", transport, name);
        CHECK_ERRNO(zmq_send(s, "x", 1, ZMQ_DONTWAIT), EAGAIN, what);
        set_int_option(s, ZMQ_SNDTIMEO, 50);
        snprintf(what, sizeof what, "%s %s IMMEDIATE 1: blocks until SNDTIMEO -> EAGAIN",
                 transport, name);
        CHECK_ERRNO(zmq_send(s, "x", 1, 0), EAGAIN, what);
        int events = get_int_option(s, ZMQ_EVENTS);
        snprintf(what, sizeof what, "%s %s IMMEDIATE 1: no POLLOUT", transport, name);
        CHECK((events & ZMQ_POLLOUT) == 0, what);

        /* Once a peer is there (and the handshake done) the blocking send goes through. */
        void *peer = make(ctx, type ? ZMQ_PAIR : ZMQ_PULL, 0);
        live_endpoint(peer, transport, live, sizeof live);
        zmq_connect(s, live);
        set_int_option(s, ZMQ_SNDTIMEO, 5000);
        snprintf(what, sizeof what, "%s %s IMMEDIATE 1: sends once the peer is connected",
                 transport, name);
        CHECK(zmq_send(s, "hello", 5, 0) == 5, what);
        char buf[16];
        CHECK(zmq_recv(peer, buf, sizeof buf, 0) == 5, "... and the peer receives it");
        zmq_close(s);
        zmq_close(peer);
    }

    /* PUSH to a dead and a live endpoint: with IMMEDIATE everything reaches the live one. */
    void *pull = make(ctx, ZMQ_PULL, 0);
    live_endpoint(pull, transport, live, sizeof live);
    void *push = make(ctx, ZMQ_PUSH, 1);
    zmq_connect(push, dead);
    zmq_connect(push, live);
    int sent = 0;
    for (int i = 0; i < 10; ++i)
        sent += zmq_send(push, "m", 1, 0) == 1;
    int got = 0;
    char buf[4];
    set_int_option(pull, ZMQ_RCVTIMEO, 2000);
    while (got < 10 && zmq_recv(pull, buf, sizeof buf, 0) == 1)
        ++got;
    snprintf(what, sizeof what, "%s PUSH IMMEDIATE 1, one live and one dead peer: %d/10 arrive",
             transport, got);
    CHECK(sent == 10 && got == 10, what);
    zmq_close(push);
    zmq_close(pull);
}

int main(void) {
    void *ctx = zmq_ctx_new();
    cases(ctx, "tcp");
    cases(ctx, "ipc");
    zmq_ctx_term(ctx);
    close(reserved_port);
    return check_finish("opt_immediate");
}
