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

using clock_type = std::chrono::steady_clock;

struct timer {
    std::chrono::milliseconds interval;
    zmq_timer_fn *handler;
    void *arg;
    clock_type::time_point due;
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

std::chrono::milliseconds to_ms(size_t interval) noexcept {
    return std::chrono::milliseconds(static_cast<std::int64_t>(interval));
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
        t->timers[id] = timer{to_ms(interval), handler, arg, clock_type::now() + to_ms(interval)};
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
    it->second.due = clock_type::now() + it->second.interval;
    return 0;
}

int zmq_timers_reset(void *timers, int timer_id) {
    timer_set *t = as_timers(timers);
    if (!t)
        return fail(std::errc::bad_address);
    auto it = t->timers.find(timer_id);
    if (it == t->timers.end())
        return fail(std::errc::invalid_argument);
    it->second.due = clock_type::now() + it->second.interval;
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
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(next - clock_type::now());
    return std::max<long>(0, static_cast<long>(left.count()));
}

int zmq_timers_execute(void *timers) {
    timer_set *t = as_timers(timers);
    if (!t)
        return fail(std::errc::bad_address);
    const auto now = clock_type::now();
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
