/* Kernel options of tcp connections (issue 10 item 12): ZMQ_SNDBUF/RCVBUF, ZMQ_TCP_KEEPALIVE
 * and its CNT/IDLE/INTVL, ZMQ_TOS, ZMQ_TCP_MAXRT and ZMQ_BINDTODEVICE reach the sockets of both
 * sides, read back with getsockopt(2) on the descriptors the monitor events name (ACCEPTED on
 * the binder, CONNECTED on the connector; both libraries report the fd there). An unknown
 * device makes zmq_bind fail with ENODEV. */
#include "check.h"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

static int serial = 0;

/* The fd in the first event `wanted` on the monitor reader. */
static int event_fd(void *mon, int wanted) {
    for (;;) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, mon, 0) == -1)
            return -1;
        uint16_t id = 0;
        uint32_t value = 0;
        if (zmq_msg_size(&msg) == 6) {
            memcpy(&id, zmq_msg_data(&msg), sizeof id);
            memcpy(&value, (char *)zmq_msg_data(&msg) + 2, sizeof value);
        }
        zmq_msg_close(&msg);
        char endpoint[256];
        zmq_recv(mon, endpoint, sizeof endpoint, 0);
        if (id == wanted)
            return (int)value;
    }
}

static void *monitor(void *ctx, void *s, int events) {
    char ep[64];
    snprintf(ep, sizeof ep, "inproc://opt-tcp-mon-%d", serial++);
    zmq_socket_monitor(s, ep, events);
    void *mon = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(mon, ZMQ_RCVTIMEO, 5000);
    zmq_connect(mon, ep);
    return mon;
}

struct conn {
    void *bound, *connected, *mon_b, *mon_c;
    int fd_b, fd_c; /* the accepted and the connecting descriptor */
};

typedef void (*setup_fn)(void *s);

/* A connected PAIR pair over tcp with `setup` applied to both before bind/connect. */
static struct conn open_pair(void *ctx, setup_fn setup) {
    struct conn c;
    c.bound = zmq_socket(ctx, ZMQ_PAIR);
    c.connected = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(c.bound, ZMQ_LINGER, 0);
    set_int_option(c.connected, ZMQ_LINGER, 0);
    set_int_option(c.bound, ZMQ_RCVTIMEO, 5000);
    setup(c.bound);
    setup(c.connected);
    c.mon_b = monitor(ctx, c.bound, ZMQ_EVENT_ACCEPTED);
    c.mon_c = monitor(ctx, c.connected, ZMQ_EVENT_CONNECTED);
    zmq_bind(c.bound, "tcp://127.0.0.1:*");
    char endpoint[256];
    size_t size = sizeof endpoint;
    zmq_getsockopt(c.bound, ZMQ_LAST_ENDPOINT, endpoint, &size);
    zmq_connect(c.connected, endpoint);
    c.fd_b = event_fd(c.mon_b, ZMQ_EVENT_ACCEPTED);
    c.fd_c = event_fd(c.mon_c, ZMQ_EVENT_CONNECTED);
    /* A message through proves the connection is up (and the fds still open). */
    zmq_send(c.connected, "x", 1, 0);
    char buf[4];
    CHECK(zmq_recv(c.bound, buf, sizeof buf, 0) == 1, "a message passes the tuned connection");
    CHECK(c.fd_b >= 0 && c.fd_c >= 0, "ACCEPTED and CONNECTED name the descriptors");
    return c;
}

static void close_pair(struct conn *c) {
    zmq_socket_monitor(c->bound, NULL, 0);
    zmq_socket_monitor(c->connected, NULL, 0);
    zmq_close(c->mon_b);
    zmq_close(c->mon_c);
    zmq_close(c->bound);
    zmq_close(c->connected);
}

static int fd_int(int fd, int level, int name) {
    int v = -12345;
    socklen_t len = sizeof v;
    if (getsockopt(fd, level, name, &v, &len) != 0)
        return -12345;
    return v;
}

static void check_both(struct conn *c, int level, int name, int want, const char *what) {
    char line[160];
    snprintf(line, sizeof line, "%s on the accepted socket (%d)", what,
             fd_int(c->fd_b, level, name));
    CHECK(fd_int(c->fd_b, level, name) == want, line);
    snprintf(line, sizeof line, "%s on the connecting socket (%d)", what,
             fd_int(c->fd_c, level, name));
    CHECK(fd_int(c->fd_c, level, name) == want, line);
}

static void buffers(void *s) {
    set_int_option(s, ZMQ_SNDBUF, 40000);
    set_int_option(s, ZMQ_RCVBUF, 30000);
}

static void keepalives(void *s) {
    set_int_option(s, ZMQ_TCP_KEEPALIVE, 1);
    set_int_option(s, ZMQ_TCP_KEEPALIVE_CNT, 3);
    set_int_option(s, ZMQ_TCP_KEEPALIVE_IDLE, 70);
    set_int_option(s, ZMQ_TCP_KEEPALIVE_INTVL, 9);
}

static void keepalive_off(void *s) { set_int_option(s, ZMQ_TCP_KEEPALIVE, 0); }

