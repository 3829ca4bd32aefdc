// listener: accept loop; unbind/close stops accepting and ends (or lets linger) its engines.
#include "transports/stream/listener.hpp"

#include "transports/stream/stream_config.hpp"

#include <asio/post.hpp>

#include <algorithm>

namespace zmtp::detail {

listener::listener(asio::io_context& io, context_impl* ctx, acceptor_type acceptor,
                   engine_config cfg, tune_fn tune)
    : token_(ctx), io_(io), acceptor_(std::move(acceptor)), cfg_(std::move(cfg)),
      tune_(std::move(tune)) {
    cfg_.bind_side = true;
}

void listener::start() {
    emit_event(cfg_.monitor, socket_event::listening,
               static_cast<std::uint32_t>(acceptor_.native_handle()), cfg_.endpoint);
    asio::post(io_, [self = shared_from_this()] { self->accept_next(); });
}

void listener::accept_next() {
    if (closed_)
        return;
    acceptor_.async_accept([self = shared_from_this()](const std::error_code& ec,
                                                       stream_socket sock) {
        if (self->closed_)
            return;
        if (!ec && self->tune_ && !self->tune_(sock)) {
            std::error_code ignored;
            sock.close(ignored); // refused (ZMQ_TCP_ACCEPT_FILTER): closed before any byte
        } else if (!ec) {
            emit_event(self->cfg_.monitor, socket_event::accepted,
                       static_cast<std::uint32_t>(sock.native_handle()), self->cfg_.endpoint);
            std::shared_ptr<stream_engine> e;
            try {
                e = std::make_shared<stream_engine>(self->io_, std::move(sock), self->cfg_,
                                                    self->weak_from_this());
                self->engines_.push_back(e);
                e->start({});
            } catch (...) {
                // No memory for this connection: it is closed (with `sock`, or by stopping its
                // engine); the listener keeps accepting.
                if (e)
                    e->stop(make_error_code(std::errc::not_enough_memory));
                emit_event(self->cfg_.monitor, socket_event::disconnected, 0, self->cfg_.endpoint);
            }
        } else if (ec == asio::error::operation_aborted) {
            return;
        } else {
            emit_event(self->cfg_.monitor, socket_event::accept_failed,
                       static_cast<std::uint32_t>(ec.value()), self->cfg_.endpoint);
        }
        // Other accept errors (EMFILE, ECONNABORTED) are transient: keep listening.
        self->accept_next();
    });
}

void listener::close() noexcept {
    try {
        post_reserved(io_, close_memory_, [self = shared_from_this()] { self->on_close(); });
    } catch (...) {
        // Not reached: the reserved memory serves the one close there is.
    }
}

void listener::on_close() {
    if (closed_)
        return;
    closed_ = true;
    std::error_code ignored;
    const auto fd = static_cast<std::uint32_t>(acceptor_.native_handle());
    acceptor_.close(ignored);
    emit_event(cfg_.monitor, socket_event::closed, fd, cfg_.endpoint);
    auto engines = std::move(engines_);
    for (auto& w : engines)
        if (auto e = w.lock())
            e->endpoint_closed();
}

void listener::engine_stopped(stream_engine& e, std::error_code, bool) {
    engines_.erase(std::remove_if(engines_.begin(), engines_.end(),
                                  [&](const std::weak_ptr<stream_engine>& w) {
                                      auto p = w.lock();
                                      return !p || p.get() == &e;
                                  }),
                   engines_.end());
}

} // namespace zmtp::detail
