/* zmq_socket_monitor against the sequences libzmq produces (conformance C-MON-1, C-MON-2), for
 * libzmq and zmtp alike: libzmq's two-frame events (uint16 event + uint32 value in host byte
 * order, then the endpoint) on an inproc PAIR bound by the monitor.
 *   - connector with nobody listening: CONNECT_DELAYED, CLOSED, CONNECT_RETRIED(ivl);
 *   - binder: LISTENING; per peer ACCEPTED, HANDSHAKE_SUCCEEDED;
 *   - connector once the listener is there: CONNECTED, HANDSHAKE_SUCCEEDED;
 *   - peer goes away: DISCONNECTED; socket close: MONITOR_STOPPED;
 *   - a raw peer offering the PLAIN mechanism: HANDSHAKE_FAILED_PROTOCOL(0x11000002),
 *     DISCONNECTED. */
#include "sockets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

struct event {
    int id; /* -1: none within the timeout */
    uint32_t value;
    char endpoint[256];
};

/* The next event on monitor reader `mon` (RCVTIMEO 5 s). */
static struct event next_event(void *mon) {
    struct event e = {-1, 0, ""};
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, mon, 0) == -1)
        return e;
    if (zmq_msg_size(&msg) != 6 || !zmq_msg_more(&msg)) {
        printf("     malformed first frame (%zu bytes)\n", zmq_msg_size(&msg));
        zmq_msg_close(&msg);
        e.id = -2;
        return e;
    }
    uint16_t id;
    memcpy(&id, zmq_msg_data(&msg), sizeof id);
    memcpy(&e.value, (char *)zmq_msg_data(&msg) + 2, sizeof e.value);
    e.id = id;
    const int n = zmq_recv(mon, e.endpoint, sizeof e.endpoint - 1, 0);
    e.endpoint[n < 0 ? 0 : (n < (int)sizeof e.endpoint ? n : (int)sizeof e.endpoint - 1)] = '\0';
    int more = 0;
    size_t size = sizeof more;
    zmq_getsockopt(mon, ZMQ_RCVMORE, &more, &size);
    if (more)
        e.id = -3; /* a third frame: not libzmq's format */
    zmq_msg_close(&msg);
    printf("     event 0x%04x value %u (0x%x) endpoint '%s'\n", e.id, e.value, e.value,
           e.endpoint);
    return e;
}

/* The next event whose id is not in `skip` (a mask). */
static struct event next_event_except(void *mon, int skip) {
    struct event e;
    do
        e = next_event(mon);
    while (e.id > 0 && (e.id & skip));
    return e;
}

static void *monitor_reader(void *ctx, void *s, const char *addr) {
    CHECK(zmq_socket_monitor(s, addr, ZMQ_EVENT_ALL) == 0, "zmq_socket_monitor(ALL)");
    void *mon = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(mon, ZMQ_RCVTIMEO, 5000);
    set_int_option(mon, ZMQ_LINGER, 0);
    CHECK(zmq_connect(mon, addr) == 0, "connect the monitor reader");
    return mon;
}

/* A loopback port nobody listens on: bound by a plain socket (never listening), then closed
 * (libzmq closes its own listeners asynchronously, so a zmq socket cannot be used here). */
static void free_tcp_endpoint(char *buf, size_t len) {
    struct sockaddr_in addr;
    socklen_t addr_len = sizeof addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    bind(fd, (struct sockaddr *)&addr, sizeof addr);
    getsockname(fd, (struct sockaddr *)&addr, &addr_len);
    close(fd);
    snprintf(buf, len, "tcp://127.0.0.1:%d", ntohs(addr.sin_port));
}

/* A raw TCP connection to `endpoint` that sends a ZMTP 3.0 greeting offering PLAIN. */
static int raw_plain_peer(const char *endpoint) {
    const char *colon = strrchr(endpoint, ':');
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)atoi(colon + 1));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0)
        return -1;
    unsigned char greeting[64];
    memset(greeting, 0, sizeof greeting);
    greeting[0] = 0xFF;
    greeting[9] = 0x7F;
    greeting[10] = 3; /* version 3.0 */
    greeting[11] = 0;
    memcpy(greeting + 12, "PLAIN", 5);
    if (write(fd, greeting, sizeof greeting) != (ssize_t)sizeof greeting) {
        close(fd);
        return -1;
    }
    return fd;
}

