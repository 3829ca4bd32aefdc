// C API: zmq_msg_* semantics — init variants, copy shares, move empties the source, the
// zmq_msg_init_data free callback runs exactly once after the last copy is closed.
#include "tests/capi/capi_helpers.hpp"
#include "tests/support/catch.hpp"

#include <atomic>
#include <cstring>
#include <string>

using namespace capi_test;

namespace {

struct free_log {
    std::atomic<int> calls{0};
    void *last_data = nullptr;
};

void count_free(void *data, void *hint) {
    auto *log = static_cast<free_log *>(hint);
    log->last_data = data;
    log->calls.fetch_add(1);
}

std::string text_of(zmq_msg_t &m) {
    return std::string(static_cast<const char *>(zmq_msg_data(&m)), zmq_msg_size(&m));
}

} // namespace

TEST_CASE("C-API: zmq_msg_init and zmq_msg_init_size", "[capi][msg]") {
    zmq_msg_t m;
    REQUIRE(zmq_msg_init(&m) == 0);
    CHECK(zmq_msg_size(&m) == 0);
    CHECK(zmq_msg_more(&m) == 0);
    CHECK(zmq_msg_close(&m) == 0);

    for (size_t size : {size_t{5}, size_t{56}, size_t{57}, size_t{100000}}) {
        CAPTURE(size);
        REQUIRE(zmq_msg_init_size(&m, size) == 0);
        CHECK(zmq_msg_size(&m) == size);
        std::memset(zmq_msg_data(&m), 'z', size); // writable
        CHECK(static_cast<char *>(zmq_msg_data(&m))[size - 1] == 'z');
        CHECK(zmq_msg_close(&m) == 0);
    }
}

TEST_CASE("C-API: zmq_msg_init_data adopts the buffer and frees it once", "[capi][msg]") {
    for (size_t size : {size_t{4}, size_t{4096}}) {
        CAPTURE(size);
        free_log log;
        char *buf = new char[size];
        std::memset(buf, 'q', size);
        zmq_msg_t m;
        REQUIRE(zmq_msg_init_data(&m, buf, size, count_free, &log) == 0);
        CHECK(zmq_msg_data(&m) == buf); // zero copy, however small
        CHECK(zmq_msg_size(&m) == size);

        zmq_msg_t copy;
        zmq_msg_init(&copy);
        REQUIRE(zmq_msg_copy(&copy, &m) == 0);
        CHECK(zmq_msg_data(&copy) == buf);
        CHECK(zmq_msg_get(&m, ZMQ_SHARED) == 1);
        CHECK(zmq_msg_close(&m) == 0);
        CHECK(log.calls == 0); // the copy still holds it
        CHECK(zmq_msg_get(&copy, ZMQ_SHARED) == 0);
        CHECK(zmq_msg_close(&copy) == 0);
        CHECK(log.calls == 1);
        CHECK(log.last_data == buf);
        delete[] buf;
    }
}

TEST_CASE("C-API: zmq_msg_init_data without a free function never frees", "[capi][msg]") {
    static const char text[] = "static text";
    zmq_msg_t m;
    REQUIRE(zmq_msg_init_data(&m, const_cast<char *>(text), 11, nullptr, nullptr) == 0);
    CHECK(text_of(m) == "static text");
    CHECK(zmq_msg_close(&m) == 0);
}

TEST_CASE("C-API: zmq_msg_copy shares large payloads and copies small ones", "[capi][msg]") {
    zmq_msg_t a, b;
    REQUIRE(zmq_msg_init_size(&a, 1000) == 0);
    std::memset(zmq_msg_data(&a), 'L', 1000);
    zmq_msg_init_size(&b, 3); // the old content of the destination is released
    REQUIRE(zmq_msg_copy(&b, &a) == 0);
    CHECK(zmq_msg_data(&b) == zmq_msg_data(&a));
    CHECK(zmq_msg_size(&b) == 1000);
    CHECK(zmq_msg_get(&a, ZMQ_SHARED) == 1);
    CHECK(zmq_msg_get(&b, ZMQ_SHARED) == 1);
    zmq_msg_close(&a);
    zmq_msg_close(&b);

    zmq_msg_init_size(&a, 3);
    std::memcpy(zmq_msg_data(&a), "abc", 3);
    zmq_msg_init(&b);
    REQUIRE(zmq_msg_copy(&b, &a) == 0);
    CHECK(text_of(b) == "abc");
    CHECK(zmq_msg_copy(&a, &a) == 0); // self-copy is harmless
    CHECK(text_of(a) == "abc");
    zmq_msg_close(&a);
    zmq_msg_close(&b);
}

