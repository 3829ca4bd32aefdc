/* static_pair on libzmq: the same program as static_pair.cpp on zmq.h, for the size comparison
 * of tools/static_size.sh (linked statically against Debian's libzmq.a and what it needs). */
#include <zmq.h>

#include <stdio.h>
#include <string.h>

int main(void) {
    void *ctx = zmq_ctx_new();
    void *server = zmq_socket(ctx, ZMQ_PAIR);
    void *client = zmq_socket(ctx, ZMQ_PAIR);
    const int timeout = 10000;
    zmq_setsockopt(server, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(client, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    char endpoint[256];
    size_t size = sizeof endpoint;
    if (zmq_bind(server, "tcp://127.0.0.1:*") != 0 ||
        zmq_getsockopt(server, ZMQ_LAST_ENDPOINT, endpoint, &size) != 0 ||
        zmq_connect(client, endpoint) != 0)
        return 1;
    char big[1000], buf[1000];
    memset(big, 'z', sizeof big);
    zmq_send(client, "hello", 5, ZMQ_SNDMORE);
    zmq_send(client, big, sizeof big, 0);
    int more = 0;
    size_t more_size = sizeof more;
    const int request_ok = zmq_recv(server, buf, sizeof buf, 0) == 5 &&
                           zmq_getsockopt(server, ZMQ_RCVMORE, &more, &more_size) == 0 && more &&
                           zmq_recv(server, buf, sizeof buf, 0) == 1000;
    zmq_send(server, "world", 5, 0);
    const int reply_ok = zmq_recv(client, buf, sizeof buf, 0) == 5 && memcmp(buf, "world", 5) == 0;
    printf("static_pair (libzmq) over %s: request %s, reply %s\n", endpoint,
           request_ok ? "ok" : "FAILED", reply_ok ? "ok" : "FAILED");
    zmq_close(client);
    zmq_close(server);
    zmq_ctx_term(ctx);
    return request_ok && reply_ok ? 0 : 1;
}
