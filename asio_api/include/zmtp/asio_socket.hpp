// zmtp::asio_socket: a zmtp socket driven by Asio. async_send / async_recv (and multipart
// variants) take any completion token (callbacks, use_future, use_awaitable, deferred,
// parallel_group / awaitable operators) and complete on the socket's executor. Opt-in layer
// above core (library zmtp_asio_api): this header includes Asio, standalone (ASIO_STANDALONE).
//
// Rules (as for Asio's own sockets):
//  - Handlers run through their associated executor (default: the socket's), never inline in
//    the initiating call, never on a zmtp I/O thread. An operation that can finish at once
//    does so without a system call; one that must wait is woken by the pipe itself (no
//    polling, no file descriptor).
//  - At most one send and one receive operation pending per socket. Starting a second of the
//    same kind completes it with std::errc::operation_in_progress (the pending one is untouched).
//  - Cancellation: through the handler's cancellation slot (terminal, partial and total are
//    all honoured: nothing is half done while an operation waits), cancel(), or close(); the
//    operation completes with asio::error::operation_aborted. Nothing was sent / received.
//  - Errors: std::error_code; zmtp::errc::terminated (ETERM) once the context shuts down,
//    std::errc::not_a_socket after close(). Never EAGAIN (the operation waits), never EINTR.
//  - A pending operation counts as outstanding work: io_context::run() returns when none is.
//  - The object is thread-safe (an internal mutex), so a multi-threaded io_context, a strand
//    or a thread_pool all work; the message buffers passed to async_recv belong to the
//    operation until it completes.
#pragma once

#include "zmtp/context.hpp"
#include "zmtp/detail/asio_op.hpp"
#include "zmtp/detail/asio_socket_state.hpp"
#include "zmtp/message.hpp"
#include "zmtp/socket.hpp"
#include "zmtp/socket_type.hpp"

#include <asio/any_io_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/execution_context.hpp>
#include <asio/experimental/append.hpp>
#include <asio/post.hpp>

#include <cstddef>
#include <memory>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace zmtp {

class asio_socket {
public:
    using executor_type = asio::any_io_executor;
    /// Completion signature of every operation: bytes (single frame) or frames (multipart).
    using signature = void(std::error_code, std::size_t);

    /// A socket of `type` in `ctx` whose operations complete on `ex` (throws system_error).
    asio_socket(const executor_type& ex, context& ctx, socket_type type)
        : state_(std::make_shared<detail::asio_socket_state>(ex, ctx, type)) {
        state_->start();
    }
    /// The same, on an execution context's executor (e.g. an io_context).
    template <typename ExecutionContext, typename = std::enable_if_t<std::is_convertible_v<
                                             ExecutionContext&, asio::execution_context&>>>
    asio_socket(ExecutionContext& ec, context& ctx, socket_type type)
        : asio_socket(executor_type(ec.get_executor()), ctx, type) {}

    /// Closes (see close()).
    ~asio_socket() {
        if (state_)
            state_->close();
    }
    asio_socket(asio_socket&&) noexcept = default;
    asio_socket& operator=(asio_socket&& o) noexcept {
        if (this != &o) {
            if (state_)
                state_->close();
            state_ = std::move(o.state_);
        }
        return *this;
    }
    asio_socket(const asio_socket&) = delete;
    asio_socket& operator=(const asio_socket&) = delete;

    executor_type get_executor() const noexcept { return state_->executor(); }

    /// Pending operations complete with operation_aborted; then the zmtp socket closes
    /// (queued outbound messages linger as with zmtp::socket::close). Later operations fail
    /// with std::errc::not_a_socket.
    void close() { state_->close(); }
    /// Pending operations complete with operation_aborted; the socket stays usable.
    void cancel() { state_->cancel(); }

