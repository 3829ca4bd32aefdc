// asio_socket_state: the shared state behind zmtp::asio_socket — the zmtp socket, the executor,
// one parked operation per direction and the data it moves. Compiled once (asio_api/); the
// templates of asio_socket.hpp only wrap handlers. All socket calls happen under its mutex.
#pragma once

#include "zmtp/detail/asio_op.hpp"
#include "zmtp/message.hpp"
#include "zmtp/socket.hpp"

#include <asio/any_io_executor.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <system_error>
#include <vector>

namespace zmtp::detail {

class asio_socket_state : public std::enable_shared_from_this<asio_socket_state> {
public:
    /// Makes the zmtp socket (throws std::system_error); call start() next.
    asio_socket_state(asio::any_io_executor ex, context& ctx, socket_type type);
    ~asio_socket_state();
    asio_socket_state(const asio_socket_state&) = delete;
    asio_socket_state& operator=(const asio_socket_state&) = delete;

    /// Installs the socket's readiness callback (needs shared_from_this, so not in the ctor).
    void start();

    const asio::any_io_executor& executor() const noexcept { return ex_; }
    /// Every call below except cancel_op/cancel/close needs this lock held.
    std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mutex_); }
    zmtp::socket& socket() noexcept { return socket_; }

    /// Sets up an operation and attempts it at once. True: it finished (`ec`, `n` set: done,
    /// failed, or refused because one of that kind is already pending or the socket is closed).
    /// False: it must wait; park() the op before releasing the lock.
    bool begin_send(message&& frame, int flags, std::error_code& ec, std::size_t& n);
    bool begin_send_multipart(std::vector<message>&& frames, std::error_code& ec, std::size_t& n);
    bool begin_recv(message* frame, std::vector<message>* frames, std::error_code& ec,
                    std::size_t& n);
    /// Parks the op that begin_*() said must wait; it completes on a later wake.
    void park(asio_dir d, asio_op_ptr op) { ops_[index(d)] = std::move(op); }
    std::uint64_t next_serial() noexcept { return ++serial_; }

    /// Completes the parked op of `d` with operation_aborted if its serial matches (the
    /// cancellation slot's hook). Takes the lock.
    void cancel_op(asio_dir d, std::uint64_t serial);
    /// Completes both parked ops with operation_aborted. Takes the lock.
    void cancel();
    /// cancel(), then closes the zmtp socket. Takes the lock. Idempotent.
    void close();
    /// The executor's context shuts down: parked ops are destroyed without being called (as
    /// Asio destroys its own pending operations), nothing is posted any more, and later
    /// operations fail with operation_aborted. The socket stays open until close().
    void abandon();

private:
    struct send_data {
        message frame;
        std::vector<message> frames;
        std::size_t next = 0; ///< multipart: frames already sent
        int flags = 0;
        bool multipart = false;
    };
    struct recv_data {
        message* frame = nullptr;
        std::vector<message>* frames = nullptr;
    };
    struct finished {
        asio_op_ptr op;
        std::error_code ec;
        std::size_t n;
    };

    static int index(asio_dir d) noexcept { return static_cast<int>(d); }
    /// The refusal for a new op of `d`, if any (closed, one already pending).
    bool refuse(asio_dir d, std::error_code& ec, std::size_t& n) const;
    /// One non-blocking attempt at the pending send / recv (would_block: must wait).
    std::error_code attempt_send(std::size_t& n);
    std::error_code attempt_recv(std::size_t& n);
    std::error_code attempt(asio_dir d, std::size_t& n) {
        return d == asio_dir::send ? attempt_send(n) : attempt_recv(n);
    }
    /// After a would-block: arms the readiness callback and attempts again until either the
    /// attempt finishes or nothing woke the socket in between (then waiting is safe).
    bool finish_or_arm(asio_dir d, std::error_code& ec, std::size_t& n);
    /// Attempts every parked op; moves those that finished to `out`. True if some still wait.
    bool poll_parked(std::vector<finished>& out);
    /// The readiness callback's work: posted to the executor on a wake while armed.
    void on_ready();
    /// Takes the parked ops (under the lock) for completion with operation_aborted.
    void take_all(std::vector<finished>& out);

    asio::any_io_executor ex_;
    zmtp::socket socket_;
    std::mutex mutex_;
    bool closed_ = false;
    bool abandoned_ = false; ///< the executor's context shut down
    asio_op_ptr ops_[2];
    send_data send_;
    recv_data recv_;
    std::uint64_t serial_ = 0;
};

} // namespace zmtp::detail
