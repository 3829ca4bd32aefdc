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

namespace {
/// Accepted connections waiting for their engine: the accept queue is emptied up to this many
/// at once (so a burst does not wait for SYN retries), then accepting waits for room.
constexpr std::size_t max_pending = 256;
/// Engines started per handler: starting one costs far more than accepting it, so a burst
/// is started a few at a time with the I/O thread's other handlers in between.
constexpr int starts_per_turn = 4;
} // namespace

void listener::accept_next() {
    if (closed_)
        return;
    accepting_ = true;
    acceptor_.async_accept([self = shared_from_this()](const std::error_code& ec,
                                                       stream_socket sock) {
        self->accepting_ = false;
        if (self->closed_ || ec == asio::error::operation_aborted)
            return;
        if (ec)
            self->on_accept(ec, std::move(sock));
        else
            self->pending_.push_back(std::move(sock));
        self->drain_accept_queue();
    });
}

void listener::drain_accept_queue() {
    // A burst of connects fills the kernel's accept queue (ZMQ_BACKLOG) far faster than one
    // accept per wake-up empties it, and a SYN that finds it full waits ~1 s for its retry:
    // take everything queued now, without waiting, until EAGAIN (or max_pending).
    std::error_code ec;
    acceptor_.non_blocking(true, ec);
    bool empty = false;
    while (!ec && !closed_ && pending_.size() < max_pending) {
        stream_socket sock(io_);
        acceptor_.accept(sock, ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            empty = true;
            break;
        }
        if (ec)
            on_accept(ec, std::move(sock)); // reported; EMFILE, ECONNABORTED are transient
        else
            pending_.push_back(std::move(sock));
    }
    if (closed_)
        return;
    schedule_starts();
    if (empty)
        accept_next(); // wait for the next connection
    else if (ec)
        asio::post(io_, [self = shared_from_this()] { self->accept_next(); });
    // else: max_pending waiting; start_pending() resumes accepting once there is room.
}

void listener::schedule_starts() {
    if (starting_ || pending_.empty())
        return;
    starting_ = true;
    asio::post(io_, [self = shared_from_this()] { self->start_pending(); });
}

void listener::start_pending() {
    starting_ = false;
    if (closed_) {
        pending_.clear();
        return;
    }
    for (int i = 0; i < starts_per_turn && !pending_.empty(); ++i) {
        auto sock = std::move(pending_.front());
        pending_.pop_front();
        on_accept({}, std::move(sock));
    }
    schedule_starts();
    if (!accepting_ && pending_.size() < max_pending)
        accept_next();
}

void listener::on_accept(const std::error_code& ec, stream_socket sock) {
    if (!ec && tune_ && !tune_(sock)) {
        std::error_code ignored;
        sock.close(ignored); // refused (ZMQ_TCP_ACCEPT_FILTER): closed before any byte
    } else if (!ec) {
        emit_event(cfg_.monitor, socket_event::accepted,
                   static_cast<std::uint32_t>(sock.native_handle()), cfg_.endpoint);
        std::shared_ptr<stream_engine> e;
        try {
            e = std::make_shared<stream_engine>(io_, std::move(sock), cfg_, weak_from_this());
            engines_.push_back(e);
            e->start({});
        } catch (...) {
            // No memory for this connection: it is closed (with `sock`, or by stopping its
            // engine); the listener keeps accepting.
            if (e)
                e->stop(make_error_code(std::errc::not_enough_memory));
            emit_event(cfg_.monitor, socket_event::disconnected, 0, cfg_.endpoint);
        }
    } else {
        // Other accept errors (EMFILE, ECONNABORTED) are transient: keep listening.
        emit_event(cfg_.monitor, socket_event::accept_failed,
                   static_cast<std::uint32_t>(ec.value()), cfg_.endpoint);
    }
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
    pending_.clear(); // accepted, never started: closed
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
