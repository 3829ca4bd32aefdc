// context_impl: socket registry, lazy I/O pool, termination that waits for sockets and
// lingering I/O objects (C-LIFE-2).
#include "core/context_impl.hpp"

#include "core/socket_base.hpp"
#include "zmtp/error.hpp"

#include <unistd.h>

#include <vector>

namespace zmtp::detail {

io_token::io_token(context_impl* ctx) : ctx_(ctx) {
    if (ctx_)
        ctx_->token_acquired();
}

io_token::~io_token() {
    if (ctx_)
        ctx_->token_released();
}

context_impl::context_impl() : pid_(::getpid()) { register_builtin_transports(*this); }

context_impl::~context_impl() {
    terminate();
    pool_.reset(); // null after a fork: abandon_after_fork kept it
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
    changed_.wake();
}

void context_impl::shutdown() noexcept {
    if (forked()) {
        // A forked child: the lock may have been held by a parent's I/O thread at the fork,
        // and a wake would signal ZMQ_FD eventfds shared with the parent's sockets.
        shut_down_.store(true, std::memory_order_release);
        return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    shut_down_.store(true, std::memory_order_release);
    for (auto* s : sockets_)
        s->wake();
}

void context_impl::terminate() noexcept { wait_terminated(false); }

std::error_code context_impl::terminate_interruptible() noexcept { return wait_terminated(true); }

bool context_impl::forked() const noexcept { return ::getpid() != pid_; }

void context_impl::abandon_after_fork() noexcept {
    // In a forked child the I/O threads do not exist: nothing would ever drain a lingering
    // pipe or release an I/O object, so waiting would hang. The pool cannot be destroyed
    // either: joining threads that are not there hangs (Asio's resolver thread included),
    // and tearing engines down could shut down sockets the parent still uses. So it is left
    // alone (kept reachable, never freed); its descriptors are the parent's connections and
    // close with the child. Sockets posting to it later only queue work nobody runs.
    // No lock: a parent's I/O thread may have held it at the fork, and no thread of the child
    // other than the caller can be using a context it did not create.
    static auto* abandoned = new std::vector<std::unique_ptr<io_pool>>;
    terminated_ = true;
    if (pool_) {
        try {
            abandoned->push_back(std::move(pool_));
        } catch (...) {
            (void)pool_.release(); // out of memory: leak it unreachable rather than destroy it
        }
    }
}

std::error_code context_impl::wait_terminated(bool interruptible) noexcept {
    shutdown();
    if (forked()) {
        abandon_after_fork();
        return {};
    }
    std::unique_ptr<io_pool> pool;
    for (;;) {
        // A futex wait rather than a condition variable: it returns on a signal, so a
        // blocked zmq_ctx_term can answer EINTR as libzmq's does.
        const auto seen = changed_.generation();
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (sockets_.empty() && live_io_objects_ == 0) {
                if (terminated_)
                    return {};
                terminated_ = true;
                pool = std::move(pool_);
                break;
            }
        }
        const auto r = changed_.wait_for_change(seen, true, {});
        if (r == signaler::wait_result::interrupted && interruptible)
            return std::make_error_code(std::errc::interrupted);
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
    return {};
}

std::error_code context_impl::io_context(asio::io_context*& out) { return io_context(out, 0); }

std::error_code context_impl::io_context(asio::io_context*& out, std::uint64_t affinity) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_.load())
        return zmtp::make_error_code(zmtp::errc::terminated);
    if (io_threads_ <= 0)
        return zmtp::make_error_code(zmtp::errc::no_io_thread);
    if (!pool_) {
        try {
            pool_ = std::make_unique<io_pool>(io_threads_, thread_settings_);
        } catch (const std::system_error& e) {
            return e.code(); // e.g. EPERM: a real-time policy without the privilege
        } catch (const std::bad_alloc&) {
            return std::make_error_code(std::errc::not_enough_memory);
        }
    }
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

io_thread_settings context_impl::io_thread_options() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return thread_settings_;
}

void context_impl::set_io_thread_options(io_thread_settings settings) {
    std::lock_guard<std::mutex> lock(mutex_);
    thread_settings_ = std::move(settings); // as libzmq: no effect once the threads run
}

void context_impl::token_acquired() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    ++live_io_objects_;
}

void context_impl::token_released() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (--live_io_objects_ == 0)
        changed_.wake();
}

} // namespace zmtp::detail
