/* zmq_sendiov / zmq_recviov as libzmq 4.3.4 behaves (issue 10 item 4), over inproc and tcp:
 * with ZMQ_SNDMORE the elements form one multipart message whose last part has no SNDMORE (so
 * the message completes); without it each element is a message of its own; the return value is
 * the size of the last part. zmq_recviov returns the number of frames (and leaves it in
 * *count), reads at most *count frames of a message, and refuses *count == 0 / NULL. */
#include "check.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/uio.h>

/* Receives one frame (RCVTIMEO bounds it); returns its size and RCVMORE in *more, or -1. */
static int recv_frame(void *s, char *buf, size_t len, int *more) {
    const int n = zmq_recv(s, buf, len, 0);
    if (n >= 0)
        *more = get_int_option(s, ZMQ_RCVMORE);
    return n;
}

static void free_iov(struct iovec *iov, size_t n) {
    for (size_t i = 0; i < n; ++i)
        free(iov[i].iov_base);
}

static void run(const char *endpoint) {
    printf("-- %s\n", endpoint);
    void *ctx = zmq_ctx_new();
    void *a = zmq_socket(ctx, ZMQ_PAIR);
    void *b = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(a, ZMQ_LINGER, 0);
    set_int_option(b, ZMQ_LINGER, 0);
    set_int_option(b, ZMQ_RCVTIMEO, 5000); /* a hang shows as a failure, not a stuck test */
    CHECK(zmq_bind(b, endpoint) == 0, "bind");
    char last[256];
    size_t last_len = sizeof last;
    zmq_getsockopt(b, ZMQ_LAST_ENDPOINT, last, &last_len);
    CHECK(zmq_connect(a, last) == 0, "connect");

    struct iovec parts[3] = {{"ab", 2}, {"cde", 3}, {"f", 1}};
    CHECK(zmq_sendiov(a, parts, 3, ZMQ_SNDMORE) == 1, "sendiov SNDMORE returns the last part's size");
    char buf[16];
    int more = -1;
    CHECK(recv_frame(b, buf, sizeof buf, &more) == 2 && more == 1, "part 1 of 3, more");
    CHECK(recv_frame(b, buf, sizeof buf, &more) == 3 && more == 1, "part 2 of 3, more");
    CHECK(recv_frame(b, buf, sizeof buf, &more) == 1 && more == 0,
          "part 3 of 3 arrives without more: the message completed");

    CHECK(zmq_sendiov(a, parts, 3, 0) == 1, "sendiov without SNDMORE");
    CHECK(recv_frame(b, buf, sizeof buf, &more) == 2 && more == 0, "element 1: its own message");
    CHECK(recv_frame(b, buf, sizeof buf, &more) == 3 && more == 0, "element 2: its own message");
    CHECK(recv_frame(b, buf, sizeof buf, &more) == 1 && more == 0, "element 3: its own message");
    CHECK_ERRNO(zmq_sendiov(a, parts, 0, 0), EINVAL, "sendiov of 0 elements: EINVAL");

    CHECK(zmq_sendiov(a, parts, 3, ZMQ_SNDMORE) == 1, "send a 3-part message");
    struct iovec got[5];
    size_t count = 5;
    CHECK(zmq_recviov(b, got, &count, 0) == 3 && count == 3,
          "recviov returns the number of frames (3), not bytes (6)");
    CHECK(got[0].iov_len == 2 && memcmp(got[0].iov_base, "ab", 2) == 0 && got[1].iov_len == 3 &&
              memcmp(got[1].iov_base, "cde", 3) == 0 && got[2].iov_len == 1 &&
              memcmp(got[2].iov_base, "f", 1) == 0,
          "recviov frames hold the parts");
    free_iov(got, count);

    CHECK(zmq_sendiov(a, parts, 3, ZMQ_SNDMORE) == 1, "send another 3-part message");
    count = 2;
    CHECK(zmq_recviov(b, got, &count, 0) == 2 && count == 2, "recviov with room for 2: 2 frames");
    free_iov(got, count);
    count = 2;
    CHECK(zmq_recviov(b, got, &count, 0) == 1 && count == 1 && got[0].iov_len == 1,
          "the next recviov gets the rest of that message");
    free_iov(got, count);

    count = 0;
    CHECK_ERRNO(zmq_recviov(b, got, &count, ZMQ_DONTWAIT), EINVAL, "recviov with *count 0: EINVAL");
    CHECK_ERRNO(zmq_recviov(b, got, NULL, ZMQ_DONTWAIT), EINVAL, "recviov with count NULL: EINVAL");
    count = 2;
    CHECK_ERRNO(zmq_recviov(b, got, &count, ZMQ_DONTWAIT), EAGAIN, "recviov, nothing queued: EAGAIN");

    zmq_close(a);
    zmq_close(b);
    zmq_ctx_term(ctx);
}

int main(void) {
    run("inproc://iov");
    run("tcp://127.0.0.1:*");
    return check_finish("iov");
}
