/* Closing a bound, monitored socket (issue 10 item 9): libzmq 4.3.4 reports CLOSED for each
 * listener, then MONITOR_STOPPED (and no DISCONNECTED for the connections the close ends).
 * Over tcp and ipc, with one connected peer, same source for both libraries. */
#include "check.h"

#include <stdint.h>
#include <unistd.h>

struct event {
    int id; /* -1: none within the timeout */
    char endpoint[256];
};

static struct event next_event(void *mon) {
    struct event e = {-1, ""};
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, mon, 0) == -1)
        return e;
    uint16_t id = 0;
    if (zmq_msg_size(&msg) >= sizeof id)
        memcpy(&id, zmq_msg_data(&msg), sizeof id);
    zmq_msg_close(&msg);
    e.id = id;
    const int n = zmq_recv(mon, e.endpoint, sizeof e.endpoint - 1, 0);
    e.endpoint[n < 0 ? 0 : n] = '\0';
    printf("     event 0x%04x '%s'\n", e.id, e.endpoint);
    return e;
}

static void run(void *ctx, const char *transport, const char *bind_to) {
    printf("---- %s\n", transport);
    void *server = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(server, ZMQ_LINGER, 0);
    set_int_option(server, ZMQ_RCVTIMEO, 5000);
    char name[64];
    snprintf(name, sizeof name, "inproc://monitor-close-%s", transport);
    CHECK(zmq_socket_monitor(server, name, ZMQ_EVENT_ALL) == 0, "monitor the server");
    void *mon = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(mon, ZMQ_LINGER, 0);
    set_int_option(mon, ZMQ_RCVTIMEO, 5000);
    CHECK(zmq_connect(mon, name) == 0, "connect the monitor reader");
    CHECK(zmq_bind(server, bind_to) == 0, "bind");
    char endpoint[256];
    size_t len = sizeof endpoint;
    zmq_getsockopt(server, ZMQ_LAST_ENDPOINT, endpoint, &len);

    void *client = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(client, ZMQ_LINGER, 0);
    CHECK(zmq_connect(client, endpoint) == 0, "a peer connects");
    char buf[8];
    CHECK(zmq_send(client, "x", 1, 0) == 1 && zmq_recv(server, buf, sizeof buf, 0) == 1,
          "the connection is up");
    struct event e = next_event(mon);
    CHECK(e.id == ZMQ_EVENT_LISTENING, "LISTENING");
    e = next_event(mon);
    CHECK(e.id == ZMQ_EVENT_ACCEPTED, "ACCEPTED");
    e = next_event(mon);
    CHECK(e.id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED, "HANDSHAKE_SUCCEEDED");

    CHECK(zmq_close(server) == 0, "close the bound socket");
    e = next_event(mon);
    CHECK(e.id == ZMQ_EVENT_CLOSED && strcmp(e.endpoint, endpoint) == 0,
          "CLOSED for the listener, with its endpoint, first");
    e = next_event(mon);
    CHECK(e.id == ZMQ_EVENT_MONITOR_STOPPED, "then MONITOR_STOPPED");
    zmq_close(client);
    zmq_close(mon);
}

int main(void) {
    void *ctx = zmq_ctx_new();
    run(ctx, "tcp", "tcp://127.0.0.1:*");
    char ipc[128];
    snprintf(ipc, sizeof ipc, "ipc:///tmp/zmtp-monitor-close-%d.ipc", (int)getpid());
    run(ctx, "ipc", ipc);
    CHECK(zmq_ctx_term(ctx) == 0, "terminate");
    return check_finish("monitor_close");
}
