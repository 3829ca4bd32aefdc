// C API: PAIR over tcp through zmq_send/zmq_recv/zmq_msg_* (C-PAIR-2..4, C-LIFE-5, C-FRM-6).
#include "tests/capi/capi_helpers.hpp"
#include "tests/support/catch.hpp"

#include <sys/uio.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace capi_test;

TEST_CASE("C-PAIR-1: PAIR over tcp carries frames both ways", "[capi][pair][tcp]") {
    tcp_pair p;
    REQUIRE(p.connected == 0);
    CHECK(send_string(p.b, "hello") == 5);
    CHECK(recv_string(p.a) == "hello");
    CHECK(send_string(p.a, "back") == 4);
    CHECK(recv_string(p.b) == "back");
    CHECK(send_string(p.b, "") == 0); // empty frames are frames
    CHECK(recv_string(p.a).empty());
}

TEST_CASE("C-FRM-6: multipart messages arrive whole with RCVMORE on all but the last",
          "[capi][pair][tcp]") {
    tcp_pair p;
    REQUIRE(p.connected == 0);
    CHECK(send_string(p.b, "one", ZMQ_SNDMORE) == 3);
    CHECK(send_string(p.b, "two", ZMQ_SNDMORE) == 3);
    CHECK(send_string(p.b, "three") == 5);
    CHECK(recv_string(p.a) == "one");
    CHECK(get_int(p.a, ZMQ_RCVMORE) == 1);
    CHECK(recv_string(p.a) == "two");
    CHECK(get_int(p.a, ZMQ_RCVMORE) == 1);
    CHECK(recv_string(p.a) == "three");
    CHECK(get_int(p.a, ZMQ_RCVMORE) == 0);

    // The same through zmq_msg_recv: zmq_msg_more and zmq_msg_get(ZMQ_MORE).
    CHECK(send_string(p.b, "x", ZMQ_SNDMORE) == 1);
    CHECK(send_string(p.b, "y") == 1);
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    CHECK(zmq_msg_recv(&msg, p.a, 0) == 1);
    CHECK(zmq_msg_more(&msg) == 1);
    CHECK(zmq_msg_get(&msg, ZMQ_MORE) == 1);
    CHECK(zmq_msg_recv(&msg, p.a, 0) == 1);
    CHECK(zmq_msg_more(&msg) == 0);
    CHECK(zmq_msg_get(&msg, ZMQ_MORE) == 0);
    zmq_msg_close(&msg);
}

TEST_CASE("C-API: zmq_recv truncates to the buffer and returns the full size",
          "[capi][pair][tcp]") {
    tcp_pair p;
    REQUIRE(p.connected == 0);
    CHECK(send_string(p.b, "0123456789") == 10);
    char buf[4] = {};
    CHECK(zmq_recv(p.a, buf, sizeof buf, 0) == 10);
    CHECK(std::string(buf, 4) == "0123");
    CHECK(send_string(p.b, "abc") == 3);
    CHECK(zmq_recv(p.a, nullptr, 0, 0) == 3); // a zero-length buffer just counts
}

TEST_CASE("C-PAIR-3: DONTWAIT on a bound PAIR with no peer gives EAGAIN", "[capi][pair][tcp]") {
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    bind_loopback(s);
    CHECK(errno_of(zmq_send(s, "x", 1, ZMQ_DONTWAIT)) == EAGAIN);
    char buf[8];
    CHECK(errno_of(zmq_recv(s, buf, sizeof buf, ZMQ_DONTWAIT)) == EAGAIN);
    zmq_msg_t msg;
    zmq_msg_init_size(&msg, 3);
    CHECK(errno_of(zmq_msg_send(&msg, s, ZMQ_DONTWAIT)) == EAGAIN);
    CHECK(zmq_msg_size(&msg) == 3); // a failed send leaves the message with the caller
    zmq_msg_close(&msg);
}

TEST_CASE("C-PAIR-3: SNDTIMEO and RCVTIMEO expiry give EAGAIN", "[capi][pair][tcp]") {
    using namespace std::chrono;
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    bind_loopback(s);
    set_int(s, ZMQ_SNDTIMEO, 50);
    set_int(s, ZMQ_RCVTIMEO, 50);
    auto start = steady_clock::now();
    CHECK(errno_of(zmq_send(s, "x", 1, 0)) == EAGAIN);
    CHECK(steady_clock::now() - start >= milliseconds(40));
    start = steady_clock::now();
    char buf[8];
    CHECK(errno_of(zmq_recv(s, buf, sizeof buf, 0)) == EAGAIN);
    CHECK(steady_clock::now() - start >= milliseconds(40));
    CHECK(steady_clock::now() - start < seconds(4));
}

