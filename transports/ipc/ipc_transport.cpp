// The ipc transport: bind unlinks an existing path and takes it over (C-IPC-3), explicit
// paths stay on disk after close (C-IPC-4), "ipc://*" cleans up after itself (C-IPC-5), and
// connect retries until the path exists (C-IPC-6).
#include "transports/ipc/ipc_transport.hpp"

#include "core/context_impl.hpp"
#include "transports/ipc/ipc_address.hpp"
#include "transports/stream/listener.hpp"
#include "transports/stream/session.hpp"
#include "transports/stream/stream_config.hpp"

#include <asio/post.hpp>

#include <unistd.h>

namespace zmtp::detail {

namespace {

using generic_endpoint = asio::generic::stream_protocol::endpoint;

/// Connects to one fixed Unix-domain address; a missing path or no listener is an ordinary
/// dial failure, so the session retries with its back-off.
class ipc_dialer final : public dialer {
public:
    ipc_dialer(asio::io_context& io, generic_endpoint target) : io_(io), target_(target) {}

    void async_dial(handler done) override {
        socket_ = std::make_shared<stream_socket>(io_);
        std::error_code ec;
        socket_->open(target_.protocol(), ec);
        if (ec) {
            asio::post(io_, [this, done, ec] { done(ec, engine_stream(io_)); });
            return;
        }
        socket_->async_connect(target_, [this, done, s = socket_](const std::error_code& ec) {
            if (ec)
                done(ec, engine_stream(io_));
            else
                done({}, std::move(*s));
        });
    }

    void cancel() noexcept override {
        if (socket_) {
            std::error_code ignored;
            socket_->close(ignored);
        }
    }

private:
    asio::io_context& io_;
    generic_endpoint target_;
    std::shared_ptr<stream_socket> socket_;
};

/// The bind handle: the shared stream listener, plus the wildcard's file and directory,
/// which go away with it (libzmq removes only wildcard files, C-IPC-4/C-IPC-5).
class ipc_bound final : public endpoint_handle {
public:
    ipc_bound(std::shared_ptr<listener> l, std::string dir, std::string file)
        : listener_(std::move(l)), dir_(std::move(dir)), file_(std::move(file)) {}
    ~ipc_bound() override { close(); }

    void close() noexcept override {
        if (closed_)
            return;
        closed_ = true;
        listener_->close();
        // Unlinking while the acceptor is still open is harmless: new dials just fail.
        if (!file_.empty())
            ::unlink(file_.c_str());
        if (!dir_.empty())
            ::rmdir(dir_.c_str());
    }

private:
    std::shared_ptr<listener> listener_;
    std::string dir_;
    std::string file_;
    bool closed_ = false;
};

std::error_code listen_on(listener::acceptor_type& acceptor, const generic_endpoint& ep,
                          int backlog, int use_fd) {
    std::error_code ec;
    if (use_fd >= 0) {
        // ZMQ_USE_FD: the caller bound and listens on it already; it is ours from now on.
        acceptor.assign(ep.protocol(), use_fd, ec);
        return to_generic(ec);
    }
    acceptor.open(ep.protocol(), ec);
    if (!ec)
        acceptor.bind(ep, ec);
    if (!ec)
        acceptor.listen(backlog, ec);
    return to_generic(ec);
}

} // namespace

std::error_code ipc_transport::check_connect_address(const endpoint_request& req) {
    ipc_address addr;
    return parse_ipc_address(req.address, false, addr);
}

std::error_code ipc_transport::bind(const endpoint_request& req,
                                    std::shared_ptr<endpoint_handle>& out, std::string& resolved) {
    ipc_address addr;
    if (auto ec = parse_ipc_address(req.address, true, addr))
        return ec;
    asio::io_context* io = nullptr;
    if (auto ec = req.ctx->io_context(io, affinity_of(req)))
        return ec;
    auto failed = [&](std::error_code ec) {
        emit_event(req.monitor, socket_event::bind_failed, static_cast<std::uint32_t>(ec.value()),
                   req.endpoint);
        return ec;
    };
    std::string wildcard_dir;
    const int use_fd = req.options.use_fd();
    if (use_fd >= 0) {
        // The caller's socket is bound already: nothing to create or take over on disk.
    } else if (addr.type == ipc_address::kind::wildcard) {
        if (auto ec = make_ipc_wildcard(wildcard_dir, addr.name))
            return failed(ec);
        addr.type = ipc_address::kind::path;
    } else if (addr.type == ipc_address::kind::path) {
        // Take over whatever is there (a stale or a live socket), as libzmq does (C-IPC-3).
        ::unlink(addr.name.c_str());
    }
    listener::acceptor_type acceptor(*io);
    if (auto ec = listen_on(acceptor, make_ipc_endpoint(addr), req.options.backlog(), use_fd)) {
        if (!wildcard_dir.empty()) {
            ::unlink(addr.name.c_str());
            ::rmdir(wildcard_dir.c_str());
        }
        return failed(ec);
    }
    // LAST_ENDPOINT keeps relative paths relative and abstract names as "@name" (C-IPC-1/2).
    resolved = wildcard_dir.empty() ? req.endpoint : "ipc://" + addr.name;
    auto cfg = make_engine_config(req);
    cfg.endpoint = resolved; // events name the wildcard's real path, as libzmq's do
    auto l = std::make_shared<listener>(*io, req.ctx, std::move(acceptor), std::move(cfg),
                                        listener::tune_fn{});
    l->start();
    std::string wildcard_file = wildcard_dir.empty() ? std::string{} : addr.name;
    out = std::make_shared<ipc_bound>(std::move(l), std::move(wildcard_dir),
                                      std::move(wildcard_file));
    return {};
}

std::error_code ipc_transport::connect(const endpoint_request& req, pipe_end pipe,
                                       std::shared_ptr<endpoint_handle>& out) {
    ipc_address addr;
    if (auto ec = parse_ipc_address(req.address, false, addr))
        return ec;
    asio::io_context* io = nullptr;
    if (auto ec = req.ctx->io_context(io, affinity_of(req)))
        return ec;
    auto d = std::make_unique<ipc_dialer>(*io, make_ipc_endpoint(addr));
    auto s = std::make_shared<session>(*io, req.ctx, std::move(d), std::move(pipe),
                                       make_engine_config(req), req.options.reconnect_ivl(),
                                       req.options.reconnect_ivl_max());
    s->start();
    out = s;
    return {};
}

} // namespace zmtp::detail
