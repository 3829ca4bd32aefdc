// Test helpers: wait on a condition with a deadline instead of sleeping a fixed time.
#pragma once

#include <chrono>
#include <thread>

namespace zmtp::test {

/// Polls `cond` every millisecond until it is true or `timeout` passes; returns its last value.
template <typename Cond>
bool wait_until(Cond cond, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!cond()) {
        if (std::chrono::steady_clock::now() >= deadline)
            return cond();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

} // namespace zmtp::test