TEST_CASE("C-PAIR-4: a connecting PAIR queues before the peer binds", "[capi][pair][tcp]") {
    context ctx;
    socket probe(ctx, ZMQ_PAIR);
    const std::string ep = bind_loopback(probe); // learn a free port, then release it
    REQUIRE(zmq_unbind(probe, ep.c_str()) == 0);
    socket c(ctx, ZMQ_PAIR);
    REQUIRE(zmq_connect(c, ep.c_str()) == 0);
    CHECK(send_string(c, "early", ZMQ_DONTWAIT) == 5);
    socket b(ctx, ZMQ_PAIR);
    // The port may need a moment to be free again after unbind.
    REQUIRE(wait_until([&] { return zmq_bind(b, ep.c_str()) == 0; }));
    CHECK(recv_string(b) == "early");
}

TEST_CASE("C-API: large frames, zmq_send_const and zmq_msg_send", "[capi][pair][tcp]") {
    tcp_pair p;
    REQUIRE(p.connected == 0);
    const size_t size = 200 * 1024;
    zmq_msg_t out;
    REQUIRE(zmq_msg_init_size(&out, size) == 0);
    auto *bytes = static_cast<unsigned char *>(zmq_msg_data(&out));
    for (size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<unsigned char>(i * 7);
    CHECK(zmq_msg_send(&out, p.b, 0) == static_cast<int>(size));
    CHECK(zmq_msg_size(&out) == 0); // sent messages are left empty
    zmq_msg_close(&out);

    zmq_msg_t in;
    zmq_msg_init(&in);
    REQUIRE(zmq_msg_recv(&in, p.a, 0) == static_cast<int>(size));
    const auto *got = static_cast<const unsigned char *>(zmq_msg_data(&in));
    bool same = true;
    for (size_t i = 0; i < size; ++i)
        same = same && got[i] == static_cast<unsigned char>(i * 7);
    CHECK(same);
    zmq_msg_close(&in);

    static const char constant[] = "constant payload";
    CHECK(zmq_send_const(p.b, constant, sizeof constant - 1, 0) == 16);
    CHECK(recv_string(p.a) == "constant payload");

    zmq_msg_t m;
    zmq_msg_init_size(&m, 2);
    std::memcpy(zmq_msg_data(&m), "hi", 2);
    CHECK(zmq_sendmsg(p.a, &m, 0) == 2);
    CHECK(zmq_recvmsg(p.b, &m, 0) == 2);
    CHECK(std::string(static_cast<char *>(zmq_msg_data(&m)), 2) == "hi");
    zmq_msg_close(&m);
}

TEST_CASE("C-API: zmq_sendiov / zmq_recviov move multipart messages", "[capi][pair][tcp]") {
    tcp_pair p;
    REQUIRE(p.connected == 0);
    char a[] = "alpha", b[] = "beta";
    iovec out[2] = {{a, 5}, {b, 4}};
    // As libzmq 4.3.4: ZMQ_SNDMORE makes the elements one message (the last part without
    // it); zmq_recviov returns the number of frames (tests/capi/c/iov.c checks both ways).
    CHECK(zmq_sendiov(p.b, out, 2, ZMQ_SNDMORE) == 4);
    iovec in[4] = {};
    size_t count = 4;
    CHECK(zmq_recviov(p.a, in, &count, 0) == 2);
    REQUIRE(count == 2);
    CHECK(std::string(static_cast<char *>(in[0].iov_base), in[0].iov_len) == "alpha");
    CHECK(std::string(static_cast<char *>(in[1].iov_base), in[1].iov_len) == "beta");
    std::free(in[0].iov_base);
    std::free(in[1].iov_base);
    CHECK(errno_of(zmq_sendiov(p.b, out, 0, 0)) == EINVAL);
}

TEST_CASE("C-PUB-9, C-SUB-2: recv on PUB and send on SUB give ENOTSUP", "[capi][errno]") {
    context ctx;
    socket pub(ctx, ZMQ_PUB);
    socket sub(ctx, ZMQ_SUB);
    REQUIRE(pub.s != nullptr);
    REQUIRE(sub.s != nullptr);
    char buf[4];
    CHECK(errno_of(zmq_recv(pub, buf, sizeof buf, ZMQ_DONTWAIT)) == ENOTSUP);
    CHECK(errno_of(zmq_send(sub, "x", 1, ZMQ_DONTWAIT)) == ENOTSUP);
}
