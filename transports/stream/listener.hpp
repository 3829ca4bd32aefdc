// listener: the bind side of one endpoint. Accepts connections and runs an engine for each;
// each engine hands its pipe to the socket once its handshake succeeds.
#pragma once

#include "core/context_impl.hpp"
#include "core/transport.hpp"
#include "transports/stream/engine.hpp"
#include "transports/stream/handler_reserve.hpp"

#include <asio/basic_socket_acceptor.hpp>
#include <asio/generic/stream_protocol.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace zmtp::detail {

class listener final : public endpoint_handle,
                       public engine_host,
                       public std::enable_shared_from_this<listener> {
public:
    using acceptor_type = asio::basic_socket_acceptor<asio::generic::stream_protocol>;
    /// Called on each accepted socket before its engine starts (tcp: the accept filter, kernel
    /// options, TCP_NODELAY); false closes the connection at once.
    using tune_fn = std::function<bool(stream_socket&)>;

    listener(asio::io_context& io, context_impl* ctx, acceptor_type acceptor, engine_config cfg,
             tune_fn tune);
    ~listener() override = default;

    void start();
    void close() noexcept override;
    void engine_stopped(stream_engine& e, std::error_code reason, bool protocol_error) override;

private:
    void accept_next();
    /// Accepts what the kernel has queued, without waiting, into pending_.
    void drain_accept_queue();
    /// Posts start_pending() unless it is posted already.
    void schedule_starts();
    /// Starts the engines of a few pending connections, then lets other handlers run.
    void start_pending();
    /// One accept's outcome: start an engine, or refuse, or report the error.
    void on_accept(const std::error_code& ec, stream_socket sock);
    void on_close();

    io_token token_;
    asio::io_context& io_;
    acceptor_type acceptor_;
    engine_config cfg_;
    tune_fn tune_;
    std::vector<std::weak_ptr<stream_engine>> engines_;
    std::deque<stream_socket> pending_; ///< accepted, engine not started yet
    bool accepting_ = false;            ///< an async_accept is outstanding
    bool starting_ = false;             ///< start_pending() is posted
    bool closed_ = false;
    /// close() posts in this memory, so it cannot fail (see session).
    std::shared_ptr<handler_reserve> close_memory_ = std::make_shared<handler_reserve>();
};

} // namespace zmtp::detail
