// fault_injection: the countdown behind allocation_point().
#include "core/fault_injection.hpp"

#include <new>

namespace zmtp::detail::fault_injection {

namespace internal {
std::atomic<int> countdown{0};
namespace {
std::atomic<int> fired{0};
} // namespace

void fire() {
    fired.fetch_add(1, std::memory_order_relaxed);
    throw std::bad_alloc();
}
} // namespace internal

void fail_nth_allocation(int n) noexcept {
    internal::countdown.store(n > 0 ? n : 0, std::memory_order_release);
}

int injected() noexcept { return internal::fired.load(std::memory_order_relaxed); }

} // namespace zmtp::detail::fault_injection
