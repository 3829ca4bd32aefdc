/* zmq_msg_gets: the connection metadata of received frames, exactly as libzmq reports it
 * (and the ZMQ_IPV6 addressing it depends on).
 * tcp (IPv4, IPv6, dual-stack) and ipc give "Peer-Address" and the peer's "Socket-Type", on
 * both the binding and the connecting side; inproc frames and locally made frames have none
 * (EINVAL); a SUB hears "PUB"; every frame of a multipart message carries it; copies share
 * it, moves take it, a sent frame loses it; properties a raw peer puts in its READY are
 * exposed, the first of a repeated name wins, and a peer cannot forge "Peer-Address". */
#include "check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* Property `name` of `msg` equals `want` (NULL: the lookup fails with EINVAL). */
static int property_is(zmq_msg_t *msg, const char *name, const char *want) {
    const char *value = zmq_msg_gets(msg, name);
    if (!want)
        return value == NULL && zmq_errno() == EINVAL;
    if (!value) {
        printf("     %s: (none)\n", name);
        return 0;
    }
    if (strcmp(value, want) != 0)
        printf("     %s: \"%s\", expected \"%s\"\n", name, value, want);
    return strcmp(value, want) == 0;
}

/* Sends `text` on `from`, receives it on `to` into `msg`. */
static int exchange(void *from, void *to, zmq_msg_t *msg, const char *text) {
    if (zmq_send(from, text, strlen(text), 0) != (int)strlen(text))
        return 0;
    return zmq_msg_recv(msg, to, 0) == (int)strlen(text);
}

/* A PAIR bound on `endpoint` and one connected to it; checks both sides' metadata. */
static void check_pair(void *ctx, const char *endpoint, int ipv6, const char *address) {
    char what[256];
    void *a = zmq_socket(ctx, ZMQ_PAIR);
    void *b = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(a, ZMQ_IPV6, ipv6);
    set_int_option(b, ZMQ_IPV6, ipv6);
    set_int_option(a, ZMQ_LINGER, 0);
    set_int_option(b, ZMQ_LINGER, 0);
    char bound[256];
    size_t size = sizeof bound;
    int ok = zmq_bind(a, endpoint) == 0 &&
             zmq_getsockopt(a, ZMQ_LAST_ENDPOINT, bound, &size) == 0 && zmq_connect(b, bound) == 0;
    snprintf(what, sizeof what, "%s (IPV6 %d): bind and connect", endpoint, ipv6);
    CHECK(ok, what);

    zmq_msg_t msg;
    zmq_msg_init(&msg);
    snprintf(what, sizeof what, "%s: connector -> binder", endpoint);
    CHECK(exchange(b, a, &msg, "to binder"), what);
    snprintf(what, sizeof what, "%s: binder side Peer-Address", endpoint);
    CHECK(property_is(&msg, "Peer-Address", address), what);
    snprintf(what, sizeof what, "%s: binder side Socket-Type PAIR", endpoint);
    CHECK(property_is(&msg, "Socket-Type", address ? "PAIR" : NULL), what);
    snprintf(what, sizeof what, "%s: binder -> connector", endpoint);
    CHECK(exchange(a, b, &msg, "to connector"), what);
    snprintf(what, sizeof what, "%s: connector side Peer-Address", endpoint);
    CHECK(property_is(&msg, "Peer-Address", address), what);
    snprintf(what, sizeof what, "%s: connector side Socket-Type PAIR", endpoint);
    CHECK(property_is(&msg, "Socket-Type", address ? "PAIR" : NULL), what);
    snprintf(what, sizeof what, "%s: no Identity, Routing-Id, User-Id", endpoint);
    CHECK(property_is(&msg, "Identity", NULL) && property_is(&msg, "Routing-Id", NULL) &&
              property_is(&msg, "User-Id", NULL),
          what);
    snprintf(what, sizeof what, "%s: names are case-sensitive", endpoint);
    CHECK(property_is(&msg, "socket-type", NULL), what);
    zmq_msg_close(&msg);
    zmq_close(a);
    zmq_close(b);
}

