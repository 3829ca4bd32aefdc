// listener: the bind side of one endpoint. Accepts connections and runs an engine for each;
// each engine hands its pipe to the socket once its handshake succeeds.
#pragma once

#include "core/context_impl.hpp"
#include "core/transport.hpp"
#include "transports/stream/engine.hpp"
#include "transports/stream/handler_reserve.hpp"

#include <asio/basic_socket_acceptor.hpp>
#include <asio/generic/stream_protocol.hpp>

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
    /// Accepts what the kernel has queued, without waiting (up to a batch), then waits again.
    void drain_accept_queue();
    /// One accept's outcome: start an engine, or refuse, or report the error.
    void on_accept(const std::error_code& ec, stream_socket sock);
    void on_close();

    io_token token_;
    asio::io_context& io_;
    acceptor_type acceptor_;
    engine_config cfg_;
    tune_fn tune_;
    std::vector<std::weak_ptr<stream_engine>> engines_;
    bool closed_ = false;
    /// close() posts in this memory, so it cannot fail (see session).
    std::shared_ptr<handler_reserve> close_memory_ = std::make_shared<handler_reserve>();
};

} // namespace zmtp::detail
