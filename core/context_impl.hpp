// context_impl: the shared state of a context — its sockets, its I/O pool (started lazily),
// its transports, and the count of live I/O objects that termination waits for.
#pragma once

#include "core/io_pool.hpp"
#include "core/signaler.hpp"
#include "core/transport.hpp"
#include "zmtp/context.hpp"

#include <sys/types.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <system_error>

namespace zmtp::detail {

class socket_base;

/// RAII share of a context's "live I/O objects" count; termination waits until it is zero.
class io_token {
public:
    io_token() = default;
    explicit io_token(context_impl* ctx);
    io_token(io_token&& o) noexcept : ctx_(o.ctx_) { o.ctx_ = nullptr; }
    io_token& operator=(io_token&&) = delete;
    ~io_token();

private:
    context_impl* ctx_ = nullptr;
};

class context_impl : public std::enable_shared_from_this<context_impl> {
public:
    context_impl();
    ~context_impl();

    std::error_code add_socket(socket_base* s);
    void remove_socket(socket_base* s) noexcept;
    /// True in a child process made by fork() after this context was created.
    bool forked() const noexcept;
    bool is_shut_down() const noexcept { return shut_down_.load(std::memory_order_acquire); }
    void shutdown() noexcept;
    /// shutdown(), then waits for sockets and lingering I/O; waits through signals.
    void terminate() noexcept;
    /// As terminate(), but a signal handler running on this thread ends the wait with
    /// std::errc::interrupted (libzmq's EINTR); calling again resumes it.
    std::error_code terminate_interruptible() noexcept;

    /// An I/O context for a new engine/listener; errc::no_io_thread with zero threads.
    std::error_code io_context(asio::io_context*& out);
    /// The same, restricted to the I/O threads a socket's ZMQ_AFFINITY names (EMTHREAD if
    /// none of them exists).
    std::error_code io_context(asio::io_context*& out, std::uint64_t affinity);
    transport* find_transport(std::string_view scheme) noexcept;
    void add_transport(std::unique_ptr<transport> t);

    int io_threads() const noexcept { return io_threads_; }
    std::error_code set_io_threads(int n) noexcept;
    int max_sockets() const noexcept { return max_sockets_; }
    std::error_code set_max_sockets(int n) noexcept;
    io_thread_settings io_thread_options() const;
    void set_io_thread_options(io_thread_settings settings);

    /// Per-context registries that transports keep (inproc names), by key.
    std::mutex& registry_mutex() noexcept { return registry_mutex_; }
    std::shared_ptr<void>& registry(const std::string& key) { return registries_[key]; }

private:
    friend class io_token;
    void token_acquired() noexcept;
    void token_released() noexcept;
    std::error_code wait_terminated(bool interruptible) noexcept;
    void abandon_after_fork() noexcept;

    const pid_t pid_; ///< the creating process: a fork is detected by getpid(), as libzmq does
    mutable std::mutex mutex_;
    signaler changed_; ///< woken when a socket or a live I/O object goes away
    std::set<socket_base*> sockets_;
    int live_io_objects_ = 0;
    std::atomic<bool> shut_down_{false};
    bool terminated_ = false;
    int io_threads_ = 1;
    int max_sockets_ = 1023;
    io_thread_settings thread_settings_; // guarded; read when the pool starts
    std::unique_ptr<io_pool> pool_;
    std::map<std::string, std::unique_ptr<transport>, std::less<>> transports_;
    std::mutex registry_mutex_;
    std::map<std::string, std::shared_ptr<void>> registries_;
};

} // namespace zmtp::detail
