/* errno values for API misuse, identical for zmtp and libzmq 4.3.4 (C-ERR, C-OPT-1, C-LIFE-4,
 * C-TCP-2, C-PUB-9, C-SUB-2). Only cases where both libraries are defined to agree. */
#include "check.h"

#include <stdint.h>

int main(void) {
    void *ctx = zmq_ctx_new();
    CHECK(ctx != NULL, "zmq_ctx_new");
    CHECK(zmq_socket(NULL, ZMQ_PAIR) == NULL && zmq_errno() == EFAULT,
          "zmq_socket(NULL ctx) -> EFAULT");
    CHECK(zmq_socket(ctx, 999) == NULL && zmq_errno() == EINVAL,
          "zmq_socket(unknown type) -> EINVAL");
    CHECK_ERRNO(zmq_ctx_term(NULL), EFAULT, "zmq_ctx_term(NULL) -> EFAULT");
    CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_IO_THREADS, -1), EINVAL, "IO_THREADS -1 -> EINVAL");
    CHECK(zmq_ctx_get(ctx, ZMQ_MAX_SOCKETS) == ZMQ_MAX_SOCKETS_DFLT, "MAX_SOCKETS default");
    CHECK_ERRNO(zmq_close(NULL), ENOTSOCK, "zmq_close(NULL) -> ENOTSOCK");
    CHECK_ERRNO(zmq_send(NULL, "x", 1, 0), ENOTSOCK, "zmq_send(NULL) -> ENOTSOCK");

    void *s = zmq_socket(ctx, ZMQ_PAIR);
    CHECK(s != NULL, "zmq_socket(ZMQ_PAIR)");
    CHECK_ERRNO(zmq_bind(s, "nope"), EINVAL, "bind without :// -> EINVAL");
    CHECK_ERRNO(zmq_bind(s, "bogus://x"), EPROTONOSUPPORT, "bind bogus:// -> EPROTONOSUPPORT");
    CHECK_ERRNO(zmq_connect(s, "tcp://127.0.0.1:*"), EINVAL, "connect with port * -> EINVAL");
    CHECK_ERRNO(zmq_unbind(s, "tcp://127.0.0.1:5998"), ENOENT, "unbind unknown -> ENOENT");
    CHECK_ERRNO(zmq_disconnect(s, "tcp://127.0.0.1:5998"), ENOENT, "disconnect unknown -> ENOENT");

    int64_t eight = 10;
    int four = 10;
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_SNDHWM, &eight, sizeof eight), EINVAL,
                "8-byte SNDHWM -> EINVAL");
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &four, sizeof four), EINVAL,
                "4-byte MAXMSGSIZE -> EINVAL");
    int minus = -1;
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_SNDHWM, &minus, sizeof minus), EINVAL, "SNDHWM -1 -> EINVAL");
    int minus2 = -2;
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_LINGER, &minus2, sizeof minus2), EINVAL,
                "LINGER -2 -> EINVAL");
    CHECK_ERRNO(zmq_setsockopt(s, 9999, &four, sizeof four), EINVAL, "unknown option -> EINVAL");
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_SUBSCRIBE, "a", 1), EINVAL, "SUBSCRIBE on PAIR -> EINVAL");

    CHECK(get_int_option(s, ZMQ_SNDHWM) == 1000, "SNDHWM default 1000");
    CHECK(get_int_option(s, ZMQ_LINGER) == -1, "LINGER default -1");
    CHECK(get_int_option(s, ZMQ_RECONNECT_IVL) == 100, "RECONNECT_IVL default 100");
    CHECK(get_int_option(s, ZMQ_HANDSHAKE_IVL) == 30000, "HANDSHAKE_IVL default 30000");
    int64_t maxmsgsize = 0;
    size_t size = sizeof maxmsgsize;
    CHECK(zmq_getsockopt(s, ZMQ_MAXMSGSIZE, &maxmsgsize, &size) == 0 && maxmsgsize == -1,
          "MAXMSGSIZE default -1");

    void *pub = zmq_socket(ctx, ZMQ_PUB);
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    char buf[8];
    CHECK_ERRNO(zmq_recv(pub, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSUP, "recv on PUB -> ENOTSUP");
    CHECK_ERRNO(zmq_send(sub, "x", 1, ZMQ_DONTWAIT), ENOTSUP, "send on SUB -> ENOTSUP");
    CHECK(get_int_option(sub, ZMQ_LINGER) == 0, "SUB LINGER default 0 (C-SUB-8)");

    zmq_msg_t msg;
    zmq_msg_init(&msg);
    CHECK_ERRNO(zmq_msg_set(&msg, ZMQ_MORE, 1), EINVAL, "zmq_msg_set -> EINVAL");
    CHECK_ERRNO(zmq_msg_get(&msg, 12345), EINVAL, "zmq_msg_get(unknown) -> EINVAL");
    zmq_msg_close(&msg);

    zmq_close(pub);
    zmq_close(sub);
    zmq_close(s);
    CHECK(zmq_ctx_shutdown(ctx) == 0, "zmq_ctx_shutdown");
    CHECK(zmq_socket(ctx, ZMQ_PAIR) == NULL && zmq_errno() == ETERM,
          "zmq_socket after shutdown -> ETERM");
    CHECK(zmq_ctx_term(ctx) == 0, "zmq_ctx_term");
    CHECK(strlen(zmq_strerror(ETERM)) > 0, "zmq_strerror(ETERM) has text");
    return check_finish("errno_checks");
}
