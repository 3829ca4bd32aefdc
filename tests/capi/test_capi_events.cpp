// zmtp-only C API behaviour around readiness and metadata: the level-triggered ZMQ_FD
// (ZMTP_FD_LEVEL_TRIGGERED), and how zmq_msg_gets' metadata lives inside zmq_msg_t. What
// libzmq also does is checked against libzmq in c/fd_events.c, c/poll.c, c/monitor.c and
// c/metadata.c.
#include "tests/capi/capi_helpers.hpp"
#include "tests/support/catch.hpp"

#include <poll.h>

#include <cstring>
#include <string>
#include <thread>

using namespace capi_test;

namespace {

/// True if `fd` is readable right now (poll(2) with timeout 0).
bool readable_now(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
}

/// True if `fd` turns readable within 5 s.
bool readable_soon(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 5000) == 1;
}

int fd_of(void *s) {
    int fd = -1;
    size_t size = sizeof fd;
    return zmq_getsockopt(s, ZMQ_FD, &fd, &size) == 0 ? fd : -1;
}

/// An inproc PAIR: `rx` bound, `tx` connected.
struct inproc_pair {
    context ctx;
    socket rx{ctx, ZMQ_PAIR};
    socket tx{ctx, ZMQ_PAIR};
    explicit inproc_pair(const char *name) {
        const std::string ep = std::string("inproc://") + name;
        zmq_bind(rx, ep.c_str());
        zmq_connect(tx, ep.c_str());
    }
};

} // namespace

TEST_CASE("ZMTP_FD_LEVEL_TRIGGERED: option contract", "[capi][fd][level]") {
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    CHECK(get_int(s, ZMTP_FD_LEVEL_TRIGGERED) == 0); // off by default: libzmq's edge behaviour
    const int edge_fd = fd_of(s);
    REQUIRE(edge_fd >= 0);
    CHECK(set_int(s, ZMTP_FD_LEVEL_TRIGGERED, ZMQ_POLLIN) == 0);
    CHECK(get_int(s, ZMTP_FD_LEVEL_TRIGGERED) == ZMQ_POLLIN);
    const int level_fd = fd_of(s);
    CHECK(level_fd >= 0);
    CHECK(level_fd != edge_fd);
    CHECK(fd_of(s) == level_fd); // stable while the mode is on
    CHECK(errno_of(set_int(s, ZMTP_FD_LEVEL_TRIGGERED, 4)) == EINVAL);
    CHECK(errno_of(set_int(s, ZMTP_FD_LEVEL_TRIGGERED, -1)) == EINVAL);
    const char byte = 1;
    CHECK(errno_of(zmq_setsockopt(s, ZMTP_FD_LEVEL_TRIGGERED, &byte, 1)) == EINVAL);
    CHECK(set_int(s, ZMTP_FD_LEVEL_TRIGGERED, 0) == 0);
    CHECK(fd_of(s) == edge_fd); // back to the core's descriptor
}

TEST_CASE("ZMTP_FD_LEVEL_TRIGGERED: readable exactly while a message waits",
          "[capi][fd][level][inproc]") {
    inproc_pair p("level-in");
    REQUIRE(set_int(p.rx, ZMTP_FD_LEVEL_TRIGGERED, ZMQ_POLLIN) == 0);
    const int fd = fd_of(p.rx);
    REQUIRE(fd >= 0);
    CHECK(get_int(p.rx, ZMQ_EVENTS) == ZMQ_POLLOUT); // a sync: nothing waits
    CHECK_FALSE(readable_now(fd));

    REQUIRE(send_string(p.tx, "one") == 3);
    REQUIRE(send_string(p.tx, "two") == 3);
    CHECK(readable_soon(fd));
    // Unlike libzmq's ZMQ_FD, reading ZMQ_EVENTS does not reset it while messages wait.
    for (int i = 0; i < 3; ++i) {
        CHECK(get_int(p.rx, ZMQ_EVENTS) == (ZMQ_POLLIN | ZMQ_POLLOUT));
        CHECK(readable_now(fd));
    }
    CHECK(recv_string(p.rx) == "one");
    CHECK(readable_now(fd)); // "two" still waits
    zmq_pollitem_t item = {p.rx, 0, ZMQ_POLLIN, 0};
    CHECK(zmq_poll(&item, 1, 0) == 1);
    CHECK(readable_now(fd)); // zmq_poll keeps the level too
    CHECK(recv_string(p.rx) == "two");
    CHECK_FALSE(readable_now(fd)); // the receive re-synchronised it: nothing left
    CHECK(recv_string(p.rx, ZMQ_DONTWAIT) == "<errno " + std::to_string(EAGAIN) + ">");
    CHECK_FALSE(readable_now(fd));
}

TEST_CASE("ZMTP_FD_LEVEL_TRIGGERED: a naive loop (wait, recv once) loses nothing",
          "[capi][fd][level][tcp]") {
    // The loop libzmq users write and get wrong with the edge-triggered descriptor: wait for
    // the fd, receive ONE message, wait again. With the level descriptor it is correct.
    context ctx;
    socket rx(ctx, ZMQ_PAIR);
    socket tx(ctx, ZMQ_PAIR);
    const std::string ep = bind_loopback(rx);
    REQUIRE(zmq_connect(tx, ep.c_str()) == 0);
    REQUIRE(set_int(rx, ZMTP_FD_LEVEL_TRIGGERED, ZMQ_POLLIN) == 0);
    const int fd = fd_of(rx);
    constexpr int messages = 5000;
    std::thread sender([&] {
        for (int i = 0; i < messages; ++i)
            if (zmq_send(tx, &i, sizeof i, 0) != static_cast<int>(sizeof i))
                return;
    });
    int got = 0;
    while (got < messages && readable_soon(fd)) {
        int value = -1;
        const int n = zmq_recv(rx, &value, sizeof value, ZMQ_DONTWAIT);
        if (n == -1) {
            REQUIRE(zmq_errno() == EAGAIN); // a spurious wake-up: allowed, and resets the fd
            continue;
        }
        REQUIRE(value == got);
        ++got;
    }
    sender.join();
    CHECK(got == messages);
}