TEST_CASE("C-API: zmq_msg_move transfers content and empties the source", "[capi][msg]") {
    free_log log;
    static char payload[] = "moved payload";
    zmq_msg_t src, dst;
    REQUIRE(zmq_msg_init_data(&src, payload, 13, count_free, &log) == 0);
    zmq_msg_init_size(&dst, 8);
    REQUIRE(zmq_msg_move(&dst, &src) == 0);
    CHECK(text_of(dst) == "moved payload");
    CHECK(zmq_msg_size(&src) == 0);
    CHECK(zmq_msg_close(&src) == 0);
    CHECK(log.calls == 0);
    CHECK(zmq_msg_close(&dst) == 0);
    CHECK(log.calls == 1);
}

TEST_CASE("C-API: message properties", "[capi][msg][errno]") {
    zmq_msg_t m;
    zmq_msg_init_size(&m, 10);
    CHECK(zmq_msg_get(&m, ZMQ_MORE) == 0);
    CHECK(zmq_msg_get(&m, ZMQ_SHARED) == 0);
    CHECK(errno_of(zmq_msg_get(&m, 99)) == EINVAL);
    CHECK(errno_of(zmq_msg_get(&m, ZMQ_SRCFD)) == EINVAL);
    CHECK(errno_of(zmq_msg_set(&m, ZMQ_MORE, 1)) == EINVAL);
    CHECK(errno_of(zmq_msg_gets(&m, "Socket-Type")) == EINVAL);
    zmq_msg_close(&m);
}

TEST_CASE("C-ERR: null message pointers give EFAULT", "[capi][msg][errno]") {
    zmq_msg_t m;
    zmq_msg_init(&m);
    CHECK(errno_of(zmq_msg_init(nullptr)) == EFAULT);
    CHECK(errno_of(zmq_msg_init_size(nullptr, 4)) == EFAULT);
    CHECK(errno_of(zmq_msg_init_data(nullptr, &m, 4, nullptr, nullptr)) == EFAULT);
    CHECK(errno_of(zmq_msg_init_data(&m, nullptr, 4, nullptr, nullptr)) == EFAULT);
    CHECK(errno_of(zmq_msg_close(nullptr)) == EFAULT);
    CHECK(errno_of(zmq_msg_copy(nullptr, &m)) == EFAULT);
    CHECK(errno_of(zmq_msg_copy(&m, nullptr)) == EFAULT);
    CHECK(errno_of(zmq_msg_move(nullptr, &m)) == EFAULT);
    CHECK(errno_of(zmq_msg_move(&m, nullptr)) == EFAULT);
    CHECK(errno_of(zmq_msg_data(nullptr)) == EFAULT);
    CHECK(zmq_msg_size(nullptr) == 0);
    CHECK(errno_of(zmq_msg_more(nullptr)) == EFAULT);
    CHECK(errno_of(zmq_msg_get(nullptr, ZMQ_MORE)) == EFAULT);
    CHECK(errno_of(zmq_msg_set(nullptr, ZMQ_MORE, 0)) == EFAULT);
    context ctx;
    socket s(ctx, ZMQ_PAIR);
    CHECK(errno_of(zmq_msg_send(nullptr, s, 0)) == EFAULT);
    CHECK(errno_of(zmq_msg_recv(nullptr, s, 0)) == EFAULT);
    zmq_msg_close(&m);
    CHECK(zmq_msg_close(&m) == 0); // a closed message is left empty, so closing again is safe
}

TEST_CASE("C-API: an adopted buffer sent over tcp is freed once after delivery",
          "[capi][msg][tcp]") {
    tcp_pair p;
    REQUIRE(p.connected == 0);
    free_log log;
    char *buf = new char[3000];
    std::memset(buf, 'D', 3000);
    zmq_msg_t m;
    REQUIRE(zmq_msg_init_data(&m, buf, 3000, count_free, &log) == 0);
    CHECK(zmq_msg_send(&m, p.b, 0) == 3000);
    zmq_msg_close(&m);
    zmq_msg_t in;
    zmq_msg_init(&in);
    REQUIRE(zmq_msg_recv(&in, p.a, 0) == 3000);
    CHECK(static_cast<char *>(zmq_msg_data(&in))[2999] == 'D');
    zmq_msg_close(&in);
    // The sender's engine lets go of the buffer once written; that happens asynchronously.
    REQUIRE(wait_until([&] { return log.calls.load() == 1; }));
    CHECK(log.last_data == buf);
    delete[] buf; // only once the library has let go (a failed REQUIRE leaks it instead)
}
