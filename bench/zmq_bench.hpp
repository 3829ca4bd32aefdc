// zmq_bench.hpp: what every zmq_bench mode shares (zmq.h calls only; compiled into
// bench_zmtp against zmtp's C API and into bench_libzmq against libzmq).
#pragma once

#include <zmq.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

namespace zmq_bench {

using bench_clock = std::chrono::steady_clock;

/// Milliseconds any single receive may wait before the run counts as failed.
constexpr int recv_timeout_ms = 10000;

/// Exits at once: other threads may still be inside the library.
[[noreturn]] inline void die(int status, const std::string& what) {
    std::fprintf(stderr, "zmq_bench: %s\n", what.c_str());
    std::fflush(stderr);
    std::_Exit(status);
}
[[noreturn]] inline void fail(const char* what) {
    die(2, std::string(what) + ": " + zmq_strerror(zmq_errno()));
}
inline void check(int rc, const char* what) {
    if (rc == -1)
        fail(what);
}
/// A context with ZMQ_IO_THREADS from ZMQ_BENCH_IO_THREADS, if set.
inline void* new_context() {
    void* ctx = zmq_ctx_new();
    if (ctx == nullptr)
        fail("zmq_ctx_new");
    if (const char* n = std::getenv("ZMQ_BENCH_IO_THREADS"))
        check(zmq_ctx_set(ctx, ZMQ_IO_THREADS, std::atoi(n)), "zmq_ctx_set(IO_THREADS)");
    return ctx;
}

inline void* make_socket(void* ctx, int type) {
    void* s = zmq_socket(ctx, type);
    if (s == nullptr)
        fail("zmq_socket");
    return s;
}
inline void set_int(void* s, int option, int value) {
    check(zmq_setsockopt(s, option, &value, sizeof value), "zmq_setsockopt");
}

/// The address to bind for a transport; tcp takes an ephemeral port.
inline std::string bind_address(const std::string& transport, const char* tag) {
    if (transport == "tcp")
        return "tcp://127.0.0.1:*";
    if (transport == "ipc")
        return "ipc:///tmp/zmq_bench_" + std::to_string(getpid()) + "_" + tag + ".ipc";
    if (transport == "inproc")
        return std::string("inproc://zmq_bench_") + tag;
    die(2, "unknown transport '" + transport + "'");
}

/// Binds `s` and returns the endpoint peers connect to (the real port for tcp).
inline std::string bind_socket(void* s, const std::string& transport, const char* tag) {
    check(zmq_bind(s, bind_address(transport, tag).c_str()), "zmq_bind");
    char endpoint[256];
    std::size_t size = sizeof endpoint;
    check(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, endpoint, &size), "zmq_getsockopt");
    return endpoint;
}

/// Sends one message of `size` bytes, each `fill`. The payload is written, as an application
/// would: left untouched, fresh heap pages would be faulted in by the kernel inside send().
inline void send_msg(void* s, std::size_t size, char fill = 'x') {
    zmq_msg_t msg;
    check(zmq_msg_init_size(&msg, size), "zmq_msg_init_size");
    std::memset(zmq_msg_data(&msg), fill, size);
    check(zmq_msg_send(&msg, s, 0), "zmq_msg_send");
}

/// Receives into `msg`; a timeout is reported with how far the run got.
inline void recv_msg(void* s, zmq_msg_t* msg, long got, long expected) {
    if (zmq_msg_recv(msg, s, 0) != -1)
        return;
    if (zmq_errno() == EAGAIN)
        die(3, "no message for " + std::to_string(recv_timeout_ms / 1000) + " s after " +
                   std::to_string(got) + " of " + std::to_string(expected) + " (lost?)");
    fail("zmq_msg_recv");
}

inline void check_size(const zmq_msg_t* msg, std::size_t size) {
    const std::size_t got = zmq_msg_size(msg);
    if (got != size)
        die(3, "got " + std::to_string(got) + " bytes, expected " + std::to_string(size));
}

inline double seconds_between(bench_clock::time_point a, bench_clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// Memory modes (zmq_bench_memory.cpp).
void run_idle(const std::string& transport, std::size_t size, long nsubs);
void run_fresh(const std::string& transport, long nsubs);
void run_queue(const std::string& transport, std::size_t size, long count);

} // namespace zmq_bench
