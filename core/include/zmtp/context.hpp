// zmtp::context: owns the I/O threads and every socket made from it. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <system_error>
#include <vector>

namespace zmtp {

namespace detail {
class context_impl;
}

/// How the I/O threads are set up when they start (libzmq's ZMQ_THREAD_* context options).
/// Applied by each I/O thread to itself; if that fails (e.g. a real-time policy without the
/// privilege) the bind or connect that started the threads fails with the system's error.
struct io_thread_settings {
    int sched_policy = -1; ///< SCHED_OTHER, SCHED_FIFO, ...; -1 keeps the inherited policy
    /// -1 keeps the default. With SCHED_FIFO / SCHED_RR, the static priority; with the other
    /// policies (which have none) the threads run at nice -20, as libzmq does on Linux.
    int priority = -1;
    std::optional<int> name_prefix; ///< thread names "<prefix>/ZMQbg/IO/<n>", else "ZMQbg/IO/<n>"
    std::vector<int> cpus;          ///< CPU affinity; empty = inherited
};

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
    /// Signals do not end the wait (the destructor relies on it).
    void terminate() noexcept;
    /// As terminate(), but a signal handler (installed without SA_RESTART) running on the
    /// waiting thread ends the wait with std::errc::interrupted, as libzmq's zmq_ctx_term
    /// answers EINTR; the context stays shut down and calling again finishes terminating.
    void terminate(std::error_code& ec) noexcept;

    /// Number of I/O threads; changeable only before the first socket binds or connects.
    int io_threads() const noexcept;
    std::error_code set_io_threads(int n) noexcept;
    /// Maximum number of sockets (libzmq ZMQ_MAX_SOCKETS, default 1023).
    int max_sockets() const noexcept;
    std::error_code set_max_sockets(int n) noexcept;
    /// Scheduling, affinity and names of the I/O threads; read when they start, like the
    /// number of threads.
    io_thread_settings io_thread_options() const;
    void set_io_thread_options(io_thread_settings settings);

    /// Internal: the implementation shared with sockets and transports.
    const std::shared_ptr<detail::context_impl>& impl() const noexcept { return impl_; }

private:
    std::shared_ptr<detail::context_impl> impl_;
};

} // namespace zmtp
