// Small utilities of the libzmq API: zmq_has, atomic counters, stopwatch, zmq_sleep and the
// zmq_threadstart/zmq_threadclose helpers.
#include "interop/capi/errors.hpp"

#include <zmq.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <new>
#include <thread>

using namespace zmtp::capi;

extern "C" {

int zmq_has(const char *capability_) {
    // Transports zmtp has: inproc, ipc, tcp. No pgm/tipc/norm/vmci/ws, no security mechanisms
    // beyond NULL (curve, gssapi), no draft API.
    if (!capability_)
        return 0;
    return std::strcmp(capability_, "ipc") == 0 ? 1 : 0;
}

void *zmq_atomic_counter_new(void) {
    auto *c = new (std::nothrow) std::atomic<int>(0);
    return c ? c : fail_null(std::errc::not_enough_memory);
}

void zmq_atomic_counter_set(void *counter_, int value_) {
    static_cast<std::atomic<int> *>(counter_)->store(value_);
}

int zmq_atomic_counter_inc(void *counter_) {
    return static_cast<std::atomic<int> *>(counter_)->fetch_add(1); // the value before
}

int zmq_atomic_counter_dec(void *counter_) {
    return static_cast<std::atomic<int> *>(counter_)->fetch_sub(1) - 1 > 0 ? 1 : 0;
}

int zmq_atomic_counter_value(void *counter_) {
    return static_cast<std::atomic<int> *>(counter_)->load();
}

void zmq_atomic_counter_destroy(void **counter_p_) {
    if (!counter_p_)
        return;
    delete static_cast<std::atomic<int> *>(*counter_p_);
    *counter_p_ = nullptr;
}

void *zmq_stopwatch_start(void) {
    using clock = std::chrono::steady_clock;
    auto *start = new (std::nothrow) clock::time_point(clock::now());
    return start ? start : fail_null(std::errc::not_enough_memory);
}

unsigned long zmq_stopwatch_intermediate(void *watch_) {
    using clock = std::chrono::steady_clock;
    const auto elapsed = clock::now() - *static_cast<clock::time_point *>(watch_);
    return static_cast<unsigned long>(
        std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
}

unsigned long zmq_stopwatch_stop(void *watch_) {
    const unsigned long us = zmq_stopwatch_intermediate(watch_);
    delete static_cast<std::chrono::steady_clock::time_point *>(watch_);
    return us;
}

void zmq_sleep(int seconds_) {
    std::this_thread::sleep_for(std::chrono::seconds(seconds_));
}

void *zmq_threadstart(zmq_thread_fn *func_, void *arg_) {
    try {
        return new std::thread(func_, arg_);
    } catch (...) { // std::bad_alloc or std::system_error
        return fail_null(std::errc::resource_unavailable_try_again);
    }
}

void zmq_threadclose(void *thread_) {
    auto *t = static_cast<std::thread *>(thread_);
    if (!t)
        return;
    if (t->joinable())
        t->join();
    delete t;
}

} // extern "C"
