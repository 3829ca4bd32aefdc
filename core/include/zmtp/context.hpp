// zmtp::context: owns the I/O threads and every socket made from it. Thread-safe.
#pragma once

#include <memory>
#include <system_error>

namespace zmtp {

namespace detail {
class context_impl;
}

/// A ZeroMQ context: an I/O thread pool (default 1 thread) plus the sockets created from it.
/// Terminating it wakes every blocked call with errc::terminated and waits until every
/// socket is closed and its queued messages are flushed (or their LINGER expires).
class context {
public:
    /// A context with `io_threads` I/O threads (started lazily, on first tcp/ipc use).
    explicit context(int io_threads = 1);
    /// Terminates: equivalent to terminate().
    ~context();
    context(const context&) = delete;
    context& operator=(const context&) = delete;

    /// The process-wide context, created on first use and never destroyed.
    static context& instance();

    /// Makes blocking calls on every socket return errc::terminated; does not wait.
    void shutdown() noexcept;
    /// shutdown(), then waits until all sockets are closed and lingering messages are gone.
    void terminate() noexcept;

    /// Number of I/O threads; changeable only before the first socket binds or connects.
    int io_threads() const noexcept;
    std::error_code set_io_threads(int n) noexcept;
    /// Maximum number of sockets (libzmq ZMQ_MAX_SOCKETS, default 1023).
    int max_sockets() const noexcept;
    std::error_code set_max_sockets(int n) noexcept;

    /// Internal: the implementation shared with sockets and transports.
    const std::shared_ptr<detail::context_impl>& impl() const noexcept { return impl_; }

private:
    std::shared_ptr<detail::context_impl> impl_;
};

} // namespace zmtp
