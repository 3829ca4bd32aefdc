// asio_bench: zmtp::asio_socket next to zmtp's blocking API, libzmq driven by Asio through
// ZMQ_FD, and libzmq's blocking calls, PAIR over one transport, measured in the same run.
// Each function runs one measurement: throughput in messages/s (receiver side, first message
// to last) or the mean round trip in microseconds.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace asio_bench {

using bench_clock = std::chrono::steady_clock;

/// Exits at once (other threads may be inside a library).
[[noreturn]] inline void die(const std::string& what) {
    std::fprintf(stderr, "bench_asio: %s\n", what.c_str());
    std::fflush(stderr);
    std::_Exit(3);
}

/// A bind address for `transport`, unique per run and tag.
inline std::string bind_address(const std::string& transport, const std::string& tag) {
    if (transport == "tcp")
        return "tcp://127.0.0.1:*";
    if (transport == "ipc")
        return "ipc:///tmp/bench_asio_" + std::to_string(getpid()) + "_" + tag + ".ipc";
    return "inproc://bench_asio_" + tag;
}

inline double seconds(bench_clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

/// Round trips done before timing starts.
constexpr int warmup_round_trips = 100;

double zmtp_async_thr(const std::string& transport, std::size_t size, int count);
double zmtp_async_lat(const std::string& transport, std::size_t size, int count);
double zmtp_blocking_thr(const std::string& transport, std::size_t size, int count);
double zmtp_blocking_lat(const std::string& transport, std::size_t size, int count);
double libzmq_asio_thr(const std::string& transport, std::size_t size, int count);
double libzmq_asio_lat(const std::string& transport, std::size_t size, int count);
double libzmq_blocking_thr(const std::string& transport, std::size_t size, int count);
double libzmq_blocking_lat(const std::string& transport, std::size_t size, int count);

} // namespace asio_bench
