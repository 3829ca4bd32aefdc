// C API utilities: zmq_has, Z85, CURVE stubs, atomic counters, stopwatch, threads, timers,
// zmq_poll (empty sets, plain descriptors, sockets) and zmq_proxy argument checks.
#include "tests/capi/capi_helpers.hpp"
#include "tests/support/catch.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>

using namespace capi_test;

TEST_CASE("C-API: zmq_has reports ipc and nothing we lack", "[capi][misc]") {
    CHECK(zmq_has("ipc") == 1);
    for (const char *cap : {"pgm", "tipc", "norm", "curve", "gssapi", "draft", "bogus"})
        CHECK(zmq_has(cap) == 0);
    CHECK(zmq_has(nullptr) == 0);
}

TEST_CASE("C-API: Z85 follows the RFC 32 test vector", "[capi][misc]") {
    const std::uint8_t bytes[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
    char text[11];
    REQUIRE(zmq_z85_encode(text, bytes, sizeof bytes) == text);
    CHECK(std::string(text) == "HelloWorld");
    std::uint8_t back[8] = {};
    REQUIRE(zmq_z85_decode(back, "HelloWorld") == back);
    CHECK(std::memcmp(back, bytes, sizeof bytes) == 0);
    CHECK(errno_of(zmq_z85_encode(text, bytes, 7)) == EINVAL);
    CHECK(errno_of(zmq_z85_decode(back, "Hell")) == EINVAL);  // not a multiple of 5
    CHECK(errno_of(zmq_z85_decode(back, "Hell~")) == EINVAL); // not in the alphabet
    CHECK(errno_of(zmq_z85_decode(back, "#####")) == EINVAL); // above 2^32-1
}

TEST_CASE("C-API: CURVE key functions are not supported (NULL mechanism only)",
          "[capi][misc][stub]") {
    char pub[41], sec[41];
    CHECK(errno_of(zmq_curve_keypair(pub, sec)) == ENOTSUP);
    CHECK(errno_of(zmq_curve_public(pub, sec)) == ENOTSUP);
}

TEST_CASE("C-API: atomic counters", "[capi][misc]") {
    void *c = zmq_atomic_counter_new();
    REQUIRE(c != nullptr);
    CHECK(zmq_atomic_counter_value(c) == 0);
    CHECK(zmq_atomic_counter_inc(c) == 0); // returns the old value
    CHECK(zmq_atomic_counter_inc(c) == 1);
    CHECK(zmq_atomic_counter_dec(c) == 1); // still positive
    CHECK(zmq_atomic_counter_dec(c) == 0); // reached zero
    zmq_atomic_counter_set(c, 5);
    CHECK(zmq_atomic_counter_value(c) == 5);
    zmq_atomic_counter_destroy(&c);
    CHECK(c == nullptr);
}

TEST_CASE("C-API: stopwatch, zmq_threadstart and zmq_threadclose", "[capi][misc]") {
    void *watch = zmq_stopwatch_start();
    REQUIRE(watch != nullptr);
    std::atomic<int> ran{0};
    void *t =
        zmq_threadstart([](void *arg) { static_cast<std::atomic<int> *>(arg)->store(1); }, &ran);
    REQUIRE(t != nullptr);
    zmq_threadclose(t);
    CHECK(ran == 1);
    const unsigned long mid = zmq_stopwatch_intermediate(watch);
    CHECK(zmq_stopwatch_stop(watch) >= mid);
}

TEST_CASE("C-API: timers fire, re-arm and cancel", "[capi][misc]") {
    void *timers = zmq_timers_new();
    REQUIRE(timers != nullptr);
    CHECK(zmq_timers_timeout(timers) == -1); // nothing scheduled
    static int fired = 0;
    fired = 0;
    const int id = zmq_timers_add(
        timers, 5, [](int, void *arg) { ++*static_cast<int *>(arg); }, &fired);
    REQUIRE(id > 0);
    CHECK(zmq_timers_timeout(timers) <= 5);
    CHECK(wait_until([&] {
        zmq_timers_execute(timers);
        return fired >= 2;
    }));
    CHECK(zmq_timers_set_interval(timers, id, 100000) == 0);
    CHECK(zmq_timers_timeout(timers) > 1000);
    CHECK(zmq_timers_reset(timers, id) == 0);
    CHECK(zmq_timers_cancel(timers, id) == 0);
    CHECK(errno_of(zmq_timers_cancel(timers, id)) == EINVAL);
    CHECK(errno_of(zmq_timers_add(timers, 1, nullptr, nullptr)) == EFAULT);
    CHECK(errno_of(zmq_timers_execute(nullptr)) == EFAULT);
    CHECK(zmq_timers_destroy(&timers) == 0);
    CHECK(timers == nullptr);
}

TEST_CASE("C-API: zmq_poll on an empty set and on plain descriptors", "[capi][poll]") {
    CHECK(zmq_poll(nullptr, 0, 0) == 0);
    CHECK(zmq_poll(nullptr, 0, 1) == 0);
    CHECK(errno_of(zmq_poll(nullptr, -1, 0)) == EINVAL);
    CHECK(errno_of(zmq_poll(nullptr, 1, 0)) == EFAULT);

    int fds[2];
    REQUIRE(pipe(fds) == 0);
    zmq_pollitem_t item = {nullptr, fds[0], ZMQ_POLLIN, 0};
    CHECK(zmq_poll(&item, 1, 10) == 0);
    CHECK(item.revents == 0);
    REQUIRE(write(fds[1], "x", 1) == 1);
    CHECK(zmq_poll(&item, 1, 1000) == 1);
    CHECK(item.revents == ZMQ_POLLIN);
    close(fds[0]);
    close(fds[1]);

    zmq_pollitem_t bad = {&item, 0, ZMQ_POLLIN, 0}; // not a socket
    CHECK(errno_of(zmq_poll(&bad, 1, 0)) == ENOTSOCK);
}

// More poll cases, checked against libzmq too, in c/poll.c.
TEST_CASE("C-API: zmq_poll on sockets", "[capi][poll][tcp]") {
    tcp_pair p;
    REQUIRE(p.connected == 0);
    zmq_pollitem_t items[2] = {{p.a, 0, ZMQ_POLLIN, 0}, {p.b, 0, ZMQ_POLLOUT, 0}};
    REQUIRE(zmq_poll(items, 2, 0) >= 0);
    CHECK(items[0].revents == 0);
    REQUIRE(send_string(p.b, "ping") == 4);
    CHECK(zmq_poll(items, 1, 5000) == 1);
    CHECK(items[0].revents == ZMQ_POLLIN);
}

TEST_CASE("C-API: zmq_proxy checks its sockets", "[capi][misc]") {
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    CHECK(errno_of(zmq_proxy(nullptr, s, nullptr)) == ENOTSOCK);
    CHECK(errno_of(zmq_proxy(s, nullptr, nullptr)) == ENOTSOCK);
    CHECK(errno_of(zmq_proxy_steerable(s, s, nullptr, ctx.ctx)) == ENOTSOCK);
    CHECK(errno_of(zmq_device(ZMQ_QUEUE, nullptr, s)) == ENOTSOCK);
}
