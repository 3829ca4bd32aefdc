/* Connection-level options of issue 10 item 12, against libzmq's behaviour:
 *   - ZMQ_TCP_ACCEPT_FILTER: validation (numeric address with an optional prefix, EINVAL
 *     otherwise, NULL/0 clears) and a peer outside every filter is closed at accept (the
 *     connecting side's handshake fails), one inside any filter is served;
 *   - ZMQ_USE_FD: zmq_bind adopts a tcp or ipc socket the caller bound and listens on;
 *   - ZMQ_CONNECT_TIMEOUT: a tcp connect whose SYN goes unanswered (a listener whose accept
 *     queue is full drops it) is abandoned after that many ms: CLOSED, then CONNECT_RETRIED,
 *     where without the option the kernel would keep trying for minutes;
 *   - ZMQ_AFFINITY: only existing I/O threads may be named (EMTHREAD otherwise). */
#include "sockets.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int serial = 0;

static void *monitor(void *ctx, void *s) {
    char ep[64];
    snprintf(ep, sizeof ep, "inproc://opt-connect-mon-%d", serial++);
    zmq_socket_monitor(s, ep, ZMQ_EVENT_ALL);
    void *mon = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(mon, ZMQ_RCVTIMEO, 5000);
    zmq_connect(mon, ep);
    return mon;
}

/* PUSH connects to `endpoint`, sends; true if `pull` receives it. */
static int passes(void *ctx, void *pull, const char *endpoint) {
    void *push = test_socket(ctx, ZMQ_PUSH);
    zmq_connect(push, endpoint);
    zmq_send(push, "hi", 2, 0);
    char buf[8];
    const int ok = zmq_recv(pull, buf, sizeof buf, 0) == 2;
    zmq_close(push);
    return ok;
}

static int set_filter(void *s, const char *f) {
    return zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, f, f ? strlen(f) : 0);
}

static void accept_filter(void *ctx) {
    void *s = test_socket(ctx, ZMQ_PULL);
    CHECK(set_filter(s, "127.0.0.1") == 0, "ACCEPT_FILTER 127.0.0.1");
    CHECK(set_filter(s, "127.0.0.0/8") == 0, "ACCEPT_FILTER 127.0.0.0/8");
    CHECK(set_filter(s, "10.0.0.0/0") == 0, "ACCEPT_FILTER 10.0.0.0/0");
    CHECK_ERRNO(set_filter(s, "127.0.0.0/33"), EINVAL, "ACCEPT_FILTER /33: EINVAL");
    CHECK_ERRNO(set_filter(s, "127.0.0.0/"), EINVAL, "ACCEPT_FILTER empty prefix: EINVAL");
    CHECK_ERRNO(set_filter(s, "127.0.0.0/x"), EINVAL, "ACCEPT_FILTER /x: EINVAL");
    CHECK_ERRNO(set_filter(s, "127.0.0.1/-1"), EINVAL, "ACCEPT_FILTER /-1: EINVAL");
    CHECK_ERRNO(set_filter(s, "localhost"), EINVAL, "ACCEPT_FILTER names: EINVAL");
    CHECK_ERRNO(set_filter(s, "::1"), EINVAL, "ACCEPT_FILTER IPv6 without ZMQ_IPV6: EINVAL");
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, "", 0), EINVAL,
                "ACCEPT_FILTER \"\" (length 0): EINVAL");
    CHECK(set_filter(s, NULL) == 0, "ACCEPT_FILTER NULL/0 clears the list");
    char buf[64];
    size_t size = sizeof buf;
    CHECK_ERRNO(zmq_getsockopt(s, ZMQ_TCP_ACCEPT_FILTER, buf, &size), EINVAL,
                "ACCEPT_FILTER is write-only");
    zmq_close(s);

    /* A peer outside the filter: closed at accept. */
    void *pull = test_socket(ctx, ZMQ_PULL);
    set_filter(pull, "10.1.2.3");
    set_filter(pull, "192.168.0.0/16");
    zmq_bind(pull, "tcp://127.0.0.1:*");
    char endpoint[256];
    last_endpoint(pull, endpoint, sizeof endpoint);
    void *push = test_socket(ctx, ZMQ_PUSH);
    void *mon = monitor(ctx, push);
    zmq_connect(push, endpoint);
    int e;
    while ((e = next_monitor_event(mon)) == ZMQ_EVENT_CONNECT_DELAYED)
        ;
    CHECK(e == ZMQ_EVENT_CONNECTED, "filtered out: the tcp connect itself succeeds");
    CHECK(next_monitor_event(mon) == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL,
          "... the listener closes it before any greeting: HANDSHAKE_FAILED_NO_DETAIL");
    CHECK(next_monitor_event(mon) == ZMQ_EVENT_DISCONNECTED, "... then DISCONNECTED");
    zmq_socket_monitor(push, NULL, 0);
    zmq_close(mon);
    zmq_close(push);
    zmq_close(pull);

    /* A peer inside one of the filters: served. */
    pull = test_socket(ctx, ZMQ_PULL);
    set_filter(pull, "10.1.2.3");
    set_filter(pull, "127.0.0.0/8");
    zmq_bind(pull, "tcp://127.0.0.1:*");
    last_endpoint(pull, endpoint, sizeof endpoint);
    CHECK(passes(ctx, pull, endpoint), "a peer inside the second filter is served");
    zmq_close(pull);

    /* Cleared before bind: everyone is served. */
    pull = test_socket(ctx, ZMQ_PULL);
    set_filter(pull, "10.1.2.3");
    set_filter(pull, NULL);
    zmq_bind(pull, "tcp://127.0.0.1:*");
    last_endpoint(pull, endpoint, sizeof endpoint);
    CHECK(passes(ctx, pull, endpoint), "a cleared filter list serves everyone");
    zmq_close(pull);
}

