/* ZMQ_MAXMSGSIZE and ZMQ_HANDSHAKE_IVL (issue 10 item 12), with a raw tcp peer:
 *   - a frame whose header announces more than MAXMSGSIZE drops the connection at once,
 *     before the body is awaited (or allocated): a 1 GiB announcement is answered by a close,
 *     where without the limit the engine would wait for the body; a frame of exactly
 *     MAXMSGSIZE still passes, and the socket keeps serving other peers;
 *   - a peer that sends no greeting is dropped after HANDSHAKE_IVL ms
 *     (HANDSHAKE_FAILED_NO_DETAIL, DISCONNECTED); a completed handshake is never cut. */
#include "sockets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int raw_connect(const char *endpoint) {
    const char *colon = strrchr(endpoint, ':');
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)atoi(colon + 1));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int read_exactly(int fd, unsigned char *buf, size_t n) {
    while (n > 0) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) != 1)
            return 0;
        const ssize_t got = read(fd, buf, n);
        if (got <= 0)
            return 0;
        buf += got;
        n -= (size_t)got;
    }
    return 1;
}

/* Greeting (3.0, NULL) and a READY saying Socket-Type PUSH. */
static int raw_handshake(int fd) {
    unsigned char greeting[64];
    memset(greeting, 0, sizeof greeting);
    greeting[0] = 0xFF;
    greeting[8] = 1; /* signature length 1, as libzmq sends (with MAXMSGSIZE set it checks it) */
    greeting[9] = 0x7F;
    greeting[10] = 3;
    memcpy(greeting + 12, "NULL", 4);
    static const unsigned char ready[] = {0x04, 26, 5, 'R', 'E', 'A', 'D', 'Y', 11, 'S', 'o',
                                          'c', 'k', 'e', 't', '-', 'T', 'y', 'p', 'e', 0, 0,
                                          0, 4, 'P', 'U', 'S', 'H'};
    /* Step by step, as a real peer: greeting, the peer's greeting, READY, the peer's READY. */
    unsigned char in[64];
    return write(fd, greeting, sizeof greeting) == (ssize_t)sizeof greeting &&
           read_exactly(fd, in, 64) && write(fd, ready, sizeof ready) == (ssize_t)sizeof ready &&
           read_exactly(fd, in, 2) && read_exactly(fd, in, in[1]);
}

/* True if the peer closes `fd` within 5 s (everything it sends is skipped). */
static int closed_by_peer(int fd) {
    char buf[512];
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) != 1)
            return 0;
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            return 1;
    }
}

static void maxmsgsize(void *ctx) {
    void *pull = test_socket(ctx, ZMQ_PULL);
    int64_t limit = 100;
    CHECK(zmq_setsockopt(pull, ZMQ_MAXMSGSIZE, &limit, sizeof limit) == 0, "MAXMSGSIZE 100");
    zmq_bind(pull, "tcp://127.0.0.1:*");
    char endpoint[256];
    last_endpoint(pull, endpoint, sizeof endpoint);

    /* A frame of exactly the limit passes. */
    int fd = raw_connect(endpoint);
    CHECK(fd >= 0 && raw_handshake(fd), "raw peer: greeting and READY");
    unsigned char frame[2 + 100];
    frame[0] = 0x00;
    frame[1] = 100;
    memset(frame + 2, 'a', 100);
    CHECK(write(fd, frame, sizeof frame) == (ssize_t)sizeof frame, "a frame of 100 bytes");
    char buf[200];
    CHECK(zmq_recv(pull, buf, sizeof buf, 0) == 100, "... is received (at the limit)");

    /* A long frame announcing 1 GiB: the connection is closed at the header. */
    const unsigned char huge[9] = {0x02, 0, 0, 0, 0, 0x40, 0, 0, 0};
    CHECK(write(fd, huge, sizeof huge) == (ssize_t)sizeof huge, "a header announcing 1 GiB");
    CHECK(closed_by_peer(fd), "... closes the connection without waiting for the body");
    close(fd);

    /* 101 bytes, in a short frame: dropped too. */
    fd = raw_connect(endpoint);
    raw_handshake(fd);
    unsigned char over[2 + 101];
    over[0] = 0x00;
    over[1] = 101;
    memset(over + 2, 'b', 101);
    CHECK(write(fd, over, sizeof over) == (ssize_t)sizeof over, "a frame of 101 bytes");
    CHECK(closed_by_peer(fd), "... closes the connection");
    close(fd);

    /* The socket keeps serving. */
    void *push = test_socket(ctx, ZMQ_PUSH);
    zmq_connect(push, endpoint);
    zmq_send(push, "still", 5, 0);
    CHECK(zmq_recv(pull, buf, sizeof buf, 0) == 5, "the socket still serves other peers");
    zmq_close(push);
    zmq_close(pull);
}

static void handshake_ivl(void *ctx) {
    void *pull = test_socket(ctx, ZMQ_PULL);
    set_int_option(pull, ZMQ_HANDSHAKE_IVL, 200);
    CHECK(get_int_option(pull, ZMQ_HANDSHAKE_IVL) == 200, "HANDSHAKE_IVL reads back 200");
    zmq_socket_monitor(pull, "inproc://opt-limits-mon",
                       ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_DISCONNECTED |
                           ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
    void *mon = test_socket(ctx, ZMQ_PAIR);
    zmq_connect(mon, "inproc://opt-limits-mon");
    zmq_bind(pull, "tcp://127.0.0.1:*");
    char endpoint[256];
    last_endpoint(pull, endpoint, sizeof endpoint);

    int fd = raw_connect(endpoint); /* silent: never sends a greeting */
    CHECK(fd >= 0, "a silent raw peer connects");
    CHECK(closed_by_peer(fd), "HANDSHAKE_IVL 200: the silent peer is dropped");
    CHECK(next_monitor_event(mon) == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, "HANDSHAKE_FAILED_NO_DETAIL");
    CHECK(next_monitor_event(mon) == ZMQ_EVENT_DISCONNECTED, "DISCONNECTED");
    close(fd);

    /* A peer that completes the handshake stays, past the interval. */
    void *push = test_socket(ctx, ZMQ_PUSH);
    zmq_connect(push, endpoint);
    CHECK(next_monitor_event(mon) == ZMQ_EVENT_HANDSHAKE_SUCCEEDED, "a real peer: HANDSHAKE_SUCCEEDED");
    set_int_option(mon, ZMQ_RCVTIMEO, 400); /* twice the interval: nothing may follow */
    CHECK(next_monitor_event(mon) == -1, "... and is not dropped after the interval");
    zmq_send(push, "ok", 2, 0);
    char buf[8];
    CHECK(zmq_recv(pull, buf, sizeof buf, 0) == 2, "... and delivers");
    int v = -1;
    CHECK_ERRNO(zmq_setsockopt(pull, ZMQ_HANDSHAKE_IVL, &v, sizeof v), EINVAL,
                "HANDSHAKE_IVL -1: EINVAL");
    zmq_socket_monitor(pull, NULL, 0);
    zmq_close(mon);
    zmq_close(push);
    zmq_close(pull);
}

int main(void) {
    void *ctx = zmq_ctx_new();
    maxmsgsize(ctx);
    handshake_ivl(ctx);
    zmq_ctx_term(ctx);
    return check_finish("opt_limits");
}
