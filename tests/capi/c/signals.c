/* Blocking calls end with EINTR when a signal handler runs (issue 10, item 1), as libzmq's man
 * pages say: zmq_recv and zmq_send (a peerless PAIR), zmq_poll (on a socket, and with no items),
 * and zmq_ctx_term waiting for a LINGER -1 message; a second zmq_ctx_term then finishes the
 * termination. The handler is installed without SA_RESTART. A helper thread keeps signalling
 * the main thread until the blocked call returns (a signal that lands before the call blocks
 * is simply followed by the next one) and gives up after 5 s, failing the case. */
#define _GNU_SOURCE
#include "check.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_t main_thread;
/* 0 idle, 1 signal the main thread (in a call to interrupt), 3 only watch a call that must
 * return by itself, 2 stop. */
static atomic_int kicking;
static volatile sig_atomic_t handled = 0;

static void on_signal(int sig) {
    (void)sig;
    ++handled;
}

static void *kicker(void *arg) {
    (void)arg;
    const struct timespec pause = {0, 10 * 1000 * 1000}; /* pacing of retries, not a sync */
    int rounds = 0;
    for (;;) {
        if (atomic_load(&kicking) == 2)
            return NULL; /* all cases done */
        const int mode = atomic_load(&kicking);
        if (mode == 1 || mode == 3) {
            if (++rounds > 500) {
                printf("FAIL a blocked call did not return within 5 s\n");
                fflush(stdout);
                _exit(1);
            }
            if (mode == 1)
                pthread_kill(main_thread, SIGUSR1);
        } else {
            rounds = 0;
        }
        nanosleep(&pause, NULL);
    }
}

static void begin(void) { atomic_store(&kicking, 1); }
static void end(void) { atomic_store(&kicking, 0); }

int main(void) {
    main_thread = pthread_self();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART */
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "SIGUSR1 handler without SA_RESTART");
    pthread_t kick;
    CHECK(pthread_create(&kick, NULL, kicker, NULL) == 0, "start the signalling thread");

    void *ctx = zmq_ctx_new();
    void *pair = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(pair, ZMQ_LINGER, 0);
    CHECK(zmq_bind(pair, "tcp://127.0.0.1:*") == 0, "bind a PAIR (the I/O thread runs)");
    char buf[8];
    begin();
    int rc = zmq_recv(pair, buf, sizeof buf, 0);
    int err = zmq_errno();
    end();
    CHECK(rc == -1 && err == EINTR, "blocked zmq_recv (no RCVTIMEO) returns -1/EINTR");

    set_int_option(pair, ZMQ_RCVTIMEO, 60000);
    begin();
    rc = zmq_recv(pair, buf, sizeof buf, 0);
    err = zmq_errno();
    end();
    CHECK(rc == -1 && err == EINTR, "zmq_recv waiting out RCVTIMEO 60 s: EINTR, not EAGAIN");

    void *lonely = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(lonely, ZMQ_LINGER, 0);
    begin();
    rc = zmq_send(lonely, "x", 1, 0);
    err = zmq_errno();
    end();
    CHECK(rc == -1 && err == EINTR, "zmq_send on a peerless PAIR returns -1/EINTR");

    zmq_msg_t msg;
    zmq_msg_init(&msg);
    begin();
    rc = zmq_msg_recv(&msg, pair, 0);
    err = zmq_errno();
    end();
    CHECK(rc == -1 && err == EINTR, "zmq_msg_recv returns -1/EINTR");
    zmq_msg_close(&msg);

    zmq_pollitem_t item = {pair, 0, ZMQ_POLLIN, 0};
    begin();
    rc = zmq_poll(&item, 1, -1);
    err = zmq_errno();
    end();
    CHECK(rc == -1 && err == EINTR, "zmq_poll on a socket, no timeout: -1/EINTR");
    begin();
    rc = zmq_poll(NULL, 0, 60000);
    err = zmq_errno();
    end();
    CHECK(rc == -1 && err == EINTR, "zmq_poll with no items (a 60 s sleep): -1/EINTR");

    /* The socket still works after the interruptions. */
    void *peer = zmq_socket(ctx, ZMQ_PAIR);
    char endpoint[256];
    size_t size = sizeof endpoint;
    zmq_getsockopt(pair, ZMQ_LAST_ENDPOINT, endpoint, &size);
    set_int_option(peer, ZMQ_LINGER, 0);
    CHECK(zmq_connect(peer, endpoint) == 0 && zmq_send(peer, "ok", 2, 0) == 2,
          "a peer connects and sends");
    set_int_option(pair, ZMQ_RCVTIMEO, 5000);
    CHECK(zmq_recv(pair, buf, sizeof buf, 0) == 2, "the interrupted socket receives it");
    zmq_close(peer);
    zmq_close(lonely);
    zmq_close(pair);
    CHECK(zmq_ctx_term(ctx) == 0, "term the first context");

    /* zmq_ctx_term waits for a LINGER -1 message that nobody can take yet. */
    char path[128];
    snprintf(path, sizeof path, "ipc:///tmp/zmtp-signals-%d.sock", (int)getpid());
    void *ctx2 = zmq_ctx_new();
    void *sender = zmq_socket(ctx2, ZMQ_PAIR);
    set_int_option(sender, ZMQ_LINGER, -1);
    set_int_option(sender, ZMQ_RECONNECT_IVL, 20);
    CHECK(zmq_connect(sender, path) == 0, "connect to an ipc path nobody listens on");
    CHECK(zmq_send(sender, "queued", 6, 0) == 6, "queue one message");
    CHECK(zmq_close(sender) == 0, "close it (LINGER -1)");
    begin();
    rc = zmq_ctx_term(ctx2);
    err = zmq_errno();
    end();
    CHECK(rc == -1 && err == EINTR, "zmq_ctx_term waiting for the message: -1/EINTR");

    void *ctx3 = zmq_ctx_new();
    void *receiver = zmq_socket(ctx3, ZMQ_PAIR);
    set_int_option(receiver, ZMQ_RCVTIMEO, 5000);
    set_int_option(receiver, ZMQ_LINGER, 0);
    CHECK(zmq_bind(receiver, path) == 0, "now a receiver binds the path");
    CHECK(zmq_recv(receiver, buf, sizeof buf, 0) == 6 && memcmp(buf, "queued", 6) == 0,
          "the lingering message arrives");
    atomic_store(&kicking, 3); /* no more signals; fail if it does not return within 5 s */
    rc = zmq_ctx_term(ctx2);
    end();
    CHECK(rc == 0, "a second zmq_ctx_term completes the termination");
    zmq_close(receiver);
    zmq_ctx_term(ctx3);
    unlink(path + strlen("ipc://"));
    CHECK(handled > 0, "the handler ran");

    atomic_store(&kicking, 2);
    pthread_join(kick, NULL);
    return check_finish("signals");
}
