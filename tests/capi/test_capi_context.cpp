// C API: context entry points and context options (C-LIFE-2, C-ERR EFAULT/EMTHREAD/ETERM).
#include "tests/capi/capi_helpers.hpp"
#include "tests/support/catch.hpp"

using namespace capi_test;

TEST_CASE("C-API: zmq_ctx_new / zmq_ctx_term", "[capi][ctx]") {
    void *ctx = zmq_ctx_new();
    REQUIRE(ctx != nullptr);
    CHECK(zmq_ctx_term(ctx) == 0);
}

TEST_CASE("C-API: legacy zmq_init / zmq_term / zmq_ctx_destroy", "[capi][ctx]") {
    void *ctx = zmq_init(2);
    REQUIRE(ctx != nullptr);
    CHECK(zmq_ctx_get(ctx, ZMQ_IO_THREADS) == 2);
    CHECK(zmq_term(ctx) == 0);
    ctx = zmq_init(1);
    REQUIRE(ctx != nullptr);
    CHECK(zmq_ctx_destroy(ctx) == 0);
    CHECK(errno_of(zmq_init(-1)) == EINVAL);
}

TEST_CASE("C-ERR: invalid context handles give EFAULT", "[capi][ctx][errno]") {
    CHECK(errno_of(zmq_ctx_term(nullptr)) == EFAULT);
    CHECK(errno_of(zmq_ctx_shutdown(nullptr)) == EFAULT);
    CHECK(errno_of(zmq_ctx_set(nullptr, ZMQ_IO_THREADS, 1)) == EFAULT);
    CHECK(errno_of(zmq_ctx_get(nullptr, ZMQ_IO_THREADS)) == EFAULT);
    CHECK(errno_of(zmq_term(nullptr)) == EFAULT);
    CHECK(errno_of(zmq_ctx_destroy(nullptr)) == EFAULT);
    CHECK(errno_of(zmq_socket(nullptr, ZMQ_PAIR)) == EFAULT);
    int not_a_context = 42;
    CHECK(errno_of(zmq_ctx_term(&not_a_context)) == EFAULT);

    // zmtp keeps handle shells alive, so a terminated context is rejected, not undefined.
    void *ctx = zmq_ctx_new();
    REQUIRE(zmq_ctx_term(ctx) == 0);
    CHECK(errno_of(zmq_ctx_term(ctx)) == EFAULT);
    CHECK(errno_of(zmq_socket(ctx, ZMQ_PAIR)) == EFAULT);

    context live;
    socket s(live, ZMQ_PAIR);
    CHECK(errno_of(zmq_ctx_get(s.s, ZMQ_IO_THREADS)) == EFAULT); // a socket is no context
}

TEST_CASE("C-OPT: context option defaults", "[capi][ctx][opt]") {
    context ctx;
    CHECK(zmq_ctx_get(ctx, ZMQ_IO_THREADS) == ZMQ_IO_THREADS_DFLT);
    CHECK(zmq_ctx_get(ctx, ZMQ_MAX_SOCKETS) == ZMQ_MAX_SOCKETS_DFLT);
    CHECK(zmq_ctx_get(ctx, ZMQ_SOCKET_LIMIT) >= ZMQ_MAX_SOCKETS_DFLT);
    CHECK(zmq_ctx_get(ctx, ZMQ_MSG_T_SIZE) == 64);
    CHECK(zmq_ctx_get(ctx, ZMQ_BLOCKY) == 1);
    CHECK(zmq_ctx_get(ctx, ZMQ_IPV6) == 0);
    CHECK(zmq_ctx_get(ctx, ZMQ_THREAD_SCHED_POLICY) == ZMQ_THREAD_SCHED_POLICY_DFLT);
}

TEST_CASE("C-OPT: zmq_ctx_set round-trips and validates", "[capi][ctx][opt]") {
    context ctx;
    CHECK(zmq_ctx_set(ctx, ZMQ_IO_THREADS, 3) == 0);
    CHECK(zmq_ctx_get(ctx, ZMQ_IO_THREADS) == 3);
    CHECK(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 17) == 0);
    CHECK(zmq_ctx_get(ctx, ZMQ_MAX_SOCKETS) == 17);
    CHECK(errno_of(zmq_ctx_set(ctx, ZMQ_IO_THREADS, -1)) == EINVAL);
    CHECK(errno_of(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 0)) == EINVAL);
    CHECK(errno_of(zmq_ctx_set(ctx, ZMQ_BLOCKY, -1)) == EINVAL);
    CHECK(errno_of(zmq_ctx_set(ctx, 9999, 1)) == EINVAL);
    CHECK(errno_of(zmq_ctx_get(ctx, 9999)) == EINVAL);
    CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_PRIORITY, 10) == 0); // accepted scheduling hint
}

TEST_CASE("C-LIFE-1: ZMQ_BLOCKY 0 gives new sockets LINGER 0; ZMQ_IPV6 is inherited",
          "[capi][ctx][opt]") {
    context ctx;
    REQUIRE(zmq_ctx_set(ctx, ZMQ_BLOCKY, 0) == 0);
    REQUIRE(zmq_ctx_set(ctx, ZMQ_IPV6, 1) == 0);
    socket s(ctx, ZMQ_PAIR);
    REQUIRE(s.s != nullptr);
    CHECK(get_int(s, ZMQ_LINGER) == 0);
    CHECK(get_int(s, ZMQ_IPV6) == 1);
}

TEST_CASE("C-ERR: ZMQ_MAX_SOCKETS is enforced with EMFILE", "[capi][ctx][errno]") {
    context ctx;
    REQUIRE(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 2) == 0);
    socket a(ctx, ZMQ_PAIR);
    socket b(ctx, ZMQ_PAIR);
    REQUIRE(a.s != nullptr);
    REQUIRE(b.s != nullptr);
    CHECK(errno_of(zmq_socket(ctx, ZMQ_PAIR)) == EMFILE);
}

TEST_CASE("C-ERR: tcp on a context with zero I/O threads gives EMTHREAD", "[capi][ctx][errno]") {
    context ctx;
    REQUIRE(zmq_ctx_set(ctx, ZMQ_IO_THREADS, 0) == 0);
    socket s(ctx, ZMQ_PAIR);
    REQUIRE(s.s != nullptr);
    CHECK(errno_of(zmq_bind(s, "tcp://127.0.0.1:*")) == EMTHREAD);
}

TEST_CASE("C-LIFE-2: after zmq_ctx_shutdown new sockets fail with ETERM", "[capi][ctx][life]") {
    void *ctx = zmq_ctx_new();
    REQUIRE(zmq_ctx_shutdown(ctx) == 0);
    CHECK(errno_of(zmq_socket(ctx, ZMQ_PAIR)) == ETERM);
    CHECK(zmq_ctx_term(ctx) == 0);
}
