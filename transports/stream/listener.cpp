// listener: accept loop; unbind/close stops accepting and ends (or lets linger) its engines.
#include "transports/stream/listener.hpp"

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
    asio::post(io_, [self = shared_from_this()] { self->accept_next(); });
}

void listener::accept_next() {
    if (closed_)
        return;
    acceptor_.async_accept([self = shared_from_this()](const std::error_code& ec,
                                                       stream_socket sock) {
        if (self->closed_)
            return;
        if (!ec) {
            if (self->tune_)
                self->tune_(sock);
            auto e = std::make_shared<stream_engine>(self->io_, std::move(sock), self->cfg_,
                                                     self->weak_from_this());
            self->engines_.push_back(e);
            e->start({});
        } else if (ec == asio::error::operation_aborted) {
            return;
        }
        // Other accept errors (EMFILE, ECONNABORTED) are transient: keep listening.
        self->accept_next();
    });
}

void listener::close() noexcept {
    try {
        asio::post(io_, [self = shared_from_this()] { self->on_close(); });
    } catch (...) {
    }
}

void listener::on_close() {
    if (closed_)
        return;
    closed_ = true;
    std::error_code ignored;
    acceptor_.close(ignored);
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
