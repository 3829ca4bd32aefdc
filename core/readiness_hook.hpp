// readiness_hook: a one-shot callback a socket fires on its next wake, for layers that wait
// without a thread (the Asio API). Disarmed (the usual case) it costs a wake one atomic load.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>

namespace zmtp::detail {

class readiness_hook {
public:
    /// Installs `fn` (empty: removes it). When set() returns, no call of the previous function
    /// is running or will start. Not called from inside `fn`.
    void set(std::function<void()> fn);
    /// The next fire() calls the function once. seq_cst: paired with the signaler's generation
    /// (arm, read the generation, attempt, compare) no wake between arm and wait is lost.
    void arm() noexcept { armed_.store(true); }
    /// From wake() on any thread, possibly with a pipe lock held: the function must be cheap
    /// and must not call back into the socket (the Asio layer only posts).
    void fire() noexcept {
        if (armed_.load())
            fire_armed();
    }

private:
    void fire_armed() noexcept;

    std::atomic<bool> armed_{false};
    std::mutex mutex_;
    std::function<void()> fn_; // guarded
};

} // namespace zmtp::detail
