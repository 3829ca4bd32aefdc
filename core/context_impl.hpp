// context_impl: the shared state of a context — its sockets, its I/O pool (started lazily),
// its transports, and the count of live I/O objects that termination waits for.
#pragma once

#include "core/io_pool.hpp"
#include "core/transport.hpp"

#include <atomic>
#include <condition_variable>
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
    bool is_shut_down() const noexcept { return shut_down_.load(std::memory_order_acquire); }
    void shutdown() noexcept;
    void terminate() noexcept;

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

    /// Per-context registries that transports keep (inproc names), by key.
    std::mutex& registry_mutex() noexcept { return registry_mutex_; }
    std::shared_ptr<void>& registry(const std::string& key) { return registries_[key]; }

private:
    friend class io_token;
    void token_acquired() noexcept;
    void token_released() noexcept;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::set<socket_base*> sockets_;
    int live_io_objects_ = 0;
    std::atomic<bool> shut_down_{false};
    bool terminated_ = false;
    int io_threads_ = 1;
    int max_sockets_ = 1023;
    std::unique_ptr<io_pool> pool_;
    std::map<std::string, std::unique_ptr<transport>, std::less<>> transports_;
    std::mutex registry_mutex_;
    std::map<std::string, std::shared_ptr<void>> registries_;
};

} // namespace zmtp::detail
