/* inproc connect before bind, PUB/SUB (issue 10 item 3): a PUB connects to inproc://x before
 * the SUB binds; the SUB binds and subscribes; the PUB's very first send after that reaches
 * the SUB (libzmq attaches the waiting pipe inside zmq_bind, so the subscription is already on
 * its way when zmq_setsockopt returns). No other call is made on the SUB in between. */
#include "check.h"

static void scenario(void *ctx, const char *endpoint, const char *topic) {
    void *pub = zmq_socket(ctx, ZMQ_PUB);
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    set_int_option(pub, ZMQ_LINGER, 0);
    set_int_option(sub, ZMQ_LINGER, 0);
    CHECK(zmq_connect(pub, endpoint) == 0, "PUB connects first");
    CHECK(zmq_bind(sub, endpoint) == 0, "SUB binds");
    CHECK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, topic, strlen(topic)) == 0, "SUB subscribes");
    char msg[32];
    snprintf(msg, sizeof msg, "%sfirst", topic);
    CHECK(zmq_send(pub, msg, strlen(msg), 0) == (int)strlen(msg), "PUB sends once");
    set_int_option(sub, ZMQ_RCVTIMEO, 2000);
    char buf[32];
    const int n = zmq_recv(sub, buf, sizeof buf, 0);
    CHECK(n == (int)strlen(msg) && memcmp(buf, msg, (size_t)n) == 0,
          "SUB receives the PUB's first send");
    zmq_close(pub);
    zmq_close(sub);
}

int main(void) {
    void *ctx = zmq_ctx_new();
    scenario(ctx, "inproc://late-bind-all", "");
    scenario(ctx, "inproc://late-bind-topic", "news.");
    CHECK(zmq_ctx_term(ctx) == 0, "terminate");
    return check_finish("inproc_late_bind");
}
