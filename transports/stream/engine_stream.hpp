// engine_stream: the byte stream a stream_engine runs over. In production it is the connected
// tcp/ipc socket and every call goes straight to it (one well-predicted branch per operation).
// Unit tests give it a stream_backend instead (tests/support/test_stream.hpp: an in-memory
// stream whose peer side and faults the test scripts), so every engine path can be driven
// without a kernel socket. It keeps Asio's AsyncReadStream/AsyncWriteStream signatures, so the
// engine's `socket_.async_read_some(...)`, `asio::async_read(socket_, ...)` and
// `asio::async_write(socket_, ...)` read the same for both.
#pragma once

#include <asio/buffer.hpp>
#include <asio/generic/stream_protocol.hpp>
#include <asio/post.hpp>
#include <asio/socket_base.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace zmtp::detail {

using stream_socket = asio::generic::stream_protocol::socket;

/// A stream implemented outside Asio's reactor (testing seam). Completions must be posted to
/// the engine's io_context, never run inside the call, as Asio guarantees for sockets.
class stream_backend {
public:
    using io_handler = std::function<void(std::error_code, std::size_t)>;
    virtual ~stream_backend() = default;
    virtual void async_read_some(std::vector<asio::mutable_buffer> buffers, io_handler h) = 0;
    virtual void async_write_some(std::vector<asio::const_buffer> buffers, io_handler h) = 0;
    /// A non-blocking write (the ERROR sent before closing): returns the octets taken.
    virtual std::size_t write_now(asio::const_buffer b, std::error_code& ec) = 0;
    /// Octets received and not read yet.
    virtual std::size_t available() = 0;
    virtual void shutdown_send() = 0;
    /// Our side closes: operations in progress complete with operation_aborted.
    virtual void close() = 0;
};

class engine_stream {
public:
    using executor_type = stream_socket::executor_type;

    /// Production: the connected socket (implicit, so accept/dial code hands sockets over as
    /// before).
    engine_stream(stream_socket sock) : socket_(std::move(sock)) {}
    /// No connection (a failed dial).
    explicit engine_stream(asio::io_context& io) : socket_(io) {}
    /// Tests: `backend` carries the bytes; `io` runs the engine (and the completions).
    engine_stream(asio::io_context& io, std::shared_ptr<stream_backend> backend)
        : socket_(io), backend_(std::move(backend)) {}

    executor_type get_executor() noexcept { return socket_.get_executor(); }

    template <typename MutableBuffers, typename Handler>
    void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
        if (!backend_) {
            socket_.async_read_some(buffers, std::forward<Handler>(handler));
            return;
        }
        backend_->async_read_some(
            std::vector<asio::mutable_buffer>(asio::buffer_sequence_begin(buffers),
                                              asio::buffer_sequence_end(buffers)),
            erase(std::forward<Handler>(handler)));
    }

    template <typename ConstBuffers, typename Handler>
    void async_write_some(const ConstBuffers& buffers, Handler&& handler) {
        if (!backend_) {
            socket_.async_write_some(buffers, std::forward<Handler>(handler));
            return;
        }
        backend_->async_write_some(
            std::vector<asio::const_buffer>(asio::buffer_sequence_begin(buffers),
                                            asio::buffer_sequence_end(buffers)),
            erase(std::forward<Handler>(handler)));
    }

    /// Completes once the socket has something to read (or has failed, or was closed), without
    /// a buffer. A test stream completes at once: the read that follows waits instead.
    template <typename Handler>
    void async_wait_readable(Handler&& handler) {
        if (!backend_) {
            socket_.async_wait(asio::socket_base::wait_read, std::forward<Handler>(handler));
            return;
        }
        asio::post(socket_.get_executor(),
                   [h = std::forward<Handler>(handler)]() mutable { h(std::error_code()); });
    }

    void non_blocking(bool mode, std::error_code& ec) {
        if (!backend_)
            socket_.non_blocking(mode, ec);
    }
    std::size_t write_some(asio::const_buffer b, std::error_code& ec) {
        return backend_ ? backend_->write_now(b, ec) : socket_.write_some(b, ec);
    }
    std::size_t available(std::error_code& ec) {
        return backend_ ? backend_->available() : socket_.available(ec);
    }
    /// -1 for a test stream (no descriptor: no Peer-Address, fd -1 in monitor events).
    int native_handle() noexcept { return backend_ ? -1 : socket_.native_handle(); }
    void shutdown(asio::socket_base::shutdown_type what, std::error_code& ec) {
        if (!backend_) {
            socket_.shutdown(what, ec);
        } else if (what != asio::socket_base::shutdown_receive) {
            backend_->shutdown_send();
        }
    }
    void close(std::error_code& ec) {
        if (backend_)
            backend_->close();
        else
            socket_.close(ec);
    }

private:
    /// Asio handlers may be move-only; std::function needs a copyable target.
    template <typename Handler>
    static stream_backend::io_handler erase(Handler&& handler) {
        auto h = std::make_shared<std::decay_t<Handler>>(std::forward<Handler>(handler));
        return [h](std::error_code ec, std::size_t n) { (*h)(ec, n); };
    }

    stream_socket socket_;
    std::shared_ptr<stream_backend> backend_; ///< set only by tests
};

} // namespace zmtp::detail
