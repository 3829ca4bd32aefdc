// io_pool: thread start-up and shutdown.
#include "core/io_pool.hpp"

#include "core/io_thread_setup.hpp"

#include <pthread.h>
#include <signal.h>

#include <condition_variable>
#include <mutex>
#include <system_error>

namespace zmtp::detail {

namespace {

/// The I/O threads' setup outcomes (0 or an errno), each reported once. A mutex and a
/// condition variable rather than std::promise: <future> costs a static program ~8 KiB of
/// libstdc++ (README: small static builds), and this is all it needs.
class setup_outcomes {
public:
    explicit setup_outcomes(std::size_t threads) : rc_(threads, 0) {}

    void report(std::size_t thread, int rc) {
        // Notified under the lock: the waiter destroys this object as soon as it has seen the
        // last report, so the notification must be over by then.
        std::lock_guard<std::mutex> lock(mutex_);
        rc_[thread] = rc;
        ++reported_;
        changed_.notify_all();
    }

    /// Waits for every thread; the first failure in thread order, or 0.
    int first_failure() {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return reported_ == rc_.size(); });
        for (int rc : rc_)
            if (rc != 0)
                return rc;
        return 0;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<int> rc_;
    std::size_t reported_ = 0;
};

} // namespace

io_pool::io_pool(int threads, const io_thread_settings& settings) {
    for (int i = 0; i < threads; ++i) {
        contexts_.push_back(std::make_unique<asio::io_context>(1));
        guards_.emplace_back(contexts_.back()->get_executor());
    }
    // Each thread applies its settings to itself (its nice level is per thread) and reports
    // the outcome before it serves anything, so a failure reaches the caller synchronously.
    setup_outcomes setup(contexts_.size());
    // The I/O threads block every signal (they inherit the mask in force when created), so
    // a process-directed signal such as SIGINT reaches an application thread, where it can
    // interrupt a blocked call with EINTR, as with libzmq's background threads.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    try {
        for (std::size_t i = 0; i < contexts_.size(); ++i) {
            asio::io_context* c = contexts_[i].get();
            threads_.emplace_back([c, &setup, &settings, i] {
                const int rc = apply_io_thread_settings(settings, static_cast<int>(i));
                setup.report(i, rc);
                if (rc != 0)
                    return;
                // Handlers catch their own failures (dropping one connection); anything that
                // still escapes must not end the process or leave the other connections of
                // this thread unserved: run again (asio allows it after a handler threw).
                for (;;) {
                    try {
                        c->run();
                        return; // stopped
                    } catch (...) {
                    }
                }
            });
        }
    } catch (...) {
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
        stop();
        throw;
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (const int failure = setup.first_failure()) {
        stop();
        throw std::system_error(failure, std::generic_category(), "I/O thread settings");
    }
}

asio::io_context& io_pool::next() noexcept {
    const auto i = next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size();
    return *contexts_[i];
}

asio::io_context* io_pool::next(std::uint64_t affinity) noexcept {
    if (affinity == 0)
        return &next();
    const std::size_t n = contexts_.size();
    const std::size_t start = next_.fetch_add(1, std::memory_order_relaxed);
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (start + k) % n;
        if (i < 64 && ((affinity >> i) & 1) != 0)
            return contexts_[i].get();
    }
    return nullptr;
}

void io_pool::stop() noexcept {
    guards_.clear();
    for (auto& c : contexts_)
        c->stop();
    for (auto& t : threads_)
        if (t.joinable())
            t.join();
    threads_.clear();
}

} // namespace zmtp::detail