static void use_fd(void *ctx) {
    /* tcp: a listening socket made by the caller. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    CHECK(bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 10) == 0 &&
              getsockname(fd, (struct sockaddr *)&a, &len) == 0,
          "a tcp socket bound and listening");
    char endpoint[256], got[256];
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", ntohs(a.sin_port));
    void *pull = test_socket(ctx, ZMQ_PULL);
    CHECK(zmq_setsockopt(pull, ZMQ_USE_FD, &fd, sizeof fd) == 0, "ZMQ_USE_FD");
    CHECK(get_int_option(pull, ZMQ_USE_FD) == fd, "ZMQ_USE_FD reads back");
    CHECK(zmq_bind(pull, endpoint) == 0, "zmq_bind naming its address adopts it");
    last_endpoint(pull, got, sizeof got);
    CHECK(strcmp(got, endpoint) == 0, "LAST_ENDPOINT is its address");
    CHECK(passes(ctx, pull, endpoint), "a peer connecting to it is served");
    zmq_close(pull);

    /* ipc. */
    char path[108];
    snprintf(path, sizeof path, "/tmp/zmtp-use-fd-%d.sock", (int)getpid());
    unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un u;
    memset(&u, 0, sizeof u);
    u.sun_family = AF_UNIX;
    strcpy(u.sun_path, path);
    CHECK(bind(fd, (struct sockaddr *)&u, sizeof u) == 0 && listen(fd, 10) == 0,
          "an ipc socket bound and listening");
    snprintf(endpoint, sizeof endpoint, "ipc://%s", path);
    pull = test_socket(ctx, ZMQ_PULL);
    CHECK(zmq_setsockopt(pull, ZMQ_USE_FD, &fd, sizeof fd) == 0, "ZMQ_USE_FD (ipc)");
    CHECK(zmq_bind(pull, endpoint) == 0, "zmq_bind ipc:// adopts it");
    CHECK(passes(ctx, pull, endpoint), "a peer connecting to the ipc path is served");
    zmq_close(pull);
    unlink(path);

    int v = -2;
    void *s = test_socket(ctx, ZMQ_PULL);
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_USE_FD, &v, sizeof v), EINVAL, "USE_FD -2: EINVAL");
    zmq_close(s);
}