    void bind(std::string_view endpoint) {
        locked([&](socket& s) { s.bind(endpoint); });
    }
    void connect(std::string_view endpoint) {
        locked([&](socket& s) { s.connect(endpoint); });
    }
    void unbind(std::string_view endpoint) {
        locked([&](socket& s) { s.unbind(endpoint); });
    }
    void disconnect(std::string_view endpoint) {
        locked([&](socket& s) { s.disconnect(endpoint); });
    }
    /// Typed options, as zmtp::socket::set / get (e.g. opt::subscribe, opt::last_endpoint).
    template <int Id, typename T> void set(option_tag<Id, T> tag, const T& value) {
        locked([&](socket& s) { s.set(tag, value); });
    }
    template <int Id, typename T> T get(option_tag<Id, T> tag) const {
        T out{};
        locked([&](socket& s) { out = s.get(tag); });
        return out;
    }
    /// Calls f(zmtp::socket&) with the socket locked against the operations' retries.
    template <typename F> void locked(F&& f) const {
        auto guard = state_->lock();
        f(state_->socket());
    }

    /// Sends one frame (with send_flags::sndmore, more frames of the message follow in later
    /// sends). Completes with (ec, bytes).
    template <typename Token> auto async_send(message msg, send_flags flags, Token&& token) {
        return asio::async_initiate<Token, signature>(
            [st = state_](auto handler, message m, int f) {
                start(st, detail::asio_dir::send, std::move(handler),
                      [&](std::error_code& ec, std::size_t& n) {
                          return st->begin_send(std::move(m), f, ec, n);
                      });
            },
            token, std::move(msg), static_cast<int>(flags));
    }
    template <typename Token> auto async_send(message msg, Token&& token) {
        return async_send(std::move(msg), send_flags::none, std::forward<Token>(token));
    }
    /// Sends all of `frames` as one message. Completes with (ec, frames sent).
    template <typename Token>
    auto async_send_multipart(std::vector<message> frames, Token&& token) {
        return asio::async_initiate<Token, signature>(
            [st = state_](auto handler, std::vector<message> fs) {
                start(st, detail::asio_dir::send, std::move(handler),
                      [&](std::error_code& ec, std::size_t& n) {
                          return st->begin_send_multipart(std::move(fs), ec, n);
                      });
            },
            token, std::move(frames));
    }
    /// Receives one frame into `msg` (msg.more(): frames of the same message follow).
    /// Completes with (ec, bytes). `msg` must outlive the operation.
    template <typename Token> auto async_recv(message& msg, Token&& token) {
        return asio::async_initiate<Token, signature>(
            [st = state_](auto handler, message* m) {
                start(st, detail::asio_dir::recv, std::move(handler),
                      [&](std::error_code& ec, std::size_t& n) {
                          return st->begin_recv(m, nullptr, ec, n);
                      });
            },
            token, &msg);
    }
    /// Receives a whole message into `frames` (cleared first). Completes with (ec, frames).
    template <typename Token>
    auto async_recv_multipart(std::vector<message>& frames, Token&& token) {
        return asio::async_initiate<Token, signature>(
            [st = state_](auto handler, std::vector<message>* fs) {
                start(st, detail::asio_dir::recv, std::move(handler),
                      [&](std::error_code& ec, std::size_t& n) {
                          return st->begin_recv(nullptr, fs, ec, n);
                      });
            },
            token, &frames);
    }

    /// The underlying zmtp socket (e.g. for monitor()); not for concurrent use with pending
    /// operations on other threads: prefer locked().
    socket& next_layer() noexcept { return state_->socket(); }

private:
    template <typename Handler, typename Begin>
    static void start(const std::shared_ptr<detail::asio_socket_state>& st, detail::asio_dir d,
                      Handler&& handler, Begin&& begin) {
        std::error_code ec;
        std::size_t n = 0;
        auto guard = st->lock();
        if (begin(ec, n)) {
            guard.unlock();
            // Finished at once: complete as if by post, on the handler's executor.
            asio::post(st->executor(), asio::experimental::append(std::move(handler), ec, n));
            return;
        }
        using op_type = detail::asio_op_impl<std::decay_t<Handler>, executor_type>;
        auto* op = new op_type(std::move(handler), st->executor());
        op->serial = st->next_serial();
        op->install_cancellation(st, d);
        st->park(d, detail::asio_op_ptr(op));
    }

    std::shared_ptr<detail::asio_socket_state> state_;
};

} // namespace zmtp
