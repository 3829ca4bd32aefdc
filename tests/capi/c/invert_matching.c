/* ZMQ_INVERT_MATCHING as libzmq 4.3.4 behaves (issue 10 item 12), over inproc and tcp: a PUB
 * with it sends each message to the subscribers whose subscriptions do NOT match it, and a SUB
 * with it receives only what matches none of its subscriptions (zmq_setsockopt(3): both sides
 * set it). SUB "a" and SUB "b" each receive exactly the other's topic and what neither has. */
#include "check.h"

#include <errno.h>

static void *make(void *ctx, int type) {
    void *s = zmq_socket(ctx, type);
    set_int_option(s, ZMQ_LINGER, 0);
    set_int_option(s, ZMQ_INVERT_MATCHING, 1);
    return s;
}

/* Reads messages until "end"; returns 1 if exactly `want` came before it. */
static int receives_then_end(void *s, const char *want) {
    char buf[16];
    int n = zmq_recv(s, buf, sizeof buf - 1, 0);
    while (n == 1 && buf[0] == 'c') /* probes still in flight */
        n = zmq_recv(s, buf, sizeof buf - 1, 0);
    if (n < 0)
        return 0;
    buf[n] = 0;
    if (strcmp(buf, want) != 0)
        return 0;
    n = zmq_recv(s, buf, sizeof buf - 1, 0);
    return n == 3 && memcmp(buf, "end", 3) == 0;
}

static void run(const char *endpoint) {
    printf("-- %s\n", endpoint);
    void *ctx = zmq_ctx_new();
    void *pub = make(ctx, ZMQ_PUB);
    void *sub_a = make(ctx, ZMQ_SUB);
    void *sub_b = make(ctx, ZMQ_SUB);
    CHECK(get_int_option(pub, ZMQ_INVERT_MATCHING) == 1, "INVERT_MATCHING reads back 1");
    CHECK(zmq_setsockopt(sub_a, ZMQ_INVERT_MATCHING, &(int){2}, sizeof(int)) == 0 &&
              get_int_option(sub_a, ZMQ_INVERT_MATCHING) == 1,
          "INVERT_MATCHING 2 is taken as 1 (libzmq reads any non-zero int as true)");
    zmq_setsockopt(sub_a, ZMQ_SUBSCRIBE, "a", 1);
    zmq_setsockopt(sub_b, ZMQ_SUBSCRIBE, "b", 1);
    set_int_option(sub_a, ZMQ_RCVTIMEO, 100);
    set_int_option(sub_b, ZMQ_RCVTIMEO, 100);
    CHECK(zmq_bind(pub, endpoint) == 0, "PUB binds");
    char last[256];
    size_t len = sizeof last;
    zmq_getsockopt(pub, ZMQ_LAST_ENDPOINT, last, &len);
    CHECK(zmq_connect(sub_a, last) == 0 && zmq_connect(sub_b, last) == 0, "both SUBs connect");

    /* "c" matches neither subscription, so an inverting PUB sends it to both: wait for it. */
    char buf[16];
    int got_a = 0, got_b = 0;
    for (int i = 0; i < 50 && !(got_a && got_b); ++i) {
        zmq_send(pub, "c", 1, 0);
        got_a = got_a || zmq_recv(sub_a, buf, sizeof buf, 0) == 1;
        got_b = got_b || zmq_recv(sub_b, buf, sizeof buf, 0) == 1;
    }
    CHECK(got_a && got_b, "a message matching no subscription reaches both SUBs");

    set_int_option(sub_a, ZMQ_RCVTIMEO, 5000);
    set_int_option(sub_b, ZMQ_RCVTIMEO, 5000);
    zmq_send(pub, "a1", 2, 0);
    zmq_send(pub, "b1", 2, 0);
    zmq_send(pub, "end", 3, 0);
    CHECK(receives_then_end(sub_a, "b1"), "SUB 'a' receives b1 (not a1), then end");
    CHECK(receives_then_end(sub_b, "a1"), "SUB 'b' receives a1 (not b1), then end");

    zmq_close(sub_a);
    zmq_close(sub_b);
    zmq_close(pub);
    zmq_ctx_term(ctx);
}

int main(void) {
    run("inproc://invert-matching");
    run("tcp://127.0.0.1:*");
    return check_finish("invert_matching");
}
