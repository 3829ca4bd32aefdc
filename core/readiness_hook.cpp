// readiness_hook: the locked part (installing the function, calling it once per arm).
#include "core/readiness_hook.hpp"

namespace zmtp::detail {

void readiness_hook::set(std::function<void()> fn) {
    std::function<void()> old;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        old.swap(fn_);
        fn_ = std::move(fn);
        armed_.store(false);
    }
    // `old` is destroyed outside the lock (its captures may be the last owners of anything).
}

void readiness_hook::fire_armed() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (armed_.exchange(false) && fn_)
        fn_();
}

} // namespace zmtp::detail
