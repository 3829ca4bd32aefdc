/* LINGER bounds zmq_ctx_term in every state of a connection (issue 10 item 2): connecting
 * (nobody listening, reconnect timer pending), handshaking (a peer that accepts but never
 * sends a greeting, HANDSHAKE_IVL 0 = no handshake timeout), active (messages queued that the
 * peer never reads) and reconnecting (the peer went away). Each state with LINGER 0 and
 * LINGER 200, over tcp and ipc, a message always queued at close. A watchdog gives each
 * zmq_ctx_term 5 s: a hang fails the program instead of blocking it (no timing threshold). */
#include "sockets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct term_job {
    void *ctx;
    int done;
    pthread_mutex_t mutex;
    pthread_cond_t cond;
};

static void *term_thread(void *arg) {
    struct term_job *job = (struct term_job *)arg;
    zmq_ctx_term(job->ctx);
    pthread_mutex_lock(&job->mutex);
    job->done = 1;
    pthread_cond_signal(&job->cond);
    pthread_mutex_unlock(&job->mutex);
    return NULL;
}

/* zmq_ctx_term(ctx) within 5 s, or the program ends here with a failure. */
static void term_within_bound(void *ctx, const char *what) {
    struct term_job job = {ctx, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
    pthread_t t;
    pthread_create(&t, NULL, term_thread, &job);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    pthread_mutex_lock(&job.mutex);
    while (!job.done && pthread_cond_timedwait(&job.cond, &job.mutex, &until) == 0) {
    }
    const int done = job.done;
    pthread_mutex_unlock(&job.mutex);
    CHECK(done, what);
    if (!done) {
        printf("zmq_ctx_term hangs: giving up\n");
        fflush(stdout);
        _exit(1);
    }
    pthread_join(t, NULL);
}

static int ipc_counter = 0;

/* A listening socket that never accepts or writes: the kernel completes connections into
 * its backlog, so a zmq connector gets connected and then waits for a greeting forever. */
static int silent_listener(const char *transport, char *endpoint, size_t len) {
    if (strcmp(transport, "tcp") == 0) {
        struct sockaddr_in addr;
        socklen_t addr_len = sizeof addr;
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        bind(fd, (struct sockaddr *)&addr, sizeof addr);
        listen(fd, 16);
        getsockname(fd, (struct sockaddr *)&addr, &addr_len);
        snprintf(endpoint, len, "tcp://127.0.0.1:%d", ntohs(addr.sin_port));
        return fd;
    }
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof addr.sun_path, "/tmp/zmtp-linger-%d-%d.ipc", (int)getpid(),
             ++ipc_counter);
    unlink(addr.sun_path);
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(fd, (struct sockaddr *)&addr, sizeof addr);
    listen(fd, 16);
    snprintf(endpoint, len, "ipc://%s", addr.sun_path);
    return fd;
}

static void close_listener(int fd, const char *endpoint) {
    close(fd);
    if (strncmp(endpoint, "ipc://", 6) == 0)
        unlink(endpoint + 6);
}

/* An endpoint where nobody listens. */
static void dead_endpoint(const char *transport, char *endpoint, size_t len) {
    const int fd = silent_listener(transport, endpoint, len);
    close_listener(fd, endpoint); /* tcp: the port is free again; ipc: the path is gone */
}

static void *monitored(void *ctx, void *s, const char *name, int events) {
    zmq_socket_monitor(s, name, events);
    void *mon = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(mon, ZMQ_LINGER, 0);
    set_int_option(mon, ZMQ_RCVTIMEO, 5000);
    zmq_connect(mon, name);
    return mon;
}

static void *connector(void *ctx, int linger) {
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(s, ZMQ_LINGER, linger);
    set_int_option(s, ZMQ_HANDSHAKE_IVL, 0);
    set_int_option(s, ZMQ_SNDTIMEO, 5000);
    set_int_option(s, ZMQ_RCVTIMEO, 5000);
    return s;
}

static void connecting(const char *transport, int linger) {
    void *ctx = zmq_ctx_new();
    char endpoint[256];
    dead_endpoint(transport, endpoint, sizeof endpoint);
    void *s = connector(ctx, linger);
    CHECK(zmq_connect(s, endpoint) == 0, "connect to an endpoint nobody listens on");
    CHECK(zmq_send(s, "queued", 6, ZMQ_DONTWAIT) == 6, "a message waits for the connection");
    zmq_close(s);
    term_within_bound(ctx, "connecting: terminate returns");
}

