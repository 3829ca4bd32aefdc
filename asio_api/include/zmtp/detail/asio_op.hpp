// asio_op: a waiting async_send / async_recv of zmtp::asio_socket, type-erased so the state
// (compiled once) can park and complete it. Owns the handler and the outstanding work of both
// executors, and the cancellation hook it installs in the handler's cancellation slot.
#pragma once

#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/cancellation_type.hpp>
#include <asio/dispatch.hpp>
#include <asio/execution/outstanding_work.hpp>
#include <asio/experimental/append.hpp>
#include <asio/post.hpp>
#include <asio/prefer.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <system_error>
#include <utility>

namespace zmtp::detail {

/// Which of a socket's two operation slots.
enum class asio_dir : int { send = 0, recv = 1 };

class asio_op {
public:
    virtual ~asio_op() = default;
    /// Invokes the handler with (ec, n) through its associated executor; call from the I/O
    /// executor (dispatch: inline when that is the handler's executor too). Deletes the op
    /// before the upcall, as Asio requires.
    virtual void complete(std::error_code ec, std::size_t n) = 0;
    /// Completes later: posts complete() to the I/O executor (close, cancel, destruction).
    virtual void post_complete(std::error_code ec, std::size_t n) = 0;

    std::uint64_t serial = 0; ///< tells a stale cancellation from the current op
};

/// Deleter for unique_ptr<asio_op> (ops delete themselves in complete()).
struct asio_op_deleter {
    void operator()(asio_op* op) const noexcept { delete op; }
};
using asio_op_ptr = std::unique_ptr<asio_op, asio_op_deleter>;

/// What the cancellation slot holds: forwards a signal to the state (weakly: the socket may
/// be gone), naming the op by serial so a late signal cannot cancel a later op.
template <typename State> struct asio_cancel_hook {
    std::weak_ptr<State> state;
    asio_dir dir;
    std::uint64_t serial;
    void operator()(asio::cancellation_type type) const {
        if (type == asio::cancellation_type::none)
            return;
        // Nothing is half done while an op waits (frames of a message arrive and leave
        // together), so every kind of cancellation (terminal, partial, total) is honoured.
        if (auto s = state.lock())
            s->cancel_op(dir, serial);
    }
};

template <typename Executor>
using asio_tracked_t = std::decay_t<decltype(asio::prefer(
    std::declval<const Executor&>(), asio::execution::outstanding_work.tracked))>;

template <typename Handler, typename IoExecutor> class asio_op_impl final : public asio_op {
public:
    using handler_executor = asio::associated_executor_t<Handler, IoExecutor>;

    asio_op_impl(Handler&& h, const IoExecutor& io)
        : handler_(std::move(h)),
          io_work_(asio::prefer(io, asio::execution::outstanding_work.tracked)),
          handler_work_(asio::prefer(asio::get_associated_executor(handler_, io),
                                     asio::execution::outstanding_work.tracked)) {}

    /// Connects the handler's cancellation slot (if it has one) to the state.
    template <typename State>
    void install_cancellation(const std::shared_ptr<State>& state, asio_dir dir) {
        auto slot = asio::get_associated_cancellation_slot(handler_);
        if (slot.is_connected())
            slot.template emplace<asio_cancel_hook<State>>(
                asio_cancel_hook<State>{state, dir, serial});
    }

    void complete(std::error_code ec, std::size_t n) override {
        auto slot = asio::get_associated_cancellation_slot(handler_);
        if (slot.is_connected())
            slot.clear();
        auto io = std::move(io_work_);
        auto work = std::move(handler_work_); // released after the dispatch below
        auto handler = asio::experimental::append(std::move(handler_), ec, n);
        delete this;
        // On the handler's associated executor (io by default): inline if we are on it.
        asio::dispatch(io, std::move(handler));
    }

    void post_complete(std::error_code ec, std::size_t n) override {
        auto io = io_work_;
        // The op travels in the posted function; if the executor's context is destroyed
        // first, the op (and its handler) is destroyed with it, as Asio's own ops are.
        asio::post(io,
                   [op = asio_op_ptr(this), ec, n]() mutable { op.release()->complete(ec, n); });
    }

private:
    Handler handler_;
    asio_tracked_t<IoExecutor> io_work_;
    asio_tracked_t<handler_executor> handler_work_;
};

} // namespace zmtp::detail