static void argument_checks(void *ctx) {
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    CHECK_ERRNO(zmq_socket_monitor(s, "inproc://m", 0x10000), EINVAL, "events above 0xFFFF");
    CHECK_ERRNO(zmq_socket_monitor(s, "no-scheme", ZMQ_EVENT_ALL), EINVAL, "no scheme");
    CHECK_ERRNO(zmq_socket_monitor(s, "inproc://", ZMQ_EVENT_ALL), EINVAL, "empty address");
    CHECK_ERRNO(zmq_socket_monitor(s, "tcp://127.0.0.1:5999", ZMQ_EVENT_ALL), EPROTONOSUPPORT,
                "tcp monitor address -> EPROTONOSUPPORT");
    CHECK(zmq_socket_monitor(s, NULL, 0) == 0, "stop without a monitor");
    /* libzmq blocks in MONITOR_STOPPED while nobody reads its monitor PAIR (zmtp drops the
     * event instead), so a reader is connected before each stop. */
    void *mon = monitor_reader(ctx, s, "inproc://args");
    void *other = zmq_socket(ctx, ZMQ_PAIR);
    CHECK_ERRNO(zmq_socket_monitor(other, "inproc://args", ZMQ_EVENT_ALL), EADDRINUSE,
                "the same monitor address twice -> EADDRINUSE");
    CHECK(zmq_socket_monitor(s, NULL, 0) == 0, "stop");
    zmq_close(mon);
    /* (libzmq frees the stopped monitor's inproc name asynchronously: not reused here.) */
    mon = monitor_reader(ctx, other, "inproc://args-2");
    zmq_close(other);
    zmq_close(mon);
    zmq_close(s);
}