static void tos(void *s) { set_int_option(s, ZMQ_TOS, 0x20); }

static void maxrt(void *s) { set_int_option(s, ZMQ_TCP_MAXRT, 4321); }

static void device_lo(void *s) { zmq_setsockopt(s, ZMQ_BINDTODEVICE, "lo", 2); }

int main(void) {
    void *ctx = zmq_ctx_new();

    struct conn c = open_pair(ctx, buffers);
    /* Linux doubles what it is given (bookkeeping overhead). */
    check_both(&c, SOL_SOCKET, SO_SNDBUF, 80000, "SNDBUF 40000 -> SO_SNDBUF 80000");
    check_both(&c, SOL_SOCKET, SO_RCVBUF, 60000, "RCVBUF 30000 -> SO_RCVBUF 60000");
    close_pair(&c);

    c = open_pair(ctx, keepalives);
    check_both(&c, SOL_SOCKET, SO_KEEPALIVE, 1, "TCP_KEEPALIVE 1 -> SO_KEEPALIVE");
    check_both(&c, IPPROTO_TCP, TCP_KEEPCNT, 3, "TCP_KEEPALIVE_CNT 3 -> TCP_KEEPCNT");
    check_both(&c, IPPROTO_TCP, TCP_KEEPIDLE, 70, "TCP_KEEPALIVE_IDLE 70 -> TCP_KEEPIDLE");
    check_both(&c, IPPROTO_TCP, TCP_KEEPINTVL, 9, "TCP_KEEPALIVE_INTVL 9 -> TCP_KEEPINTVL");
    close_pair(&c);

    c = open_pair(ctx, keepalive_off);
    check_both(&c, SOL_SOCKET, SO_KEEPALIVE, 0, "TCP_KEEPALIVE 0 -> SO_KEEPALIVE off");
    close_pair(&c);

    c = open_pair(ctx, tos);
    check_both(&c, IPPROTO_IP, IP_TOS, 0x20, "TOS 0x20 -> IP_TOS");
    close_pair(&c);

    c = open_pair(ctx, maxrt);
    CHECK(fd_int(c.fd_c, IPPROTO_TCP, TCP_USER_TIMEOUT) == 4321,
          "TCP_MAXRT 4321 -> TCP_USER_TIMEOUT on the connecting socket");
    close_pair(&c);

    if (geteuid() == 0) { /* SO_BINDTODEVICE needs CAP_NET_RAW on older kernels */
        c = open_pair(ctx, device_lo);
        char name[32] = "";
        socklen_t len = sizeof name;
        getsockopt(c.fd_c, SOL_SOCKET, SO_BINDTODEVICE, name, &len);
        CHECK(strcmp(name, "lo") == 0, "BINDTODEVICE lo -> the connecting socket is bound to lo");
        name[0] = '\0';
        len = sizeof name;
        getsockopt(c.fd_b, SOL_SOCKET, SO_BINDTODEVICE, name, &len);
        printf("     accepted socket device: '%s'\n", name);
        char back[32];
        size_t size = sizeof back;
        CHECK(zmq_getsockopt(c.bound, ZMQ_BINDTODEVICE, back, &size) == 0 &&
                  strcmp(back, "lo") == 0 && size == 3,
              "ZMQ_BINDTODEVICE reads back \"lo\" (size 3)");
        close_pair(&c);
    } else {
        printf("     not root: BINDTODEVICE lo not checked\n");
    }

    void *s = zmq_socket(ctx, ZMQ_PAIR);
    CHECK(zmq_setsockopt(s, ZMQ_BINDTODEVICE, "nosuchdev0", 10) == 0,
          "BINDTODEVICE accepts any name of up to 16 bytes");
    CHECK_ERRNO(zmq_bind(s, "tcp://127.0.0.1:*"), ENODEV, "bind on an unknown device: ENODEV");
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_BINDTODEVICE, "12345678901234567", 17), EINVAL,
                "BINDTODEVICE of 17 bytes: EINVAL");
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_BINDTODEVICE, "", 0), EINVAL,
                "BINDTODEVICE \"\" (length 0): EINVAL");
    CHECK(zmq_setsockopt(s, ZMQ_BINDTODEVICE, NULL, 0) == 0, "BINDTODEVICE NULL/0 clears it");
    CHECK(zmq_bind(s, "tcp://127.0.0.1:*") == 0, "... and bind works again");
    int v = -2;
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_SNDBUF, &v, sizeof v), EINVAL, "SNDBUF -2: EINVAL");
    v = 256;
    CHECK(zmq_setsockopt(s, ZMQ_TOS, &v, sizeof v) == 0, "TOS 256 accepted (as libzmq)");
    v = -1;
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_TOS, &v, sizeof v), EINVAL, "TOS -1: EINVAL");
    v = 2;
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_TCP_KEEPALIVE, &v, sizeof v), EINVAL,
                "TCP_KEEPALIVE 2: EINVAL");
    set_int_option(s, ZMQ_LINGER, 0);
    zmq_close(s);

    zmq_ctx_term(ctx);
    return check_finish("opt_tcp");
}