static void connect_timeout(void *ctx) {
    /* A listener with backlog 0 whose accept queue is full: further SYNs are dropped. */
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 0);
    getsockname(l, (struct sockaddr *)&a, &len);
    int fillers[3];
    for (int i = 0; i < 3; ++i) {
        fillers[i] = socket(AF_INET, SOCK_STREAM, 0);
        fcntl(fillers[i], F_SETFL, O_NONBLOCK);
        connect(fillers[i], (struct sockaddr *)&a, sizeof a);
    }
    /* The first filler is established (it sits in the accept queue) once it is writable. */
    fd_set w;
    FD_ZERO(&w);
    FD_SET(fillers[0], &w);
    struct timeval tv = {5, 0};
    CHECK(select(fillers[0] + 1, NULL, &w, NULL, &tv) == 1, "the accept queue is full");

    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", ntohs(a.sin_port));
    void *push = test_socket(ctx, ZMQ_PUSH);
    int ms = 100;
    CHECK(zmq_setsockopt(push, ZMQ_CONNECT_TIMEOUT, &ms, sizeof ms) == 0,
          "CONNECT_TIMEOUT 100");
    ms = -1;
    CHECK_ERRNO(zmq_setsockopt(push, ZMQ_CONNECT_TIMEOUT, &ms, sizeof ms), EINVAL,
                "CONNECT_TIMEOUT -1: EINVAL");
    void *mon = monitor(ctx, push);
    zmq_connect(push, endpoint);
    CHECK(next_monitor_event(mon) == ZMQ_EVENT_CONNECT_DELAYED, "CONNECT_DELAYED");
    CHECK(next_monitor_event(mon) == ZMQ_EVENT_CLOSED, "the attempt is abandoned: CLOSED");
    CHECK(next_monitor_event(mon) == ZMQ_EVENT_CONNECT_RETRIED, "... and retried: CONNECT_RETRIED");
    zmq_socket_monitor(push, NULL, 0);
    zmq_close(mon);
    zmq_close(push);
    for (int i = 0; i < 3; ++i)
        close(fillers[i]);
    close(l);
}

/* ZMQ_AFFINITY picks the I/O threads (bit i = thread i) for the socket's tcp/ipc endpoints;
 * a mask naming no existing thread gives EMTHREAD, as libzmq does. */
static void affinity(void) {
    void *ctx = zmq_ctx_new();
    zmq_ctx_set(ctx, ZMQ_IO_THREADS, 2);
    void *pull = test_socket(ctx, ZMQ_PULL);
    uint64_t mask = 1u << 5;
    CHECK(zmq_setsockopt(pull, ZMQ_AFFINITY, &mask, sizeof mask) == 0, "AFFINITY 1<<5");
    CHECK_ERRNO(zmq_bind(pull, "tcp://127.0.0.1:*"), EMTHREAD,
                "tcp bind with only missing I/O threads: EMTHREAD");
    CHECK_ERRNO(zmq_connect(pull, "tcp://127.0.0.1:5555"), EMTHREAD,
                "tcp connect with only missing I/O threads: EMTHREAD");
    CHECK(zmq_bind(pull, "inproc://opt-connect-affinity") == 0, "inproc needs no I/O thread");
    mask = 2; /* the second I/O thread */
    zmq_setsockopt(pull, ZMQ_AFFINITY, &mask, sizeof mask);
    uint64_t back = 0;
    size_t size = sizeof back;
    CHECK(zmq_getsockopt(pull, ZMQ_AFFINITY, &back, &size) == 0 && back == 2,
          "AFFINITY reads back 2");
    CHECK(zmq_bind(pull, "tcp://127.0.0.1:*") == 0, "AFFINITY 2 with 2 I/O threads: bind works");
    char endpoint[256];
    last_endpoint(pull, endpoint, sizeof endpoint);
    CHECK(passes(ctx, pull, endpoint), "... and serves");
    zmq_close(pull);
    zmq_ctx_term(ctx);
}

int main(void) {
    affinity();
    void *ctx = zmq_ctx_new();
    accept_filter(ctx);
    use_fd(ctx);
    connect_timeout(ctx);
    zmq_ctx_term(ctx);
    return check_finish("opt_connect");
}
