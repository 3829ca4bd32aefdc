// C API: zmq_setsockopt / zmq_getsockopt defaults and validation (C-OPT table, C-OPT-1,
// C-HWM-1, C-LIFE-1, C-SUB-8).
#include "tests/capi/capi_helpers.hpp"
#include "tests/support/catch.hpp"

#include <cstdint>
#include <utility>

using namespace capi_test;

namespace {

std::int64_t get_int64(void *s, int option) {
    std::int64_t value = -12345;
    size_t size = sizeof value;
    return zmq_getsockopt(s, option, &value, &size) == 0 ? value : -12345;
}

} // namespace

TEST_CASE("C-OPT: PAIR option defaults are libzmq 4.3's", "[capi][opt]") {
    context ctx;
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    REQUIRE(s != nullptr);
    const std::pair<int, int> defaults[] = {
        {ZMQ_SNDHWM, 1000},
        {ZMQ_RCVHWM, 1000},
        {ZMQ_LINGER, -1},
        {ZMQ_RECONNECT_IVL, 100},
        {ZMQ_RECONNECT_IVL_MAX, 0},
        {ZMQ_RCVTIMEO, -1},
        {ZMQ_SNDTIMEO, -1},
        {ZMQ_HANDSHAKE_IVL, 30000},
        {ZMQ_IPV6, 0},
        {ZMQ_RCVMORE, 0},
        {ZMQ_TYPE, ZMQ_PAIR},
        {ZMQ_BACKLOG, 100},
        {ZMQ_SNDBUF, -1},
        {ZMQ_RCVBUF, -1},
        {ZMQ_IMMEDIATE, 0},
        {ZMQ_TCP_KEEPALIVE, -1},
        {ZMQ_MECHANISM, ZMQ_NULL},
        {ZMQ_HEARTBEAT_IVL, 0},
        {ZMQ_HEARTBEAT_TTL, 0},
        {ZMQ_HEARTBEAT_TIMEOUT, -1},
        {ZMQ_CONNECT_TIMEOUT, 0},
    };
    for (auto [option, value] : defaults) {
        CAPTURE(option);
        CHECK(get_int(s, option) == value);
    }
    CHECK(get_int64(s, ZMQ_MAXMSGSIZE) == -1);
    char endpoint[64];
    size_t size = sizeof endpoint;
    REQUIRE(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, endpoint, &size) == 0);
    CHECK(size == 1); // "" plus its NUL
    CHECK(endpoint[0] == '\0');
    zmq_close(s);
}

TEST_CASE("C-SUB-8: SUB's default LINGER is 0, PUB's -1", "[capi][opt]") {
    context ctx;
    socket sub(ctx, ZMQ_SUB);
    socket pub(ctx, ZMQ_PUB);
    REQUIRE(sub.s != nullptr);
    REQUIRE(pub.s != nullptr);
    CHECK(get_int(sub, ZMQ_LINGER) == 0);
    CHECK(get_int(pub, ZMQ_LINGER) == -1);
}

TEST_CASE("C-OPT: values round-trip through set and get", "[capi][opt]") {
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    CHECK(set_int(s, ZMQ_SNDHWM, 10) == 0);
    CHECK(get_int(s, ZMQ_SNDHWM) == 10);
    CHECK(set_int(s, ZMQ_RCVHWM, 0) == 0); // 0 = no limit
    CHECK(get_int(s, ZMQ_RCVHWM) == 0);
    CHECK(set_int(s, ZMQ_LINGER, 250) == 0);
    CHECK(get_int(s, ZMQ_LINGER) == 250);
    CHECK(set_int(s, ZMQ_RECONNECT_IVL, -1) == 0);
    CHECK(get_int(s, ZMQ_RECONNECT_IVL) == -1);
    const std::int64_t big = std::int64_t{1} << 40;
    CHECK(zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &big, sizeof big) == 0);
    CHECK(get_int64(s, ZMQ_MAXMSGSIZE) == big);
}

TEST_CASE("C-OPT-1: wrong sizes, ranges and numbers give EINVAL", "[capi][opt][errno]") {
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    const std::int64_t eight = 10;
    const int four = 10;
    CHECK(errno_of(zmq_setsockopt(s, ZMQ_SNDHWM, &eight, sizeof eight)) == EINVAL);
    CHECK(errno_of(zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &four, sizeof four)) == EINVAL);
    CHECK(errno_of(set_int(s, ZMQ_SNDHWM, -1)) == EINVAL); // C-HWM-1
    CHECK(errno_of(set_int(s, ZMQ_RCVHWM, -1)) == EINVAL);
    CHECK(errno_of(set_int(s, ZMQ_LINGER, -2)) == EINVAL); // C-LIFE-1
    CHECK(errno_of(set_int(s, ZMQ_RECONNECT_IVL, -2)) == EINVAL);
    CHECK(errno_of(set_int(s, ZMQ_HEARTBEAT_TTL, 6553600)) == EINVAL);
    CHECK(errno_of(set_int(s, 9999, 1)) == EINVAL); // unknown number
    CHECK(errno_of(set_int(s, 0, 1)) == EINVAL);
    CHECK(errno_of(zmq_setsockopt(s, ZMQ_SUBSCRIBE, "a", 1)) == EINVAL); // not on PAIR
    CHECK(errno_of(set_int(s, ZMQ_TYPE, 1)) == EINVAL);                  // read-only
    CHECK(errno_of(zmq_setsockopt(s, ZMQ_LINGER, nullptr, 4)) == EINVAL);
    CHECK(get_int(s, ZMQ_SNDHWM) == 1000); // nothing changed

    int value = 0;
    size_t size = 2;
    CHECK(errno_of(zmq_getsockopt(s, ZMQ_LINGER, &value, &size)) == EINVAL);
    CHECK(errno_of(zmq_getsockopt(s, 9999, &value, &size)) == EINVAL);
    CHECK(errno_of(zmq_getsockopt(s, ZMQ_LINGER, &value, nullptr)) == EINVAL);
}

TEST_CASE("C-TCP-3: LAST_ENDPOINT into a too-small buffer gives EINVAL", "[capi][opt][tcp]") {
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    REQUIRE(zmq_bind(s, "tcp://127.0.0.1:*") == 0);
    char small[4];
    size_t size = sizeof small;
    CHECK(errno_of(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, small, &size)) == EINVAL);
}

TEST_CASE("C-PUB-9: SUBSCRIBE is a SUB option, XPUB_NODROP a PUB one", "[capi][opt][errno]") {
    context ctx;
    socket sub(ctx, ZMQ_SUB);
    socket pub(ctx, ZMQ_PUB);
    REQUIRE(sub.s != nullptr);
    REQUIRE(pub.s != nullptr);
    CHECK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "topic", 5) == 0);
    CHECK(zmq_setsockopt(sub, ZMQ_UNSUBSCRIBE, "topic", 5) == 0);
    CHECK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, nullptr, 0) == 0); // everything
    CHECK(errno_of(zmq_setsockopt(pub, ZMQ_SUBSCRIBE, "topic", 5)) == EINVAL);
    CHECK(set_int(pub, ZMQ_XPUB_NODROP, 1) == 0);
    CHECK(errno_of(set_int(sub, ZMQ_XPUB_NODROP, 1)) == EINVAL);
}
