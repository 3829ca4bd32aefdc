// C API: context termination and linger (C-LIFE-1..3): ETERM for blocked and later calls,
// zmq_ctx_term returning with LINGER 0 (or a finite LINGER) and messages still pending.
#include "tests/capi/capi_helpers.hpp"
#include "tests/support/catch.hpp"

#include <chrono>
#include <future>
#include <string>
#include <thread>

using namespace capi_test;
using namespace std::chrono;

namespace {

/// An endpoint nobody listens on: bind an ephemeral port, then release it.
std::string dead_endpoint(void *ctx) {
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    const std::string ep = bind_loopback(s);
    zmq_close(s);
    return ep;
}

} // namespace

TEST_CASE("C-LIFE-2: a recv blocked in another thread gets ETERM from zmq_ctx_term",
          "[capi][life]") {
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    REQUIRE(s != nullptr);
    REQUIRE(zmq_bind(s, "tcp://127.0.0.1:*") == 0);
    // The receiver blocks without a timeout; term must wake it. No sleep is needed: if term
    // wins the race, the recv sees ETERM straight away.
    auto receiver = std::async(std::launch::async, [s] {
        char buf[8];
        const int rc = zmq_recv(s, buf, sizeof buf, 0);
        const int err = zmq_errno();
        zmq_close(s);
        return rc == -1 ? err : 0;
    });
    auto term = std::async(std::launch::async, [ctx] { return zmq_ctx_term(ctx); });
    REQUIRE(term.wait_for(seconds(10)) == std::future_status::ready);
    CHECK(term.get() == 0);
    REQUIRE(receiver.wait_for(seconds(10)) == std::future_status::ready);
    CHECK(receiver.get() == ETERM);
}

TEST_CASE("C-LIFE-2: after zmq_ctx_shutdown every call but zmq_close fails with ETERM",
          "[capi][life]") {
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    REQUIRE(s != nullptr);
    REQUIRE(zmq_ctx_shutdown(ctx) == 0);
    char buf[4];
    CHECK(errno_of(zmq_send(s, "x", 1, 0)) == ETERM);
    CHECK(errno_of(zmq_recv(s, buf, sizeof buf, 0)) == ETERM);
    CHECK(errno_of(zmq_bind(s, "tcp://127.0.0.1:*")) == ETERM);
    CHECK(errno_of(zmq_connect(s, "tcp://127.0.0.1:5999")) == ETERM);
    CHECK(zmq_close(s) == 0);
    CHECK(zmq_ctx_term(ctx) == 0);
}

TEST_CASE("C-LIFE-1: zmq_ctx_term returns at once with LINGER 0 and pending messages",
          "[capi][life][tcp]") {
    void *ctx = zmq_ctx_new();
    const std::string ep = dead_endpoint(ctx);
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    REQUIRE(zmq_connect(s, ep.c_str()) == 0);
    for (int i = 0; i < 3; ++i)
        CHECK(zmq_send(s, "pending", 7, ZMQ_DONTWAIT) == 7); // queued on the connector
    REQUIRE(set_int(s, ZMQ_LINGER, 0) == 0);
    CHECK(zmq_close(s) == 0);
    const auto start = steady_clock::now();
    auto term = std::async(std::launch::async, [ctx] { return zmq_ctx_term(ctx); });
    REQUIRE(term.wait_for(seconds(5)) == std::future_status::ready);
    CHECK(term.get() == 0);
    CHECK(steady_clock::now() - start < seconds(2));
}

TEST_CASE("C-LIFE-1: a finite LINGER bounds zmq_ctx_term", "[capi][life][tcp]") {
    void *ctx = zmq_ctx_new();
    const std::string ep = dead_endpoint(ctx);
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    REQUIRE(zmq_connect(s, ep.c_str()) == 0);
    CHECK(zmq_send(s, "pending", 7, ZMQ_DONTWAIT) == 7);
    REQUIRE(set_int(s, ZMQ_LINGER, 200) == 0);
    CHECK(zmq_close(s) == 0);
    const auto start = steady_clock::now();
    auto term = std::async(std::launch::async, [ctx] { return zmq_ctx_term(ctx); });
    REQUIRE(term.wait_for(seconds(10)) == std::future_status::ready);
    CHECK(term.get() == 0);
    CHECK(steady_clock::now() - start >= milliseconds(150));
}

TEST_CASE("C-LIFE-3: zmq_ctx_term waits for a socket closed later by another thread",
          "[capi][life]") {
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    REQUIRE(s != nullptr);
    auto term = std::async(std::launch::async, [ctx] { return zmq_ctx_term(ctx); });
    // The socket is still open, so termination cannot finish yet.
    CHECK(term.wait_for(milliseconds(100)) == std::future_status::timeout);
    CHECK(zmq_close(s) == 0);
    REQUIRE(term.wait_for(seconds(10)) == std::future_status::ready);
    CHECK(term.get() == 0);
}
