// fault_injection: a test hook that makes the N-th allocation point reached in an I/O
// handler throw std::bad_alloc, so the paths that survive allocation failure are exercised.
// Always compiled in, inert (one relaxed atomic load per point) unless a test arms it.
#pragma once

#include <atomic>

namespace zmtp::detail::fault_injection {

/// Arms the hook: the `n`-th point reached from now on (1 = the next) throws, once. 0 disarms.
void fail_nth_allocation(int n) noexcept;
/// How many injected failures have been thrown so far.
int injected() noexcept;

namespace internal {
extern std::atomic<int> countdown;
[[noreturn]] void fire();
} // namespace internal

/// Marks a place in an I/O handler where memory is allocated.
inline void allocation_point() {
    if (internal::countdown.load(std::memory_order_relaxed) > 0 &&
        internal::countdown.fetch_sub(1, std::memory_order_acq_rel) == 1)
        internal::fire();
}

} // namespace zmtp::detail::fault_injection
