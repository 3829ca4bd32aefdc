// C API: socket handles (ENOTSOCK, EINVAL for unsupported types) and endpoint errors
// (C-ERR, C-TCP-1..3, C-LIFE-4).
#include "tests/capi/capi_helpers.hpp"
#include "tests/support/catch.hpp"

#include <string>

using namespace capi_test;

TEST_CASE("C-OPT-1: zmq_socket accepts PAIR/PUB/SUB/PUSH/PULL/XPUB/XSUB, refuses other types "
          "with EINVAL",
          "[capi][socket][errno]") {
    context ctx;
    for (int type : {ZMQ_PAIR, ZMQ_PUB, ZMQ_SUB, ZMQ_PULL, ZMQ_PUSH, ZMQ_XPUB, ZMQ_XSUB}) {
        void *s = zmq_socket(ctx, type);
        REQUIRE(s != nullptr);
        CHECK(get_int(s, ZMQ_TYPE) == type);
        CHECK(zmq_close(s) == 0);
    }
    for (int type : {ZMQ_REQ, ZMQ_REP, ZMQ_DEALER, ZMQ_ROUTER, ZMQ_STREAM, -1, 99}) {
        CAPTURE(type);
        CHECK(errno_of(zmq_socket(ctx, type)) == EINVAL);
    }
}

TEST_CASE("C-ERR: a null socket handle gives ENOTSOCK everywhere", "[capi][socket][errno]") {
    char buf[8] = {};
    size_t size = sizeof buf;
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    CHECK(errno_of(zmq_close(nullptr)) == ENOTSOCK);
    CHECK(errno_of(zmq_bind(nullptr, "tcp://127.0.0.1:*")) == ENOTSOCK);
    CHECK(errno_of(zmq_connect(nullptr, "tcp://127.0.0.1:5555")) == ENOTSOCK);
    CHECK(errno_of(zmq_unbind(nullptr, "tcp://127.0.0.1:5555")) == ENOTSOCK);
    CHECK(errno_of(zmq_disconnect(nullptr, "tcp://127.0.0.1:5555")) == ENOTSOCK);
    CHECK(errno_of(zmq_setsockopt(nullptr, ZMQ_LINGER, buf, 4)) == ENOTSOCK);
    CHECK(errno_of(zmq_getsockopt(nullptr, ZMQ_LINGER, buf, &size)) == ENOTSOCK);
    CHECK(errno_of(zmq_send(nullptr, buf, 1, 0)) == ENOTSOCK);
    CHECK(errno_of(zmq_send_const(nullptr, buf, 1, 0)) == ENOTSOCK);
    CHECK(errno_of(zmq_recv(nullptr, buf, sizeof buf, 0)) == ENOTSOCK);
    CHECK(errno_of(zmq_msg_send(&msg, nullptr, 0)) == ENOTSOCK);
    CHECK(errno_of(zmq_msg_recv(&msg, nullptr, 0)) == ENOTSOCK);
    CHECK(errno_of(zmq_sendmsg(nullptr, &msg, 0)) == ENOTSOCK);
    CHECK(errno_of(zmq_recvmsg(nullptr, &msg, 0)) == ENOTSOCK);
    CHECK(errno_of(zmq_socket_monitor(nullptr, "inproc://mon", ZMQ_EVENT_ALL)) == ENOTSOCK);
    zmq_msg_close(&msg);
}

TEST_CASE("C-ERR: closed and garbage socket handles give ENOTSOCK", "[capi][socket][errno]") {
    context ctx;
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    REQUIRE(s != nullptr);
    REQUIRE(zmq_close(s) == 0);
    // The shell outlives the socket with its tag cleared, so this is a defined rejection.
    CHECK(errno_of(zmq_close(s)) == ENOTSOCK);
    CHECK(errno_of(zmq_send(s, "x", 1, ZMQ_DONTWAIT)) == ENOTSOCK);
    CHECK(errno_of(zmq_bind(s, "tcp://127.0.0.1:*")) == ENOTSOCK);

    long long garbage[8] = {};
    CHECK(errno_of(zmq_send(garbage, "x", 1, 0)) == ENOTSOCK);
    CHECK(errno_of(zmq_close(ctx.ctx)) == ENOTSOCK); // a context is no socket
}

TEST_CASE("C-ERR: null buffers and endpoint strings", "[capi][socket][errno]") {
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    CHECK(errno_of(zmq_bind(s, nullptr)) == EINVAL);
    CHECK(errno_of(zmq_connect(s, nullptr)) == EINVAL);
    CHECK(errno_of(zmq_send(s, nullptr, 3, ZMQ_DONTWAIT)) == EFAULT);
    CHECK(errno_of(zmq_recv(s, nullptr, 3, ZMQ_DONTWAIT)) == EFAULT);
}