/* Copy, move, send and re-init, on a frame received over tcp. */
static void check_ownership(void *ctx) {
    void *a = zmq_socket(ctx, ZMQ_PAIR);
    void *b = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(a, ZMQ_LINGER, 0);
    set_int_option(b, ZMQ_LINGER, 0);
    char bound[256];
    size_t size = sizeof bound;
    zmq_bind(a, "tcp://127.0.0.1:*");
    zmq_getsockopt(a, ZMQ_LAST_ENDPOINT, bound, &size);
    zmq_connect(b, bound);

    zmq_msg_t msg, copy, moved;
    zmq_msg_init(&msg);
    zmq_msg_init(&copy);
    zmq_msg_init(&moved);
    CHECK(property_is(&msg, "Socket-Type", NULL), "a fresh zmq_msg_init frame has no metadata");
    CHECK(exchange(b, a, &msg, "x"), "tcp frame received");
    CHECK(zmq_msg_copy(&copy, &msg) == 0 && property_is(&copy, "Socket-Type", "PAIR"),
          "zmq_msg_copy shares the metadata");
    CHECK(zmq_msg_move(&moved, &msg) == 0 && property_is(&moved, "Peer-Address", "127.0.0.1"),
          "zmq_msg_move takes the metadata");
    CHECK(property_is(&msg, "Socket-Type", NULL), "the moved-from frame has none");
    zmq_msg_close(&moved);
    CHECK(property_is(&copy, "Peer-Address", "127.0.0.1"),
          "the copy keeps it after the original is closed");
    CHECK(zmq_msg_send(&copy, a, 0) == 1 && property_is(&copy, "Socket-Type", NULL),
          "a sent frame is left without metadata");
    CHECK(zmq_msg_recv(&msg, b, 0) == 1, "the sent frame arrives");
    /* A frame received into a zmq_msg_t that already holds one from the same connection
     * (the usual receive loop) still answers. */
    for (int i = 0; i < 3; ++i) {
        zmq_send(b, "loop", 4, 0);
        zmq_msg_recv(&msg, a, 0);
    }
    CHECK(property_is(&msg, "Peer-Address", "127.0.0.1"), "receive loop into one zmq_msg_t");
    char big[300];
    memset(big, 'b', sizeof big);
    zmq_send(b, big, sizeof big, 0);
    CHECK(zmq_msg_recv(&msg, a, 0) == (int)sizeof big && property_is(&msg, "Socket-Type", "PAIR"),
          "a large (heap) frame carries it too");
    zmq_msg_close(&msg);
    zmq_msg_close(&copy);
    zmq_close(a);
    zmq_close(b);
}

/* A SUB's frames come from a PUB; each frame of a multipart message has the metadata. */
static void check_pubsub(void *ctx) {
    void *pub = zmq_socket(ctx, ZMQ_PUB);
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    set_int_option(pub, ZMQ_LINGER, 0);
    char bound[256];
    size_t size = sizeof bound;
    zmq_bind(pub, "tcp://127.0.0.1:*");
    zmq_getsockopt(pub, ZMQ_LAST_ENDPOINT, bound, &size);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0);
    zmq_connect(sub, bound);
    /* Wait for the subscription to reach the PUB: publish until something arrives. */
    zmq_pollitem_t item = {sub, 0, ZMQ_POLLIN, 0};
    int got = 0;
    for (int i = 0; i < 500 && !got; ++i) {
        zmq_send(pub, "probe", 5, 0);
        got = zmq_poll(&item, 1, 10) == 1;
    }
    CHECK(got, "PUB/SUB over tcp connected");
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    while (zmq_msg_recv(&msg, sub, ZMQ_DONTWAIT) == 5) {
    }
    zmq_send(pub, "topic", 5, ZMQ_SNDMORE);
    zmq_send(pub, "body", 4, 0);
    CHECK(zmq_msg_recv(&msg, sub, 0) == 5 && property_is(&msg, "Socket-Type", "PUB") &&
              property_is(&msg, "Peer-Address", "127.0.0.1"),
          "SUB: first frame says Socket-Type PUB");
    CHECK(zmq_msg_recv(&msg, sub, 0) == 4 && property_is(&msg, "Socket-Type", "PUB"),
          "SUB: second frame too");
    zmq_msg_close(&msg);
    zmq_close(pub);
    zmq_close(sub);
}

static void put_property(unsigned char **p, const char *name, const char *value) {
    size_t n = strlen(name), v = strlen(value);
    *(*p)++ = (unsigned char)n;
    memcpy(*p, name, n);
    *p += n;
    *(*p)++ = 0;
    *(*p)++ = 0;
    *(*p)++ = 0;
    *(*p)++ = (unsigned char)v;
    memcpy(*p, value, v);
    *p += v;
}

