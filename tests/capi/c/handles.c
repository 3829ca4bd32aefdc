/* Stale handles (issue 10, item 10): after zmq_close(a), a socket created next must not be
 * reachable through `a`: calls on the stale handle fail with ENOTSOCK and leave the new socket
 * alone. The same for a terminated context (EFAULT). Built against zmtp's zmq.h the program
 * also requires that no new handle takes a closed one's address; libzmq's handles are heap
 * objects whose addresses malloc may reuse, so there the checks apply whenever they differ. */
#include "check.h"

#ifdef ZMTP_FD_LEVEL_TRIGGERED /* zmtp's zmq.h */
#define REQUIRE_FRESH_ADDRESSES 1
#else
#define REQUIRE_FRESH_ADDRESSES 0
#endif

int main(void) {
    void *ctx = zmq_ctx_new();
    void *a = zmq_socket(ctx, ZMQ_PAIR);
    CHECK(a != NULL, "socket a");
    CHECK(zmq_close(a) == 0, "close a");
    void *b = zmq_socket(ctx, ZMQ_PAIR);
    CHECK(b != NULL, "socket b, made after a was closed");
    set_int_option(b, ZMQ_LINGER, 0);
    if (REQUIRE_FRESH_ADDRESSES)
        CHECK(a != b, "b does not reuse a's handle");
    if (a != b) {
        int value = 123;
        CHECK_ERRNO(zmq_setsockopt(a, ZMQ_SNDHWM, &value, sizeof value), ENOTSOCK,
                    "setsockopt on stale a: ENOTSOCK");
        size_t size = sizeof value;
        CHECK_ERRNO(zmq_getsockopt(a, ZMQ_TYPE, &value, &size), ENOTSOCK,
                    "getsockopt on stale a: ENOTSOCK");
        CHECK_ERRNO(zmq_bind(a, "inproc://stale"), ENOTSOCK, "bind on stale a: ENOTSOCK");
        CHECK_ERRNO(zmq_send(a, "x", 1, ZMQ_DONTWAIT), ENOTSOCK, "send on stale a: ENOTSOCK");
        char buf[4];
        CHECK_ERRNO(zmq_recv(a, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSOCK,
                    "recv on stale a: ENOTSOCK");
        CHECK_ERRNO(zmq_close(a), ENOTSOCK, "close on stale a: ENOTSOCK");
        CHECK(get_int_option(b, ZMQ_SNDHWM) == 1000, "b's SNDHWM untouched by calls on a");
        /* The bind on a did not happen on b: b can bind that name itself. */
        CHECK(zmq_bind(b, "inproc://stale") == 0, "b binds the name the stale bind named");
    }

    /* Many sockets made and closed after a: none takes a's handle, a stays dead. */
    int reused = 0;
    for (int i = 0; i < 1000; ++i) {
        void *c = zmq_socket(ctx, ZMQ_PUB);
        if (!c) {
            CHECK(0, "zmq_socket in the loop");
            break;
        }
        if (c == a || c == b)
            ++reused;
        zmq_close(c);
    }
    if (REQUIRE_FRESH_ADDRESSES)
        CHECK(reused == 0, "1000 later sockets: none reuses a live or recently closed handle");
    CHECK(zmq_close(b) == 0, "close b");
    CHECK(zmq_ctx_term(ctx) == 0, "term the context");

    /* Contexts: a terminated context is not the next one. */
    void *c1 = zmq_ctx_new();
    CHECK(zmq_ctx_term(c1) == 0, "term c1");
    void *c2 = zmq_ctx_new();
    CHECK(c2 != NULL, "c2, made after c1 was terminated");
    if (REQUIRE_FRESH_ADDRESSES)
        CHECK(c1 != c2, "c2 does not reuse c1's handle");
    if (c1 != c2) {
        CHECK(zmq_socket(c1, ZMQ_PAIR) == NULL && zmq_errno() == EFAULT,
              "zmq_socket on stale c1: EFAULT");
        CHECK_ERRNO(zmq_ctx_set(c1, ZMQ_IO_THREADS, 3), EFAULT, "ctx_set on stale c1: EFAULT");
        CHECK(zmq_ctx_get(c2, ZMQ_IO_THREADS) == 1, "c2 untouched by the call on c1");
        CHECK_ERRNO(zmq_ctx_term(c1), EFAULT, "ctx_term on stale c1: EFAULT");
    }
    CHECK(zmq_ctx_term(c2) == 0, "term c2");
    return check_finish("handles");
}
