/* RECONNECT_IVL -1 (issue 10 item 7): once the peer of a connecting PAIR goes away and no
 * reconnection will come, the connection's pipe is dropped (libzmq ends the endpoint), so
 * sends report EAGAIN instead of queueing for nobody, and an explicit new zmq_connect gets
 * the PAIR's single peer slot and delivers. Over tcp and ipc, same source for both libraries. */
#include "sockets.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void bind_any(void *s, const char *transport, int n, char *endpoint, size_t len) {
    char want[256];
    if (strcmp(transport, "tcp") == 0)
        snprintf(want, sizeof want, "tcp://127.0.0.1:*");
    else
        snprintf(want, sizeof want, "ipc:///tmp/zmtp-reconnect-off-%d-%d.ipc", (int)getpid(), n);
    if (zmq_bind(s, want) != 0)
        CHECK(0, "bind the peer");
    zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, endpoint, &len);
}

static void run(const char *transport) {
    printf("---- %s\n", transport);
    void *ctx = zmq_ctx_new();
    void *a = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(a, ZMQ_LINGER, 0);
    set_int_option(a, ZMQ_RECONNECT_IVL, -1);
    set_int_option(a, ZMQ_SNDHWM, 0); /* no limit: only a dropped pipe can answer EAGAIN */
    set_int_option(a, ZMQ_RCVTIMEO, 5000);
    set_int_option(a, ZMQ_SNDTIMEO, 5000);
    CHECK(zmq_socket_monitor(a, "inproc://reconnect-off-mon", ZMQ_EVENT_DISCONNECTED) == 0,
          "monitor the connector");
    void *mon = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(mon, ZMQ_RCVTIMEO, 5000);
    set_int_option(mon, ZMQ_LINGER, 0);
    zmq_connect(mon, "inproc://reconnect-off-mon");

    void *b = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(b, ZMQ_LINGER, 0);
    set_int_option(b, ZMQ_RCVTIMEO, 5000);
    char endpoint[256];
    bind_any(b, transport, 1, endpoint, sizeof endpoint);
    CHECK(zmq_connect(a, endpoint) == 0, "connect with RECONNECT_IVL -1");
    char buf[16];
    CHECK(zmq_send(a, "one", 3, 0) == 3 && zmq_recv(b, buf, sizeof buf, 0) == 3,
          "first peer receives");

    CHECK(zmq_close(b) == 0, "the peer goes away");
    CHECK(wait_monitor_event(mon, ZMQ_EVENT_DISCONNECTED), "connector: DISCONNECTED");
    /* The drop reaches the socket through its command queue: probe until it shows (each
     * accepted probe would be a message queued for nobody). */
    int eagain = 0;
    const double deadline = now_s() + 5.0;
    while (!eagain && now_s() < deadline) {
        if (zmq_send(a, "probe", 5, ZMQ_DONTWAIT) == -1 && zmq_errno() == EAGAIN)
            eagain = 1;
        else
            usleep(1000);
    }
    CHECK(eagain, "send with DONTWAIT answers EAGAIN (no pipe left) with SNDHWM 0");

    /* libzmq frees the slot only once the old pipe's termination handshake is through,
     * which the socket learns from its command queue: until then a new pipe is refused
     * (and a send right after the connect answers EAGAIN). Retry (each time with a fresh
     * peer, so no refused connection lingers at it) until a send right after the connect is
     * accepted, i.e. the new pipe took the slot. */
    void *c = NULL;
    int taken = 0, connects = 0;
    char endpoint2[256];
    const double deadline2 = now_s() + 5.0;
    while (!taken && now_s() < deadline2) {
        c = zmq_socket(ctx, ZMQ_PAIR);
        set_int_option(c, ZMQ_LINGER, 0);
        set_int_option(c, ZMQ_RCVTIMEO, 5000);
        set_int_option(c, ZMQ_SNDTIMEO, 5000);
        bind_any(c, transport, 2 + connects, endpoint2, sizeof endpoint2);
        if (zmq_connect(a, endpoint2) != 0)
            break;
        ++connects;
        if (zmq_send(a, "two", 3, ZMQ_DONTWAIT) == 3) {
            taken = 1;
        } else {
            zmq_disconnect(a, endpoint2);
            zmq_close(c);
            c = NULL;
            usleep(1000);
        }
    }
    CHECK(connects > 0, "explicit new connect");
    CHECK(taken, "a send right after the new connect is accepted (the new pipe has the slot)");
    if (c) {
        const int n = zmq_recv(c, buf, sizeof buf, 0);
        CHECK(n == 3 && memcmp(buf, "two", 3) == 0, "the new peer receives");
        CHECK(zmq_send(c, "back", 4, 0) == 4 && zmq_recv(a, buf, sizeof buf, 0) == 4,
              "and the reverse direction works");
    }

    if (c)
        zmq_close(c);
    zmq_close(a);
    zmq_close(mon);
    CHECK(zmq_ctx_term(ctx) == 0, "terminate");
}

int main(void) {
    run("tcp");
    run("ipc");
    return check_finish("reconnect_off");
}
