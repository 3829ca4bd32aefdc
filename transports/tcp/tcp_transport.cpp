// The tcp transport: listeners and sessions over asio TCP sockets, TCP_NODELAY on every
// connection (C-TCP-7), names resolved at each dial (C-TCP-2).
#include "transports/tcp/tcp_transport.hpp"

#include "core/context_impl.hpp"
#include "transports/stream/listener.hpp"
#include "transports/stream/session.hpp"
#include "transports/stream/stream_config.hpp"
#include "transports/tcp/tcp_address.hpp"
#include "transports/tcp/tcp_tuning.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/ip/v6_only.hpp>
#include <asio/steady_timer.hpp>

#include <sys/socket.h>

#include <cstring>

namespace zmtp::detail {

namespace {

void set_nodelay(stream_socket& s) {
    std::error_code ignored;
    s.set_option(asio::ip::tcp::no_delay(true), ignored);
}

/// True if the accepted peer's address passes the socket's ZMQ_TCP_ACCEPT_FILTER list.
bool accept_allowed(stream_socket& s, const std::vector<accept_filter>& filters) {
    if (filters.empty())
        return true;
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    if (::getpeername(s.native_handle(), reinterpret_cast<sockaddr*>(&peer), &len) != 0)
        return false;
    for (const auto& f : filters)
        if (f.matches(reinterpret_cast<const sockaddr*>(&peer)))
            return true;
    return false;
}

/// Resolves the host (IPv4 only unless ZMQ_IPV6) and tries each address in turn; each attempt
/// is abandoned after ZMQ_CONNECT_TIMEOUT ms (0: the OS's own timeout). IP literals skip the
/// resolver (no lookup thread, no getaddrinfo round); a ZMTP_NO_DNS build has no resolver.
class tcp_dialer final : public dialer {
public:
    tcp_dialer(asio::io_context& io, tcp_connect_address addr, bool ipv6, tcp_tuning tuning,
               int connect_timeout)
        : io_(io), addr_(std::move(addr)), ipv6_(ipv6), tuning_(std::move(tuning)),
          connect_timeout_(connect_timeout),
#ifndef ZMTP_NO_DNS
          resolver_(io),
#endif
          timer_(io) {
    }

    void async_dial(handler done) override {
        cancelled_ = false;
        std::error_code ec;
        if (tcp_literal_endpoints(addr_, ipv6_, endpoints_, ec)) {
            // Completed from the loop, as a resolver would: never inside async_dial.
            asio::post(io_, [this, done, ec] {
                if (cancelled_)
                    done(asio::error::operation_aborted, engine_stream(io_));
                else if (ec)
                    done(ec, engine_stream(io_));
                else
                    try_next(0, done);
            });
            return;
        }
#ifndef ZMTP_NO_DNS
        auto on_resolved = [this, done](const std::error_code& ec,
                                        asio::ip::tcp::resolver::results_type results) {
            if (ec) {
                done(ec, engine_stream(io_));
                return;
            }
            endpoints_.clear();
            for (const auto& r : results) {
                // With ZMQ_IPV6 an IPv4 peer is dialled from an IPv6 socket (v4-mapped).
                auto ep = r.endpoint();
                if (ipv6_)
                    ep.address(as_ipv6(ep.address()));
                endpoints_.push_back(ep);
            }
            try_next(0, done);
        };
        const auto port = std::to_string(addr_.port);
        if (ipv6_)
            resolver_.async_resolve(addr_.host, port, on_resolved);
        else
            resolver_.async_resolve(asio::ip::tcp::v4(), addr_.host, port, on_resolved);
#else
        // Not reached: parse_tcp_connect refused the name at zmq_connect.
        asio::post(io_, [this, done] { done(asio::error::host_not_found, engine_stream(io_)); });
#endif
    }

    void cancel() noexcept override {
        cancelled_ = true;
#ifndef ZMTP_NO_DNS
        resolver_.cancel();
#endif
        timer_.cancel();
        if (socket_) {
            std::error_code ignored;
            socket_->close(ignored);
        }
    }

private:
    void try_next(std::size_t i, handler done) {
        if (i >= endpoints_.size()) {
            done(make_error_code(std::errc::connection_refused), engine_stream(io_));
            return;
        }
        asio::generic::stream_protocol::endpoint target(endpoints_[i]);
        socket_ = std::make_shared<stream_socket>(io_);
        std::error_code ec;
        socket_->open(target.protocol(), ec);
        if (ec == asio::error::address_family_not_supported) {
            // A host without IPv6: dial the IPv4 address itself (libzmq falls back too).
            const auto plain = as_plain(endpoints_[i].address());
            target = asio::ip::tcp::endpoint(plain, endpoints_[i].port());
            ec = {};
            socket_->open(target.protocol(), ec);
        }
        if (!ec)
            ec = tuning_.apply_before_connect(socket_->native_handle());
        if (ec) {
            try_next(i + 1, done);
            return;
        }
        timed_out_ = false;
        if (connect_timeout_ > 0) {
            timer_.expires_after(std::chrono::milliseconds(connect_timeout_));
            timer_.async_wait([this, done, s = socket_](const std::error_code& ec) {
                if (ec || s != socket_)
                    return;
                // Abandon this attempt: the connect handler sees operation_aborted and the
                // session's reconnect logic takes over (as libzmq's connect timer does).
                timed_out_ = true;
                std::error_code ignored;
                s->close(ignored);
            });
        }
        socket_->async_connect(target, [this, i, done, s = socket_](std::error_code ec) {
            timer_.cancel();
            if (ec == asio::error::operation_aborted && timed_out_ && s == socket_)
                ec = make_error_code(std::errc::timed_out);
            if (ec == asio::error::operation_aborted || ec == std::errc::timed_out) {
                done(ec, engine_stream(io_));
                return;
            }
            if (!ec)
                ec = tuning_.apply_connected(s->native_handle());
            if (ec) {
                try_next(i + 1, done);
                return;
            }
            set_nodelay(*s);
            done({}, std::move(*s));
        });
    }

