// io_pool: thread start-up and shutdown.
#include "core/io_pool.hpp"

namespace zmtp::detail {

io_pool::io_pool(int threads) {
    for (int i = 0; i < threads; ++i) {
        contexts_.push_back(std::make_unique<asio::io_context>(1));
        guards_.emplace_back(contexts_.back()->get_executor());
    }
    for (auto& ctx : contexts_) {
        asio::io_context* c = ctx.get();
        threads_.emplace_back([c] {
            // Handlers catch their own failures (dropping one connection); anything that
            // still escapes must not end the process or leave the other connections of this
            // thread unserved: run again (asio allows it after a handler threw).
            for (;;) {
                try {
                    c->run();
                    return; // stopped
                } catch (...) {
                }
            }
        });
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
