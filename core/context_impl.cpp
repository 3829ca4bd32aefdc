// context_impl: socket registry, lazy I/O pool, termination that waits for sockets and
// lingering I/O objects (C-LIFE-2).
#include "core/context_impl.hpp"

#include "core/socket_base.hpp"
#include "zmtp/error.hpp"

namespace zmtp::detail {

io_token::io_token(context_impl* ctx) : ctx_(ctx) {
    if (ctx_)
        ctx_->token_acquired();
}

io_token::~io_token() {
    if (ctx_)
        ctx_->token_released();
}

context_impl::context_impl() { register_builtin_transports(*this); }

context_impl::~context_impl() {
    terminate();
    pool_.reset();
}

std::error_code context_impl::add_socket(socket_base* s) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_.load())
        return zmtp::make_error_code(zmtp::errc::terminated);
    if (static_cast<int>(sockets_.size()) >= max_sockets_)
        return std::make_error_code(std::errc::too_many_files_open);
    sockets_.insert(s);
    return {};
}

void context_impl::remove_socket(socket_base* s) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    sockets_.erase(s);
    cv_.notify_all();
}

void context_impl::shutdown() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    shut_down_.store(true, std::memory_order_release);
    for (auto* s : sockets_)
        s->wake();
}

void context_impl::terminate() noexcept {
    shutdown();
    std::unique_ptr<io_pool> pool;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [&] { return sockets_.empty() && live_io_objects_ == 0; });
        if (terminated_)
            return;
        terminated_ = true;
        pool = std::move(pool_);
    }
    if (pool)
        pool->stop();
    {
        // Transport registries hold what no socket owns any more (inproc connects still
        // waiting for a binder, kept for LINGER): released here, not with the last handle.
        std::lock_guard<std::mutex> lock(registry_mutex_);
        registries_.clear();
    }
    // Handlers still queued (holding engines) are destroyed with the pool, outside the lock.
}

std::error_code context_impl::io_context(asio::io_context*& out) { return io_context(out, 0); }

std::error_code context_impl::io_context(asio::io_context*& out, std::uint64_t affinity) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_.load())
        return zmtp::make_error_code(zmtp::errc::terminated);
    if (io_threads_ <= 0)
        return zmtp::make_error_code(zmtp::errc::no_io_thread);
    if (!pool_)
        pool_ = std::make_unique<io_pool>(io_threads_);
    out = pool_->next(affinity);
    if (!out)
        return zmtp::make_error_code(zmtp::errc::no_io_thread);
    return {};
}

transport* context_impl::find_transport(std::string_view scheme) noexcept {
    auto it = transports_.find(scheme);
    return it == transports_.end() ? nullptr : it->second.get();
}

void context_impl::add_transport(std::unique_ptr<transport> t) {
    std::string name(t->scheme());
    transports_[name] = std::move(t);
}

std::error_code context_impl::set_io_threads(int n) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (n < 0)
        return std::make_error_code(std::errc::invalid_argument);
    io_threads_ = n; // takes effect when the pool starts (first tcp/ipc use), as in libzmq
    return {};
}

std::error_code context_impl::set_max_sockets(int n) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (n < 1)
        return std::make_error_code(std::errc::invalid_argument);
    max_sockets_ = n;
    return {};
}

void context_impl::token_acquired() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    ++live_io_objects_;
}

void context_impl::token_released() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (--live_io_objects_ == 0)
        cv_.notify_all();
}

} // namespace zmtp::detail