static void handshaking(const char *transport, int linger) {
    void *ctx = zmq_ctx_new();
    char endpoint[256];
    const int fd = silent_listener(transport, endpoint, sizeof endpoint);
    void *s = connector(ctx, linger);
    void *mon = monitored(ctx, s, "inproc://linger-handshaking", ZMQ_EVENT_CONNECTED);
    CHECK(zmq_connect(s, endpoint) == 0, "connect to a peer that never sends a greeting");
    CHECK(wait_monitor_event(mon, ZMQ_EVENT_CONNECTED), "connected (the handshake is pending)");
    CHECK(zmq_send(s, "queued", 6, ZMQ_DONTWAIT) == 6, "a message waits for the handshake");
    zmq_close(s);
    zmq_close(mon);
    term_within_bound(ctx, "handshaking: terminate returns");
    close_listener(fd, endpoint);
}

/* A bound PAIR in its own context that reads into a one-message queue and then stops. */
static void *lazy_peer(void *peer_ctx, const char *transport, char *endpoint, size_t len) {
    void *p = zmq_socket(peer_ctx, ZMQ_PAIR);
    set_int_option(p, ZMQ_LINGER, 0);
    set_int_option(p, ZMQ_RCVHWM, 1);
    set_int_option(p, ZMQ_RCVTIMEO, 5000);
    set_int_option(p, ZMQ_SNDTIMEO, 5000);
    char want[256];
    if (strcmp(transport, "tcp") == 0)
        snprintf(want, sizeof want, "tcp://127.0.0.1:*");
    else
        snprintf(want, sizeof want, "ipc:///tmp/zmtp-linger-%d-%d.ipc", (int)getpid(),
                 ++ipc_counter);
    if (zmq_bind(p, want) != 0)
        CHECK(0, "bind the peer");
    zmq_getsockopt(p, ZMQ_LAST_ENDPOINT, endpoint, &len);
    return p;
}

static void active(const char *transport, int linger) {
    void *peer_ctx = zmq_ctx_new();
    char endpoint[256];
    void *peer = lazy_peer(peer_ctx, transport, endpoint, sizeof endpoint);
    void *ctx = zmq_ctx_new();
    void *s = connector(ctx, linger);
    set_int_option(s, ZMQ_SNDHWM, 10);
    CHECK(zmq_connect(s, endpoint) == 0, "connect to a peer that stops reading");
    char buf[8];
    CHECK(zmq_send(peer, "hi", 2, 0) == 2 && zmq_recv(s, buf, sizeof buf, 0) == 2,
          "the connection is up (one message each way)");
    /* Fill the kernel buffers, the peer's one-message queue and our pipe up to SNDHWM. */
    static char big[64 * 1024];
    int sent = 0;
    while (sent < 100000 && zmq_send(s, big, sizeof big, ZMQ_DONTWAIT) == (int)sizeof big)
        ++sent;
    CHECK(sent < 100000 && zmq_errno() == EAGAIN, "output backs up to SNDHWM (EAGAIN)");
    zmq_close(s);
    term_within_bound(ctx, "active with unread output: terminate returns");
    zmq_close(peer);
    zmq_ctx_term(peer_ctx);
}

static void reconnecting(const char *transport, int linger) {
    void *peer_ctx = zmq_ctx_new();
    char endpoint[256];
    void *peer = lazy_peer(peer_ctx, transport, endpoint, sizeof endpoint);
    void *ctx = zmq_ctx_new();
    void *s = connector(ctx, linger);
    void *mon = monitored(ctx, s, "inproc://linger-reconnecting", ZMQ_EVENT_DISCONNECTED);
    CHECK(zmq_connect(s, endpoint) == 0, "connect");
    char buf[8];
    CHECK(zmq_send(peer, "hi", 2, 0) == 2 && zmq_recv(s, buf, sizeof buf, 0) == 2,
          "the connection is up");
    zmq_close(peer);
    zmq_ctx_term(peer_ctx);
    CHECK(wait_monitor_event(mon, ZMQ_EVENT_DISCONNECTED), "the peer went away (DISCONNECTED)");
    CHECK(zmq_send(s, "queued", 6, ZMQ_DONTWAIT) == 6, "a message waits for the reconnection");
    zmq_close(s);
    zmq_close(mon);
    term_within_bound(ctx, "reconnecting: terminate returns");
}

int main(void) {
    const char *transports[] = {"tcp", "ipc"};
    const int lingers[] = {0, 200};
    for (int t = 0; t < 2; ++t) {
        for (int l = 0; l < 2; ++l) {
            printf("---- %s, LINGER %d\n", transports[t], lingers[l]);
            connecting(transports[t], lingers[l]);
            handshaking(transports[t], lingers[l]);
            active(transports[t], lingers[l]);
            reconnecting(transports[t], lingers[l]);
        }
    }
    return check_finish("linger_states");
}
