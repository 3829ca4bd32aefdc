/* zmq_unbind knows a bound endpoint by its resolved address, the form ZMQ_LAST_ENDPOINT gives
 * (issue 10 item 8): after binding a wildcard (a port of * or 0, a host of *, ipc with a * path)
 * unbinding with the wildcard string fails with ENOENT and leaves the endpoint bound; unbinding
 * with LAST_ENDPOINT works, once. A concrete address unbinds with the string it was bound with.
 * Written for libzmq 4.3.4 and zmtp alike. */
#include "check.h"

#include <errno.h>
#include <unistd.h>

static void wildcard(void *ctx, const char *endpoint) {
    printf("-- %s\n", endpoint);
    void *s = zmq_socket(ctx, ZMQ_PUB);
    set_int_option(s, ZMQ_LINGER, 0);
    CHECK(zmq_bind(s, endpoint) == 0, "bind the wildcard");
    char last[256];
    size_t len = sizeof last;
    CHECK(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, last, &len) == 0 && strcmp(last, endpoint) != 0,
          "LAST_ENDPOINT names the resolved address");
    CHECK_ERRNO(zmq_unbind(s, endpoint), ENOENT, "unbind with the wildcard string: ENOENT");

    /* Still bound: a peer can connect and receive. */
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    set_int_option(sub, ZMQ_LINGER, 0);
    set_int_option(sub, ZMQ_RCVTIMEO, 100);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0);
    CHECK(zmq_connect(sub, last) == 0, "connect to LAST_ENDPOINT");
    char buf[8];
    int got = -1;
    for (int i = 0; i < 50 && got < 0; ++i) { /* until the subscription has reached the PUB */
        zmq_send(s, "x", 1, 0);
        got = zmq_recv(sub, buf, sizeof buf, 0);
    }
    CHECK(got == 1, "the endpoint still serves after the failed unbind");
    zmq_close(sub);

    CHECK(zmq_unbind(s, last) == 0, "unbind with LAST_ENDPOINT");
    CHECK_ERRNO(zmq_unbind(s, last), ENOENT, "a second unbind: ENOENT");
    zmq_close(s);
}

static void concrete(void *ctx, const char *endpoint) {
    printf("-- %s\n", endpoint);
    void *s = zmq_socket(ctx, ZMQ_PUB);
    set_int_option(s, ZMQ_LINGER, 0);
    CHECK(zmq_bind(s, endpoint) == 0, "bind a concrete address");
    CHECK(zmq_unbind(s, endpoint) == 0, "unbind with the same string");
    CHECK_ERRNO(zmq_unbind(s, endpoint), ENOENT, "a second unbind: ENOENT");
    zmq_close(s);
}

int main(void) {
    void *ctx = zmq_ctx_new();
    wildcard(ctx, "tcp://127.0.0.1:*");
    wildcard(ctx, "tcp://*:*");
    wildcard(ctx, "tcp://127.0.0.1:0");
    wildcard(ctx, "ipc://*");
    concrete(ctx, "inproc://unbind-wildcard");

    char path[128];
    snprintf(path, sizeof path, "ipc:///tmp/zmtp-unbind-wildcard-%d.sock", (int)getpid());
    concrete(ctx, path);

    zmq_ctx_term(ctx);
    return check_finish("unbind_wildcard");
}