TEST_CASE("C-ERR: malformed endpoints give EINVAL, unknown transports EPROTONOSUPPORT",
          "[capi][socket][errno][tcp]") {
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    CHECK(errno_of(zmq_bind(s, "nope")) == EINVAL);
    CHECK(errno_of(zmq_connect(s, "nope")) == EINVAL);
    CHECK(errno_of(zmq_bind(s, "bogus://x")) == EPROTONOSUPPORT);
    CHECK(errno_of(zmq_connect(s, "bogus://x")) == EPROTONOSUPPORT);
    CHECK(errno_of(zmq_connect(s, "tcp://*:*")) == EINVAL);          // C-TCP-2
    CHECK(errno_of(zmq_bind(s, "tcp://127.0.0.1:70000")) == EINVAL); // C-TCP-1 [REC]
    CHECK(errno_of(zmq_bind(s, "tcp://127.0.0.1")) == EINVAL);       // missing port
    CHECK(errno_of(zmq_bind(s, "tcp://127.0.0.1:port")) == EINVAL);  // non-numeric port
}

TEST_CASE("C-TCP-1: binding a port in use gives EADDRINUSE", "[capi][socket][errno][tcp]") {
    context ctx;
    socket a(ctx, ZMQ_PAIR);
    socket b(ctx, ZMQ_PAIR);
    const std::string ep = bind_loopback(a);
    REQUIRE(ep.rfind("tcp://127.0.0.1:", 0) == 0);
    CHECK(errno_of(zmq_bind(b, ep.c_str())) == EADDRINUSE);
}

TEST_CASE("C-TCP-3: LAST_ENDPOINT after bind names the real port", "[capi][socket][tcp]") {
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    CHECK(last_endpoint(s).empty());
    REQUIRE(zmq_bind(s, "tcp://127.0.0.1:*") == 0);
    const std::string ep = last_endpoint(s);
    CHECK(ep.rfind("tcp://127.0.0.1:", 0) == 0);
    CHECK(std::stoi(ep.substr(16)) > 0);
}

TEST_CASE("C-LIFE-4: unbind/disconnect of unknown endpoints give ENOENT", "[capi][socket][tcp]") {
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    CHECK(errno_of(zmq_unbind(s, "tcp://127.0.0.1:5999")) == ENOENT);
    CHECK(errno_of(zmq_disconnect(s, "tcp://127.0.0.1:5999")) == ENOENT);

    const std::string ep = bind_loopback(s);
    CHECK(zmq_unbind(s, ep.c_str()) == 0);
    CHECK(errno_of(zmq_unbind(s, ep.c_str())) == ENOENT);

    socket c(ctx, ZMQ_PAIR);
    REQUIRE(zmq_connect(c, "tcp://127.0.0.1:5999") == 0);
    CHECK(zmq_disconnect(c, "tcp://127.0.0.1:5999") == 0);
    CHECK(errno_of(zmq_disconnect(c, "tcp://127.0.0.1:5999")) == ENOENT);
}

TEST_CASE("C-MON: zmq_socket_monitor checks its arguments as libzmq does", "[capi][socket][mon]") {
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    CHECK(errno_of(zmq_socket_monitor(nullptr, "inproc://m", ZMQ_EVENT_ALL)) == ENOTSOCK);
    CHECK(errno_of(zmq_socket_monitor(s, "inproc://m", 0x10000)) == EINVAL);
    CHECK(errno_of(zmq_socket_monitor(s, "inproc://m", -1)) == EINVAL);
    CHECK(errno_of(zmq_socket_monitor(s, "no-scheme", ZMQ_EVENT_ALL)) == EINVAL);
    CHECK(errno_of(zmq_socket_monitor(s, "inproc://", ZMQ_EVENT_ALL)) == EINVAL);
    CHECK(errno_of(zmq_socket_monitor(s, "tcp://127.0.0.1:5999", ZMQ_EVENT_ALL)) ==
          EPROTONOSUPPORT);
    CHECK(zmq_socket_monitor(s, nullptr, 0) == 0); // stopping without a monitor is fine
    CHECK(zmq_socket_monitor(s, "inproc://m", ZMQ_EVENT_ALL) == 0);
    socket other(ctx, ZMQ_PAIR);
    CHECK(errno_of(zmq_socket_monitor(other, "inproc://m", ZMQ_EVENT_ALL)) == EADDRINUSE);
    CHECK(zmq_socket_monitor(s, "inproc://m2", ZMQ_EVENT_ALL) == 0); // replaces the first
    CHECK(zmq_socket_monitor(other, "inproc://m", ZMQ_EVENT_ALL) == 0); // so its name is free
    CHECK(zmq_socket_monitor(s, nullptr, 0) == 0);
}
