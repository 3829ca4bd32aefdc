// session: the connect side of one endpoint. Owns the connection's pipe for the socket's whole
// life, dials through a transport-specific dialer, runs an engine per connection, and
// reconnects with back-off after the connection drops (C-TCP-5, C-PAIR-7).
#pragma once

#include "core/context_impl.hpp"
#include "core/transport.hpp"
#include "transports/stream/engine.hpp"
#include "transports/stream/handler_reserve.hpp"

#include "transports/stream/engine_timer.hpp"

#include <functional>
#include <memory>
#include <random>

namespace zmtp::detail {

/// Opens one connection to a fixed address (tcp: resolve + connect; ipc: connect).
class dialer {
public:
    using handler = std::function<void(std::error_code, engine_stream)>;
    virtual ~dialer() = default;
    virtual void async_dial(handler done) = 0;
    /// Aborts a dial in progress (its handler then gets operation_aborted).
    virtual void cancel() noexcept = 0;
};

class session final : public endpoint_handle,
                      public engine_host,
                      public std::enable_shared_from_this<session> {
public:
    session(asio::io_context& io, context_impl* ctx, std::unique_ptr<dialer> d, pipe_end pipe,
            engine_config cfg, int reconnect_ivl, int reconnect_ivl_max);
    ~session() override;

    /// Starts the first dial (posted to the I/O thread).
    void start();
    void close() noexcept override;
    void engine_stopped(stream_engine& e, std::error_code reason, bool protocol_error) override;

private:
    void dial();
    void on_dialed(std::error_code ec, engine_stream sock);
    void schedule_reconnect();
    void on_close();
    void finish();

    io_token token_;
    asio::io_context& io_;
    std::unique_ptr<dialer> dialer_;
    pipe_end pipe_;
    engine_config cfg_;
    int reconnect_ivl_;
    int reconnect_ivl_max_;
    int current_ivl_;
    std::minstd_rand rng_;
    engine_timer retry_timer_;
    engine_timer linger_timer_;
    std::shared_ptr<stream_engine> engine_;
    bool closing_ = false;
    bool finished_ = false;
    bool dialing_ = false;
    int connections_ = 0;
    bool gave_up_ = false; ///< a protocol error ended reconnection
    /// Set from start() to finish(): after the socket lets go (close with LINGER) the session
    /// must live on until its pipe is flushed, and no asio operation may be holding it then.
    std::shared_ptr<session> self_;
    /// close() posts in this memory, so it cannot fail (an endpoint that never closed would
    /// hold up termination for ever).
    std::shared_ptr<handler_reserve> close_memory_ = std::make_shared<handler_reserve>();
};

} // namespace zmtp::detail