/* A raw ZMTP 3.1 peer whose READY carries extra properties (C-HS-7: exposed as metadata). */
static void check_raw_peer_properties(void *ctx) {
    void *a = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(a, ZMQ_LINGER, 0);
    char bound[256];
    size_t size = sizeof bound;
    zmq_bind(a, "tcp://127.0.0.1:*");
    zmq_getsockopt(a, ZMQ_LAST_ENDPOINT, bound, &size);
    const char *colon = strrchr(bound, ':');
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)atoi(colon + 1));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0,
          "raw peer connected");

    unsigned char out[512];
    memset(out, 0, 64);
    out[0] = 0xFF;
    out[9] = 0x7F;
    out[10] = 3;
    out[11] = 1;
    memcpy(out + 12, "NULL", 4);
    unsigned char *p = out + 66; /* READY command body from here; header at 64..65 */
    *p++ = 5;
    memcpy(p, "READY", 5);
    p += 5;
    put_property(&p, "Socket-Type", "PAIR");
    put_property(&p, "X-Color", "blue");
    put_property(&p, "X-Color", "red");
    put_property(&p, "Peer-Address", "forged");
    out[64] = 0x04;
    out[65] = (unsigned char)(p - (out + 66));
    const size_t total = (size_t)(p - out);
    CHECK(send(fd, out, total, 0) == (ssize_t)total, "raw peer sent greeting and READY");
    /* libzmq treats a data frame that arrives before it has sent its own READY as a handshake
     * command (UNEXPECTED_COMMAND): read its greeting and READY (64 + 2 + 26 bytes) first. */
    unsigned char in[256];
    size_t have = 0;
    while (have < 92) {
        ssize_t n = recv(fd, in, sizeof in, 0);
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    CHECK(have >= 92, "raw peer got the greeting and READY");
    CHECK(send(fd, "\x00\x02hi", 4, 0) == 4, "raw peer sent a frame");

    zmq_msg_t msg;
    zmq_msg_init(&msg);
    CHECK(zmq_msg_recv(&msg, a, 0) == 2, "frame from the raw peer received");
    CHECK(property_is(&msg, "X-Color", "blue"), "X-Color from READY, first one wins");
    CHECK(property_is(&msg, "Peer-Address", "127.0.0.1"), "Peer-Address cannot be forged");
    CHECK(property_is(&msg, "Socket-Type", "PAIR"), "Socket-Type from READY");
    zmq_msg_close(&msg);
    close(fd);
    zmq_close(a);
}

/* With ZMQ_IPV6 libzmq binds IPv4 addresses v4-mapped and picks an interface's IPv6 address:
 * LAST_ENDPOINT shows it (and Peer-Address above follows from it). */
static void check_last_endpoint(void *ctx, const char *endpoint, int ipv6, const char *prefix) {
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(s, ZMQ_IPV6, ipv6);
    char bound[256] = "";
    size_t size = sizeof bound;
    int ok = zmq_bind(s, endpoint) == 0 &&
             zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, bound, &size) == 0 &&
             strncmp(bound, prefix, strlen(prefix)) == 0;
    char what[512]; /* room for `bound` whole (g++ -O1 -Wformat-truncation) */
    snprintf(what, sizeof what, "bind %s with IPV6 %d -> %s... (got %s)", endpoint, ipv6, prefix,
             bound);
    CHECK(ok, what);
    zmq_close(s);
}

int main(void) {
    void *ctx = zmq_ctx_new();
    check_last_endpoint(ctx, "tcp://127.0.0.1:*", 0, "tcp://127.0.0.1:");
    check_last_endpoint(ctx, "tcp://127.0.0.1:*", 1, "tcp://[::ffff:127.0.0.1]:");
    check_last_endpoint(ctx, "tcp://lo:*", 0, "tcp://127.0.0.1:");
    check_last_endpoint(ctx, "tcp://lo:*", 1, "tcp://[::1]:");
    check_last_endpoint(ctx, "tcp://*:*", 1, "tcp://[::]:");
    check_pair(ctx, "tcp://127.0.0.1:*", 0, "127.0.0.1");
    check_pair(ctx, "tcp://[::1]:*", 1, "::1");
    check_pair(ctx, "tcp://127.0.0.1:*", 1, "::ffff:127.0.0.1");

    char ipc_address[128];
    snprintf(ipc_address, sizeof ipc_address, "localhost:%u:%u:%d", (unsigned)getuid(),
             (unsigned)getgid(), (int)getpid());
    char ipc_endpoint[128];
    snprintf(ipc_endpoint, sizeof ipc_endpoint, "ipc://@zmtp-metadata-%d", (int)getpid());
    check_pair(ctx, ipc_endpoint, 0, ipc_address);
    check_pair(ctx, "ipc://*", 0, ipc_address);
    check_pair(ctx, "inproc://metadata", 0, NULL);

    check_ownership(ctx);
    check_pubsub(ctx);
    check_raw_peer_properties(ctx);
    zmq_ctx_term(ctx);
    return check_finish("metadata");
}
