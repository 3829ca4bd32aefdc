/* ZMQ_CONFLATE as libzmq 4.3.4 behaves (issue 10 item 12): PUSH/PULL and PUB/SUB keep only the
 * newest message (the HWM no longer applies), of a multipart message only its last part
 * arrives (as a single-part message), PAIR accepts the option and still queues everything,
 * and the option takes 0 or 1 only. The queue checks run over inproc, where the connecting
 * socket's CONFLATE shapes the pipe and nothing is in flight, so the counts are exact; a tcp
 * round shows the newest message still reaches the reader through an engine. */
#include "check.h"

#include <errno.h>
#include <stdio.h>

static void send_numbers(void *s, int n) {
    char text[16];
    for (int i = 0; i < n; ++i) {
        int len = snprintf(text, sizeof text, "%d", i);
        zmq_send(s, text, (size_t)len, 0);
    }
}

/* Receives without waiting; returns the frame as a number (-1 if none). */
static int recv_number(void *s) {
    char text[16];
    int n = zmq_recv(s, text, sizeof text - 1, ZMQ_DONTWAIT);
    if (n < 0)
        return -1;
    text[n] = 0;
    int v = -1;
    sscanf(text, "%d", &v);
    return v;
}

static void *make(void *ctx, int type, int conflate) {
    void *s = zmq_socket(ctx, type);
    set_int_option(s, ZMQ_LINGER, 0);
    if (conflate)
        set_int_option(s, ZMQ_CONFLATE, 1);
    return s;
}

static void push_pull(void *ctx) {
    void *pull = make(ctx, ZMQ_PULL, 1);
    void *push = make(ctx, ZMQ_PUSH, 1);
    set_int_option(push, ZMQ_SNDHWM, 2); /* ignored under CONFLATE: 10 sends never block */
    CHECK(zmq_bind(pull, "inproc://conflate-pp") == 0, "PULL binds");
    CHECK(zmq_connect(push, "inproc://conflate-pp") == 0, "PUSH connects");
    int sent = 0;
    for (int i = 0; i < 10; ++i)
        sent += zmq_send(push, "x", 1, ZMQ_DONTWAIT) == 1;
    CHECK(sent == 10, "PUSH conflate: SNDHWM 2 does not stop 10 DONTWAIT sends");
    char one[4];
    CHECK(zmq_recv(pull, one, sizeof one, ZMQ_DONTWAIT) == 1, "...and the PULL holds one of them");
    CHECK_ERRNO(zmq_recv(pull, one, sizeof one, ZMQ_DONTWAIT), EAGAIN, "...only one");
    send_numbers(push, 10);
    CHECK(recv_number(pull) == 9, "PULL gets only the newest message (9)");
    CHECK(recv_number(pull) == -1 && zmq_errno() == EAGAIN, "...and nothing else");

    CHECK(zmq_send(push, "A", 1, ZMQ_SNDMORE) == 1, "multipart: first part accepted");
    CHECK(zmq_send(push, "B", 1, 0) == 1, "multipart: last part accepted");
    char buf[4];
    CHECK(zmq_recv(pull, buf, sizeof buf, ZMQ_DONTWAIT) == 1 && buf[0] == 'B' &&
              get_int_option(pull, ZMQ_RCVMORE) == 0,
          "multipart: only the last part arrives, as a single-part message");
    CHECK_ERRNO(zmq_recv(pull, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN, "...and nothing else");
    zmq_close(push);
    zmq_close(pull);
}

static void pub_sub(void *ctx) {
    void *pub = make(ctx, ZMQ_PUB, 0);
    void *sub = make(ctx, ZMQ_SUB, 1);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0);
    CHECK(zmq_bind(pub, "inproc://conflate-ps") == 0, "PUB binds");
    CHECK(zmq_connect(sub, "inproc://conflate-ps") == 0, "SUB (conflate) connects");
    send_numbers(pub, 5);
    CHECK(recv_number(sub) == 4, "SUB gets only the newest message (4)");
    CHECK(recv_number(sub) == -1 && zmq_errno() == EAGAIN, "...and nothing else");
    zmq_close(sub);
    zmq_close(pub);
}

static void pair_unaffected(void *ctx) {
    void *a = make(ctx, ZMQ_PAIR, 1);
    void *b = make(ctx, ZMQ_PAIR, 1);
    CHECK(get_int_option(a, ZMQ_CONFLATE) == 1, "PAIR accepts CONFLATE (reads back 1)");
    zmq_bind(b, "inproc://conflate-pair");
    zmq_connect(a, "inproc://conflate-pair");
    send_numbers(a, 3);
    CHECK(recv_number(b) == 0 && recv_number(b) == 1 && recv_number(b) == 2,
          "PAIR with CONFLATE still queues every message, as libzmq");
    zmq_close(a);
    zmq_close(b);
}

static void tcp_newest(void *ctx) {
    void *pull = make(ctx, ZMQ_PULL, 1);
    void *push = make(ctx, ZMQ_PUSH, 1);
    set_int_option(pull, ZMQ_RCVTIMEO, 5000);
    zmq_bind(pull, "tcp://127.0.0.1:*");
    char last[256];
    size_t len = sizeof last;
    zmq_getsockopt(pull, ZMQ_LAST_ENDPOINT, last, &len);
    CHECK(zmq_connect(push, last) == 0, "tcp: PUSH connects");
    send_numbers(push, 100);
    int got = -1, previous = -1, ordered = 1, count = 0;
    char text[16];
    while (got != 99) {
        int n = zmq_recv(pull, text, sizeof text - 1, 0);
        if (n < 0)
            break;
        text[n] = 0;
        sscanf(text, "%d", &got);
        ordered = ordered && got > previous;
        previous = got;
        ++count;
    }
    CHECK(got == 99 && ordered, "tcp: the newest message arrives; none twice or out of order");
    zmq_close(push);
    zmq_close(pull);
}

int main(void) {
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PUSH);
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_CONFLATE, &(int){2}, sizeof(int)), EINVAL,
                "CONFLATE 2: EINVAL");
    CHECK(get_int_option(s, ZMQ_CONFLATE) == 0, "CONFLATE defaults to 0");
    zmq_close(s);
    push_pull(ctx);
    pub_sub(ctx);
    pair_unaffected(ctx);
    tcp_newest(ctx);
    zmq_ctx_term(ctx);
    return check_finish("conflate");
}
