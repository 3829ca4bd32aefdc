/* zmq_getsockopt of the int options libzmq reads into any buffer of at least an int (RCVMORE,
 * EVENTS, FD) (issue 10, item 14): the whole buffer is zeroed, the int written at its start,
 * and *size set to sizeof(int), as libzmq 4.3.4 does. So RCVMORE read into an int64_t reads
 * exactly 0 or 1. Fixed-size int options still refuse a larger buffer with EINVAL. */
#include "check.h"

#include <stdint.h>

static int all_zero(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; ++i)
        if (p[i] != 0)
            return 0;
    return 1;
}

int main(void) {
    void *ctx = zmq_ctx_new();
    void *a = zmq_socket(ctx, ZMQ_PAIR);
    void *b = zmq_socket(ctx, ZMQ_PAIR);
    CHECK(zmq_bind(a, "inproc://sizes") == 0, "bind inproc");
    CHECK(zmq_connect(b, "inproc://sizes") == 0, "connect inproc");
    set_int_option(a, ZMQ_RCVTIMEO, 5000);

    int64_t more = 0x7777777777777777LL;
    size_t size = sizeof more;
    CHECK(zmq_getsockopt(a, ZMQ_RCVMORE, &more, &size) == 0, "RCVMORE into an int64_t");
    CHECK(more == 0, "  reads 0 (the upper bytes are zeroed)");
    CHECK(size == sizeof(int), "  size is sizeof(int)");

    CHECK(zmq_send(b, "x", 1, ZMQ_SNDMORE) == 1 && zmq_send(b, "y", 1, 0) == 1,
          "send a two-part message");
    char buf[4];
    CHECK(zmq_recv(a, buf, sizeof buf, 0) == 1, "receive the first part");
    more = 0x7777777777777777LL;
    size = sizeof more;
    /* The int 1 at the start of the buffer: the int64_t reads 1 on a little-endian machine,
     * 1 << 32 on a big-endian one (libzmq does the same there; RCVMORE is an int). */
    int more_int = 0;
    CHECK(zmq_getsockopt(a, ZMQ_RCVMORE, &more, &size) == 0 &&
              (memcpy(&more_int, &more, sizeof more_int), more_int == 1) &&
              all_zero((const unsigned char *)&more + sizeof(int), sizeof more - sizeof(int)),
          "RCVMORE into an int64_t: the int at its start is 1 after a non-final part");

    unsigned char wide[16];
    memset(wide, 0x77, sizeof wide);
    size = sizeof wide;
    CHECK(zmq_getsockopt(a, ZMQ_RCVMORE, wide, &size) == 0 && size == sizeof(int),
          "RCVMORE into 16 bytes");
    int first = 0;
    memcpy(&first, wide, sizeof first);
    CHECK(first == 1 && all_zero(wide + sizeof(int), sizeof wide - sizeof(int)),
          "  the int is 1 and every other byte is zero");

    memset(wide, 0x77, sizeof wide);
    size = sizeof wide;
    CHECK(zmq_getsockopt(a, ZMQ_EVENTS, wide, &size) == 0 && size == sizeof(int) &&
              all_zero(wide + sizeof(int), sizeof wide - sizeof(int)),
          "EVENTS into 16 bytes: size sizeof(int), the rest zeroed");
    memset(wide, 0x77, sizeof wide);
    size = sizeof wide;
    CHECK(zmq_getsockopt(a, ZMQ_FD, wide, &size) == 0 && size == sizeof(int) &&
              all_zero(wide + sizeof(int), sizeof wide - sizeof(int)),
          "FD into 16 bytes: size sizeof(int), the rest zeroed");

    int64_t wide_linger = 0;
    size = sizeof wide_linger;
    CHECK_ERRNO(zmq_getsockopt(a, ZMQ_LINGER, &wide_linger, &size), EINVAL,
                "LINGER into an int64_t: EINVAL (exact size)");
    short narrow = 0;
    size = sizeof narrow;
    CHECK_ERRNO(zmq_getsockopt(a, ZMQ_RCVMORE, &narrow, &size), EINVAL,
                "RCVMORE into 2 bytes: EINVAL");

    CHECK(zmq_recv(a, buf, sizeof buf, 0) == 1, "receive the last part");
    zmq_close(b);
    zmq_close(a);
    zmq_ctx_term(ctx);
    return check_finish("getsockopt_sizes");
}