TEST_CASE("ZMTP_FD_LEVEL_TRIGGERED: ZMQ_POLLOUT mask follows writability",
          "[capi][fd][level][hwm]") {
    context ctx;
    socket tx(ctx, ZMQ_PAIR); // HWMs before bind/connect: pipes take them when made
    REQUIRE(set_int(tx, ZMQ_SNDHWM, 1) == 0);
    socket rx(ctx, ZMQ_PAIR);
    REQUIRE(set_int(rx, ZMQ_RCVHWM, 1) == 0);
    REQUIRE(zmq_bind(rx, "inproc://level-out-2") == 0);
    REQUIRE(zmq_connect(tx, "inproc://level-out-2") == 0);
    REQUIRE(set_int(tx, ZMTP_FD_LEVEL_TRIGGERED, ZMQ_POLLOUT) == 0);
    const int fd = fd_of(tx);
    CHECK(readable_now(fd)); // writable
    int sent = 0;
    while (zmq_send(tx, "x", 1, ZMQ_DONTWAIT) == 1)
        ++sent;
    CHECK(sent >= 1);
    CHECK_FALSE(readable_now(fd)); // full: the failed send re-synchronised it
    CHECK(recv_string(rx) == "x");
    CHECK(readable_soon(fd)); // room again
    CHECK(get_int(tx, ZMQ_EVENTS) & ZMQ_POLLOUT);
}

TEST_CASE("zmq_msg_gets: metadata of a tcp peer, EINVAL otherwise", "[capi][msg][gets]") {
    tcp_pair p;
    REQUIRE(p.connected == 0);
    REQUIRE(send_string(p.b, "hello") == 5);
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    CHECK(errno_of(zmq_msg_gets(&msg, "Socket-Type")) == EINVAL); // not received
    REQUIRE(zmq_msg_recv(&msg, p.a, 0) == 5);
    const char *type = zmq_msg_gets(&msg, "Socket-Type");
    REQUIRE(type != nullptr);
    CHECK(std::string(type) == "PAIR");
    CHECK(std::string(zmq_msg_gets(&msg, "Peer-Address")) == "127.0.0.1");
    CHECK(errno_of(zmq_msg_gets(&msg, "X-Absent")) == EINVAL);
    CHECK(errno_of(zmq_msg_gets(&msg, "socket-type")) == EINVAL);  // exact names, as libzmq
    CHECK(errno_of(zmq_msg_gets(&msg, nullptr)) == EINVAL);
    zmq_msg_t copy, moved;
    zmq_msg_init(&copy);
    zmq_msg_init(&moved);
    REQUIRE(zmq_msg_copy(&copy, &msg) == 0);
    CHECK(std::string(zmq_msg_gets(&copy, "Socket-Type")) == "PAIR");
    REQUIRE(zmq_msg_move(&moved, &msg) == 0);
    CHECK(std::string(zmq_msg_gets(&moved, "Socket-Type")) == "PAIR");
    CHECK(errno_of(zmq_msg_gets(&msg, "Socket-Type")) == EINVAL); // moved-from: empty
    // Payloads around the inline limit (48 bytes) keep their content next to the metadata.
    std::string big;
    for (int size : {47, 48, 49, 56, 64}) {
        big.assign(static_cast<std::size_t>(size), static_cast<char>('a' + size % 26));
        REQUIRE(send_string(p.b, big) == size);
        REQUIRE(zmq_msg_recv(&msg, p.a, 0) == size);
        CHECK(std::string(static_cast<char *>(zmq_msg_data(&msg)), big.size()) == big);
        CHECK(std::string(zmq_msg_gets(&msg, "Socket-Type")) == "PAIR");
    }
    REQUIRE(zmq_msg_send(&msg, p.a, 0) == 64); // sent: left empty, no metadata
    CHECK(errno_of(zmq_msg_gets(&msg, "Socket-Type")) == EINVAL);
    zmq_msg_close(&msg);
    zmq_msg_close(&copy);
    zmq_msg_close(&moved);
    CHECK(recv_string(p.b) == big);
}

TEST_CASE("zmq_msg_gets: inproc frames carry no metadata, as in libzmq",
          "[capi][msg][gets][pubsub]") {
    context ctx;
    socket pub(ctx, ZMQ_PUB);
    socket sub(ctx, ZMQ_SUB);
    REQUIRE(zmq_bind(pub, "inproc://gets-pub") == 0);
    REQUIRE(zmq_connect(sub, "inproc://gets-pub") == 0);
    REQUIRE(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0) == 0);
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    zmq_pollitem_t item = {sub, 0, ZMQ_POLLIN, 0};
    bool got = false;
    for (int i = 0; i < 100 && !got; ++i) {
        send_string(pub, "news");
        got = zmq_poll(&item, 1, 100) == 1;
    }
    REQUIRE(got);
    REQUIRE(zmq_msg_recv(&msg, sub, 0) == 4);
    CHECK(errno_of(zmq_msg_gets(&msg, "Socket-Type")) == EINVAL);
    CHECK(errno_of(zmq_msg_gets(&msg, "Peer-Address")) == EINVAL);
    zmq_msg_close(&msg);
}