int main(void) {
    void *ctx = zmq_ctx_new();
    argument_checks(ctx);

    /* C-MON-1: a connector with nobody listening. */
    char endpoint[256];
    free_tcp_endpoint(endpoint, sizeof endpoint);
    void *client = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(client, ZMQ_LINGER, 0);
    void *client_mon = monitor_reader(ctx, client, "inproc://monitor-client");
    CHECK(zmq_connect(client, endpoint) == 0, "connect to a port nobody listens on");
    struct event e = next_event(client_mon);
    CHECK(e.id == ZMQ_EVENT_CONNECT_DELAYED && strcmp(e.endpoint, endpoint) == 0,
          "CONNECT_DELAYED with the endpoint");
    e = next_event(client_mon);
    CHECK(e.id == ZMQ_EVENT_CLOSED, "CLOSED");
    e = next_event(client_mon);
    CHECK(e.id == ZMQ_EVENT_CONNECT_RETRIED && e.value >= 100 && e.value < 200,
          "CONNECT_RETRIED, value = next interval (RECONNECT_IVL 100 + jitter below 100)");

    /* The listener appears: binder LISTENING, ACCEPTED, HANDSHAKE_SUCCEEDED; connector
     * CONNECTED, HANDSHAKE_SUCCEEDED (after any retry cycles still under way). */
    void *server = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(server, ZMQ_LINGER, 0);
    void *server_mon = monitor_reader(ctx, server, "inproc://monitor-server");
    CHECK(zmq_bind(server, endpoint) == 0, "bind the listener on that port");
    e = next_event(server_mon);
    CHECK(e.id == ZMQ_EVENT_LISTENING && strcmp(e.endpoint, endpoint) == 0,
          "server: LISTENING with the endpoint");
    e = next_event(server_mon);
    CHECK(e.id == ZMQ_EVENT_ACCEPTED, "server: ACCEPTED");
    e = next_event(server_mon);
    CHECK(e.id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED && e.value == 0,
          "server: HANDSHAKE_SUCCEEDED, value 0");
    const int retry_cycle =
        ZMQ_EVENT_CONNECT_DELAYED | ZMQ_EVENT_CLOSED | ZMQ_EVENT_CONNECT_RETRIED;
    e = next_event_except(client_mon, retry_cycle);
    CHECK(e.id == ZMQ_EVENT_CONNECTED && strcmp(e.endpoint, endpoint) == 0,
          "client: CONNECTED with the endpoint");
    e = next_event(client_mon);
    CHECK(e.id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED, "client: HANDSHAKE_SUCCEEDED");

    /* The server goes away: the client sees DISCONNECTED, then retries. */
    zmq_close(server);
    e = next_event(server_mon);
    CHECK(e.id == ZMQ_EVENT_CLOSED || e.id == ZMQ_EVENT_MONITOR_STOPPED ||
              e.id == ZMQ_EVENT_DISCONNECTED,
          "server close reported");
    while (e.id > 0 && e.id != ZMQ_EVENT_MONITOR_STOPPED)
        e = next_event(server_mon);
    CHECK(e.id == ZMQ_EVENT_MONITOR_STOPPED, "server: MONITOR_STOPPED on close");
    zmq_close(server_mon);
    e = next_event(client_mon);
    CHECK(e.id == ZMQ_EVENT_DISCONNECTED, "client: DISCONNECTED when the peer goes away");

    /* Stopping a monitor with a NULL address reports MONITOR_STOPPED. */
    CHECK(zmq_socket_monitor(client, NULL, 0) == 0, "stop the client monitor");
    e = next_event_except(client_mon, retry_cycle);
    CHECK(e.id == ZMQ_EVENT_MONITOR_STOPPED && e.endpoint[0] == '\0',
          "client: MONITOR_STOPPED, empty endpoint");
    zmq_close(client_mon);
    zmq_close(client);

    /* C-MON-2: a raw peer offering PLAIN to a NULL-mechanism listener. */
    void *binder = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(binder, ZMQ_LINGER, 0);
    void *binder_mon = monitor_reader(ctx, binder, "inproc://monitor-binder");
    CHECK(zmq_bind(binder, "tcp://127.0.0.1:*") == 0, "bind a listener");
    last_endpoint(binder, endpoint, sizeof endpoint);
    e = next_event(binder_mon);
    CHECK(e.id == ZMQ_EVENT_LISTENING, "binder: LISTENING");
    const int raw = raw_plain_peer(endpoint);
    CHECK(raw >= 0, "raw peer connected and sent a PLAIN greeting");
    e = next_event(binder_mon);
    CHECK(e.id == ZMQ_EVENT_ACCEPTED, "binder: ACCEPTED");
    e = next_event(binder_mon);
    CHECK(e.id == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL &&
              e.value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH,
          "binder: HANDSHAKE_FAILED_PROTOCOL, MECHANISM_MISMATCH");
    e = next_event(binder_mon);
    CHECK(e.id == ZMQ_EVENT_DISCONNECTED, "binder: DISCONNECTED");
    if (raw >= 0)
        close(raw);

    /* An event mask is honoured: LISTENING only. */
    CHECK(zmq_socket_monitor(binder, "inproc://monitor-binder-2", ZMQ_EVENT_LISTENING) == 0,
          "re-monitor with LISTENING only");
    e = next_event(binder_mon);
    CHECK(e.id == ZMQ_EVENT_MONITOR_STOPPED, "the replaced monitor got MONITOR_STOPPED");
    void *mon2 = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(mon2, ZMQ_RCVTIMEO, 5000);
    set_int_option(mon2, ZMQ_LINGER, 0);
    zmq_connect(mon2, "inproc://monitor-binder-2");
    CHECK(zmq_bind(binder, "tcp://127.0.0.1:*") == 0, "bind again");
    e = next_event(mon2);
    CHECK(e.id == ZMQ_EVENT_LISTENING, "LISTENING delivered");
    zmq_close(binder);
    set_int_option(mon2, ZMQ_RCVTIMEO, 200);
    e = next_event(mon2);
    CHECK(e.id == -1, "MONITOR_STOPPED filtered out by the mask");
    zmq_close(mon2);
    zmq_close(binder_mon);

    CHECK(zmq_ctx_term(ctx) == 0, "zmq_ctx_term");
    return check_finish("monitor");
}
