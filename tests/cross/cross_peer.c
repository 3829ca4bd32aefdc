/* One side of the cross-architecture interop test (run_interop.py): zmtp's C API, built for
 * the target (big-endian s390x or mips under qemu, or the host), against a libzmq peer on the
 * host. Usage: cross_peer pair|pub|sub bind|connect ENDPOINT
 *   bind: prints the bound endpoint on a line of its own, then runs.
 *   pair: receives the test sequence and checks every octet, then sends it back.
 *   sub:  subscribes to "data", receives the test sequence (checks it), until "data-end".
 *   pub:  publishes a probe until stdin says "go" (the subscriber is in), then the sequence,
 *         messages on topic "other" between (the peer must not see them), and "data-end".
 * The sequence: message k is two frames, "data" and a payload of sizes[k] octets where octet
 * j is (k * 7 + j * 13) & 0xff: short (1-octet) and long (8-octet, big-endian) frame lengths
 * both ways. Exit status 0 when all checked out. */
#include <zmq.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const size_t sizes[] = {0, 1, 255, 256, 1000, 65536 + 7, 300000};
#define N_MESSAGES (sizeof sizes / sizeof sizes[0])

static int fail(const char *what) {
    fprintf(stderr, "cross_peer: %s failed: %s\n", what, zmq_strerror(zmq_errno()));
    return 1;
}

static unsigned char *payload(size_t k) {
    unsigned char *p = malloc(sizes[k] + 1);
    for (size_t j = 0; j < sizes[k]; ++j)
        p[j] = (unsigned char)((k * 7 + j * 13) & 0xff);
    return p;
}

static int send_sequence(void *s) {
    for (size_t k = 0; k < N_MESSAGES; ++k) {
        unsigned char *p = payload(k);
        int ok = zmq_send(s, "data", 4, ZMQ_SNDMORE) == 4 &&
                 zmq_send(s, p, sizes[k], 0) == (int)sizes[k];
        free(p);
        if (!ok)
            return fail("send");
        if (zmq_send(s, "other", 5, 0) != 5) /* filtered out on a SUB peer; PAIR ignores it */
            return fail("send other");
    }
    return zmq_send(s, "data-end", 8, 0) == 8 ? 0 : fail("send end");
}

/* Receives one frame into a zmq_msg_t; returns its size or -1. */
static int recv_frame(void *s, zmq_msg_t *m) {
    zmq_msg_close(m);
    zmq_msg_init(m);
    return zmq_msg_recv(m, s, 0);
}

static int recv_sequence(void *s, int pair) {
    zmq_msg_t m;
    zmq_msg_init(&m);
    size_t k = 0;
    int rc = 0;
    for (;;) {
        if (recv_frame(s, &m) < 0) {
            rc = fail("recv");
            break;
        }
        if (zmq_msg_size(&m) == 8 && memcmp(zmq_msg_data(&m), "data-end", 8) == 0)
            break;
        if (zmq_msg_size(&m) == 5 && memcmp(zmq_msg_data(&m), "other", 5) == 0) {
            if (pair)
                continue;
            fprintf(stderr, "cross_peer: a message on an unsubscribed topic came through\n");
            rc = 1;
            break;
        }
        if (zmq_msg_size(&m) != 4 || memcmp(zmq_msg_data(&m), "data", 4) != 0 ||
            !zmq_msg_more(&m) || k >= N_MESSAGES || recv_frame(s, &m) < 0) {
            fprintf(stderr, "cross_peer: message %zu: bad topic frame\n", k);
            rc = 1;
            break;
        }
        unsigned char *want = payload(k);
        const int same = zmq_msg_size(&m) == sizes[k] && !zmq_msg_more(&m) &&
                         memcmp(zmq_msg_data(&m), want, sizes[k]) == 0;
        free(want);
        if (!same) {
            fprintf(stderr, "cross_peer: message %zu: %zu octets, want %zu, or content differs\n",
                    k, zmq_msg_size(&m), sizes[k]);
            rc = 1;
            break;
        }
        ++k;
    }
    zmq_msg_close(&m);
    if (rc == 0 && k != N_MESSAGES) {
        fprintf(stderr, "cross_peer: %zu messages of %zu\n", k, (size_t)N_MESSAGES);
        rc = 1;
    }
    return rc;
}

/* PUB: a probe until the subscriber says "go" on stdin (zmq_poll waits on stdin). */
static int publish_until_go(void *s) {
    zmq_pollitem_t item = {NULL, 0, ZMQ_POLLIN, 0};
    for (;;) {
        if (zmq_send(s, "data-probe", 10, 0) != 10)
            return fail("send probe");
        item.revents = 0;
        const int n = zmq_poll(&item, 1, 20);
        if (n < 0)
            return fail("zmq_poll");
        if (n > 0) {
            char line[16];
            return fgets(line, sizeof line, stdin) && strncmp(line, "go", 2) == 0 ? 0 : 1;
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: cross_peer pair|pub|sub bind|connect ENDPOINT\n");
        return 2;
    }
    const char *role = argv[1];
    const int type = strcmp(role, "pair") == 0  ? ZMQ_PAIR
                     : strcmp(role, "pub") == 0 ? ZMQ_PUB
                                                : ZMQ_SUB;
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, type);
    const int timeout = 60000, linger = 10000;
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    if (type == ZMQ_SUB && zmq_setsockopt(s, ZMQ_SUBSCRIBE, "data", 4) != 0)
        return fail("subscribe");
    if (strcmp(argv[2], "bind") == 0) {
        if (zmq_bind(s, argv[3]) != 0)
            return fail("bind");
        char endpoint[256];
        size_t size = sizeof endpoint;
        zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, endpoint, &size);
        printf("%s\n", endpoint);
        fflush(stdout);
    } else if (zmq_connect(s, argv[3]) != 0) {
        return fail("connect");
    }
    int rc;
    if (type == ZMQ_PAIR)
        rc = recv_sequence(s, 1) || send_sequence(s);
    else if (type == ZMQ_SUB)
        rc = recv_sequence(s, 0);
    else
        rc = publish_until_go(s) || send_sequence(s);
    zmq_close(s);
    zmq_ctx_term(ctx);
    printf("cross_peer %s %s: %s\n", role, argv[2], rc == 0 ? "ok" : "FAILED");
    return rc;
}
