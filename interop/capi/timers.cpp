// zmq_timers_*: a set of repeating timers driven by the caller (timeout tells how long to wait,
// execute runs the handlers that are due). Not thread-safe, like libzmq's.
#include "interop/capi/errors.hpp"

#include <zmq.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <new>
#include <vector>

using namespace zmtp::capi;

namespace {

// Whole milliseconds of the steady clock, for both timeout and execute: if timeout says 0,
// the timer is due by the same clock execute reads next (a finer clock truncated only in
// timeout would answer 0 up to a millisecond before execute agrees).
using ms_time = std::int64_t;

ms_time now_ms() noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct timer {
    ms_time interval;
    zmq_timer_fn *handler;
    void *arg;
    ms_time due;
};

constexpr std::uint32_t timers_tag = 0x7a6d746d; // "zmtm"

struct timer_set {
    std::uint32_t tag = timers_tag;
    int last_id = 0;
    std::map<int, timer> timers;
};

timer_set *as_timers(void *p) noexcept {
    auto *t = static_cast<timer_set *>(p);
    return t && t->tag == timers_tag ? t : nullptr;
}

ms_time to_ms(size_t interval) noexcept {
    return static_cast<ms_time>(interval);
}

} // namespace

extern "C" {

void *zmq_timers_new(void) {
    auto *t = new (std::nothrow) timer_set;
    return t ? t : fail_null(std::errc::not_enough_memory);
}

int zmq_timers_destroy(void **timers_p) {
    timer_set *t = timers_p ? as_timers(*timers_p) : nullptr;
    if (!t)
        return fail(std::errc::bad_address);
    t->tag = 0;
    delete t;
    *timers_p = nullptr;
    return 0;
}

int zmq_timers_add(void *timers, size_t interval, zmq_timer_fn handler, void *arg) {
    timer_set *t = as_timers(timers);
    if (!t || !handler)
        return fail(std::errc::bad_address);
    try {
        const int id = ++t->last_id;
        t->timers[id] = timer{to_ms(interval), handler, arg, now_ms() + to_ms(interval)};
        return id;
    } catch (const std::bad_alloc &) {
        return fail(std::errc::not_enough_memory);
    }
}

int zmq_timers_cancel(void *timers, int timer_id) {
    timer_set *t = as_timers(timers);
    if (!t)
        return fail(std::errc::bad_address);
    return t->timers.erase(timer_id) ? 0 : fail(std::errc::invalid_argument);
}

int zmq_timers_set_interval(void *timers, int timer_id, size_t interval) {
    timer_set *t = as_timers(timers);
    if (!t)
        return fail(std::errc::bad_address);
    auto it = t->timers.find(timer_id);
    if (it == t->timers.end())
        return fail(std::errc::invalid_argument);
    it->second.interval = to_ms(interval);
    it->second.due = now_ms() + it->second.interval;
    return 0;
}

int zmq_timers_reset(void *timers, int timer_id) {
    timer_set *t = as_timers(timers);
    if (!t)
        return fail(std::errc::bad_address);
    auto it = t->timers.find(timer_id);
    if (it == t->timers.end())
        return fail(std::errc::invalid_argument);
    it->second.due = now_ms() + it->second.interval;
    return 0;
}

long zmq_timers_timeout(void *timers) {
    timer_set *t = as_timers(timers);
    if (!t)
        return fail(std::errc::bad_address);
    if (t->timers.empty())
        return -1;
    auto next = std::min_element(t->timers.begin(), t->timers.end(), [](auto &a, auto &b) {
                    return a.second.due < b.second.due;
                })->second.due;
    return static_cast<long>(std::max<ms_time>(0, next - now_ms()));
}

int zmq_timers_execute(void *timers) {
    timer_set *t = as_timers(timers);
    if (!t)
        return fail(std::errc::bad_address);
    const auto now = now_ms();
    std::vector<int> due;
    for (const auto &[id, tm] : t->timers)
        if (tm.due <= now)
            due.push_back(id);
    for (int id : due) {
        // A handler may cancel timers, including ones that are due in this round.
        auto it = t->timers.find(id);
        if (it == t->timers.end())
            continue;
        it->second.due = now + it->second.interval;
        it->second.handler(id, it->second.arg);
    }
    return 0;
}

} // extern "C"