    asio::io_context& io_;
    tcp_connect_address addr_;
    bool ipv6_;
    tcp_tuning tuning_;
    int connect_timeout_;
    bool timed_out_ = false;
    bool cancelled_ = false;
#ifndef ZMTP_NO_DNS
    asio::ip::tcp::resolver resolver_;
#endif
    asio::steady_timer timer_;
    std::vector<asio::ip::tcp::endpoint> endpoints_;
    std::shared_ptr<stream_socket> socket_;
};

} // namespace

std::error_code tcp_transport::check_connect_address(const endpoint_request& req) {
    tcp_connect_address addr;
    return parse_tcp_connect(req.address, addr);
}

namespace {

/// Opens, tunes, binds and listens (or adopts the caller's listening socket, ZMQ_USE_FD).
std::error_code open_acceptor(const endpoint_request& req, asio::ip::tcp::endpoint ep,
                              const tcp_tuning& tuning, listener::acceptor_type& acceptor) {
    std::error_code ec;
    if (req.options.use_fd() >= 0) {
        // The descriptor is already bound and listening; it is ours from now on (closed with
        // the endpoint, as libzmq does). Its family decides the protocol.
        sockaddr_storage local{};
        socklen_t len = sizeof local;
        if (::getsockname(req.options.use_fd(), reinterpret_cast<sockaddr*>(&local), &len) != 0)
            return {errno, std::generic_category()};
        const asio::generic::stream_protocol proto(local.ss_family, IPPROTO_TCP);
        acceptor.assign(proto, req.options.use_fd(), ec);
        return ec;
    }
    asio::generic::stream_protocol::endpoint gep(ep);
    acceptor.open(gep.protocol(), ec);
    if (ec == asio::error::address_family_not_supported && ep.address().is_v6()) {
        // ZMQ_IPV6 on a host without IPv6: bind the IPv4 form instead (libzmq falls back too).
        ep.address(as_plain(ep.address()));
        gep = asio::generic::stream_protocol::endpoint(ep);
        ec = {};
        acceptor.open(gep.protocol(), ec);
    }
    if (!ec)
        ec = tuning.apply_before_connect(acceptor.native_handle()); // ENODEV: bind fails
    if (!ec)
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec && ep.address().is_v6())
        acceptor.set_option(asio::ip::v6_only(false), ec); // dual-stack, as libzmq (C-TCP-4)
    if (!ec)
        acceptor.bind(gep, ec);
    if (!ec)
        acceptor.listen(req.options.backlog(), ec);
    return ec;
}

} // namespace

std::error_code tcp_transport::bind(const endpoint_request& req,
                                    std::shared_ptr<endpoint_handle>& out, std::string& resolved) {
    asio::ip::tcp::endpoint ep;
    if (auto ec = parse_tcp_bind(req.address, req.options.ipv6(), ep))
        return ec;
    asio::io_context* io = nullptr;
    if (auto ec = req.ctx->io_context(io, affinity_of(req)))
        return ec;
    const auto tuning = tcp_tuning::from(req.options);
    listener::acceptor_type acceptor(*io);
    std::error_code ec = open_acceptor(req, ep, tuning, acceptor);
    if (ec) {
        emit_event(req.monitor, socket_event::bind_failed, static_cast<std::uint32_t>(ec.value()),
                   req.endpoint);
        return to_generic(ec);
    }
    const auto local = acceptor.local_endpoint(ec);
    if (ec)
        return to_generic(ec);
    asio::ip::tcp::endpoint bound;
    std::memcpy(bound.data(), local.data(), local.size());
    resolved = format_tcp_endpoint(bound);
    auto cfg = make_engine_config(req);
    cfg.endpoint = resolved; // events name the real port, as libzmq's do
    // Accepted connections: the filter first (a refused peer is closed at once), then the
    // kernel options and TCP_NODELAY.
    auto tune = [tuning, filters = req.options.accept_filters](stream_socket& s) {
        if (!accept_allowed(s, filters))
            return false;
        if (tuning.apply_before_connect(s.native_handle()) ||
            tuning.apply_connected(s.native_handle()))
            return false;
        set_nodelay(s);
        return true;
    };
    auto l = std::make_shared<listener>(*io, req.ctx, std::move(acceptor), std::move(cfg), tune);
    l->start();
    out = l;
    return {};
}

std::error_code tcp_transport::connect(const endpoint_request& req, pipe_end pipe,
                                       std::shared_ptr<endpoint_handle>& out) {
    tcp_connect_address addr;
    if (auto ec = parse_tcp_connect(req.address, addr))
        return ec;
    asio::io_context* io = nullptr;
    if (auto ec = req.ctx->io_context(io, affinity_of(req)))
        return ec;
    auto d = std::make_unique<tcp_dialer>(*io, std::move(addr), req.options.ipv6(),
                                          tcp_tuning::from(req.options),
                                          req.options.connect_timeout());
    auto s = std::make_shared<session>(*io, req.ctx, std::move(d), std::move(pipe),
                                       make_engine_config(req), req.options.reconnect_ivl(),
                                       req.options.reconnect_ivl_max());
    s->start();
    out = s;
    return {};
}

} // namespace zmtp::detail
