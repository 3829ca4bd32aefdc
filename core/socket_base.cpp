// socket_base: endpoints, mailbox, blocking, close. Socket-type behaviour lives in sockets/.
#include "core/socket_base.hpp"

#include "core/context_impl.hpp"
#include "core/endpoint.hpp"
#include "core/sockets/pair.hpp"
#include "core/sockets/pub.hpp"
#include "core/sockets/pull.hpp"
#include "core/sockets/push.hpp"
#include "core/sockets/sub.hpp"
#include "zmtp/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tuple>

namespace zmtp::detail {

namespace {
constexpr int flag_dontwait = 1;
constexpr int flag_sndmore = 2;
std::error_code would_block() {
    return std::make_error_code(std::errc::resource_unavailable_try_again);
}
} // namespace

/// A pipe attached to the socket; its waker routes pipe events to the socket.
struct socket_base::pipe_slot final : waker {
    pipe_slot(socket_base* o, pipe_end e) : owner(o), end(std::move(e)) {}
    void wake() noexcept override {
        owner->pipe_activity_.store(true, std::memory_order_release);
        owner->notify();
    }
    void peer_closed() noexcept override { owner->on_peer_closed(end); }

    socket_base* owner;
    pipe_end end;
};

std::shared_ptr<socket_base> socket_base::create(const std::shared_ptr<context_impl>& ctx,
                                                 socket_type type, std::error_code& ec) {
    std::shared_ptr<socket_base> s;
    switch (type) {
    case socket_type::pair:
        s = std::make_shared<pair_socket>(ctx);
        break;
    case socket_type::pub:
    case socket_type::xpub:
        s = std::make_shared<pub_socket>(ctx, type);
        break;
    case socket_type::sub:
    case socket_type::xsub:
        s = std::make_shared<sub_socket>(ctx, type);
        break;
    case socket_type::pull:
        s = std::make_shared<pull_socket>(ctx);
        break;
    case socket_type::push:
        s = std::make_shared<push_socket>(ctx);
        break;
    default:
        ec = std::make_error_code(std::errc::invalid_argument);
        return nullptr;
    }
    ec = ctx->add_socket(s.get());
    if (ec) {
        s->closed_ = true;
        return nullptr;
    }
    return s;
}

socket_base::socket_base(std::shared_ptr<context_impl> ctx, socket_type type)
    : ctx_(std::move(ctx)), options_(type) {}

socket_base::~socket_base() { close(); }

std::error_code socket_base::check_usable() const noexcept {
    if (closed_)
        return std::make_error_code(std::errc::not_a_socket);
    if (ctx_->is_shut_down())
        return zmtp::make_error_code(zmtp::errc::terminated);
    return {};
}

std::error_code socket_base::parse(std::string_view endpoint, transport*& t,
                                   endpoint_request& req) {
    endpoint_parts parts;
    if (auto ec = split_endpoint(endpoint, parts))
        return ec;
    t = ctx_->find_transport(parts.scheme);
    if (!t)
        return std::make_error_code(std::errc::protocol_not_supported);
    req.socket = weak_from_this();
    req.ctx = ctx_.get();
    req.options = options_;
    req.endpoint = std::string(endpoint);
    req.address = std::string(parts.address);
    req.monitor = monitor_lease_;
    return {};
}

std::error_code socket_base::bind(std::string_view endpoint) {
    if (auto ec = check_usable())
        return ec;
    process_commands();
    transport* t = nullptr;
    endpoint_request req{{}, nullptr, options_, {}, {}, {}};
    if (auto ec = parse(endpoint, t, req))
        return ec;
    std::shared_ptr<endpoint_handle> handle;
    std::string resolved;
    if (auto ec = t->bind(req, handle, resolved))
        return ec;
    options_.last_endpoint = resolved;
    endpoints_.push_back({req.endpoint, resolved, true, std::move(handle), {}});
    // inproc connects that waited for this bind handed us their pipes just now: attach them
    // here, on our thread, as libzmq does inside zmq_bind, so a SUBSCRIBE set right after the
    // bind reaches a connect-first PUB without waiting for our next call.
    process_commands();
    return {};
}

std::error_code socket_base::connect(std::string_view endpoint) {
    if (auto ec = check_usable())
        return ec;
    process_commands();
    transport* t = nullptr;
    endpoint_request req{{}, nullptr, options_, {}, {}, {}};
    if (auto ec = parse(endpoint, t, req))
        return ec;
    if (auto ec = t->check_connect_address(req))
        return ec;
    // The socket's end exists from now on, so messages queue before the peer does (C-PAIR-4);
    // with ZMQ_IMMEDIATE a stream transport attaches one per completed handshake instead.
    // (inproc keeps its pipe: there the connection is complete once the peer binds.)
    const bool immediate = options_.immediate() && t->needs_io_thread();
    pipe_end ours, theirs;
    if (!immediate)
        std::tie(ours, theirs) = pipe_end::make_pair(options_.sndhwm(), options_.rcvhwm());
    // Over inproc the connecting side's CONFLATE decides, as in libzmq.
    if (ours)
        ours.set_conflate(options_.conflate_inbound(), options_.conflate_outbound());
    std::shared_ptr<endpoint_handle> handle;
    if (auto ec = t->connect(req, theirs, handle)) {
        if (ours) {
            theirs.close();
            ours.close();
        }
        return ec;
    }
    if (ours)
        attach_now(ours);
    options_.last_endpoint = req.endpoint;
    endpoints_.push_back({req.endpoint, req.endpoint, false, std::move(handle), ours});
    return {};
}

std::error_code socket_base::unbind(std::string_view endpoint) {
    if (auto ec = check_usable())
        return ec;
    // A bound endpoint is known by its resolved (LAST_ENDPOINT) form only, as in libzmq: the
    // wildcard it was bound with (tcp://127.0.0.1:*, tcp://*:*, ipc://*, port 0) names no
    // endpoint, so unbinding with it is ENOENT.
    auto it = std::find_if(endpoints_.begin(), endpoints_.end(), [&](const endpoint_entry& e) {
        return e.bound && e.resolved == endpoint;
    });
    if (it == endpoints_.end())
        return std::make_error_code(std::errc::no_such_file_or_directory);
    it->handle->close();
    endpoints_.erase(it);
    return {};
}

std::error_code socket_base::disconnect(std::string_view endpoint) {
    if (auto ec = check_usable())
        return ec;
    auto it = std::find_if(endpoints_.begin(), endpoints_.end(), [&](const endpoint_entry& e) {
        return !e.bound && e.endpoint == endpoint;
    });
    if (it == endpoints_.end())
        return std::make_error_code(std::errc::no_such_file_or_directory);
    pipe_end p = it->pipe;
    forget_pipe(p);
    p.close(close_reason::normal, options_.linger()); // before the session hears of it
    it->handle->close();
    endpoints_.erase(it);
    return {};
}

void socket_base::post(command_kind kind, pipe_end p) {
    {
        std::lock_guard<std::mutex> lock(mailbox_mutex_);
        if (!mailbox_closed_) {
            mailbox_.push_back({kind, std::move(p)});
            mailbox_pending_.store(true, std::memory_order_release);
            p = {};
        }
    }
    if (!p) {
        notify();
        return;
    }
    if (kind == command_kind::attach)
        p.close(); // the socket is closed: the connection goes away
}

void socket_base::post_attach(pipe_end end) { post(command_kind::attach, std::move(end)); }

void socket_base::set_monitor(monitor_fn fn, std::uint32_t mask) {
    monitor_->set(std::move(fn), mask);
}

void socket_base::emit(socket_event event, std::uint32_t value, const std::string& endpoint) {
    monitor_->emit(event, value, endpoint);
}

void socket_base::post_hiccup(pipe_end end) { post(command_kind::hiccup, std::move(end)); }

void socket_base::on_peer_closed(pipe_end p) {
    // Runs on the closing thread with the pipe's lock held: only queue the news (the mailbox
    // lock is never held while taking a pipe lock, so the order is always pipe -> mailbox).
    post(command_kind::peer_closed, std::move(p));
}

void socket_base::process_commands() {
    if (!mailbox_pending_.load(std::memory_order_acquire))
        return;
    std::vector<command> commands;
    {
        std::lock_guard<std::mutex> lock(mailbox_mutex_);
        commands.swap(mailbox_);
        mailbox_pending_.store(false, std::memory_order_relaxed);
    }
    for (auto& c : commands) {
        switch (c.kind) {
        case command_kind::attach:
            attach_now(c.pipe);
            break;
        case command_kind::peer_closed:
            detach_if_drained(c.pipe);
            break;
        case command_kind::hiccup:
            if (std::any_of(pipes_.begin(), pipes_.end(),
                            [&](const std::unique_ptr<pipe_slot>& s) { return s->end == c.pipe; }))
                xhiccup(c.pipe);
            break;
        }
    }
}

void socket_base::attach_now(pipe_end p) {
    if (!xattach(p)) {
        p.close(close_reason::rejected, 0);
        return;
    }
    pipes_.push_back(std::make_unique<pipe_slot>(this, p));
    p.set_waker(pipes_.back().get());
    pipe_activity_.store(true, std::memory_order_release); // it may hold messages already
    // Events may have happened before the waker was set; make the caller look again.
    notify();
}

bool socket_base::detach_if_drained(const pipe_end& p) {
    if (!p.peer_closed() || pipe_end(p).readable())
        return false;
    auto it = std::find_if(pipes_.begin(), pipes_.end(),
                           [&](const std::unique_ptr<pipe_slot>& s) { return s->end == p; });
    if (it == pipes_.end())
        return false;
    forget_pipe(p);
    pipe_end(p).close();
    return true;
}

void socket_base::drop_pipe(pipe_end p, close_reason why) {
    forget_pipe(p);
    p.close(why, 0);
}

void socket_base::forget_pipe(const pipe_end& p) {
    auto it = std::find_if(pipes_.begin(), pipes_.end(),
                           [&](const std::unique_ptr<pipe_slot>& s) { return s->end == p; });
    if (it == pipes_.end())
        return;
    (*it)->end.set_waker(nullptr); // after this no wake can reach the slot
    xdetach(p);
    pipes_.erase(it);
}

template <typename Attempt>
std::error_code socket_base::blocking_loop(Attempt&& attempt, bool dontwait, int timeout_ms) {
    auto ec = attempt();
    if (!is_would_block(ec) || dontwait || timeout_ms == 0)
        return ec;
    const bool forever = timeout_ms < 0;
    const auto deadline = signaler::clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        const auto seen = signaler_.generation();
        if (ctx_->is_shut_down())
            return zmtp::make_error_code(zmtp::errc::terminated);
        process_commands();
        ec = attempt();
        if (!is_would_block(ec))
            return ec;
        switch (signaler_.wait_for_change(seen, forever, deadline)) {
        case signaler::wait_result::changed:
            break;
        case signaler::wait_result::timed_out:
            return would_block();
        case signaler::wait_result::interrupted:
            return std::make_error_code(std::errc::interrupted); // EINTR, as libzmq
        }
    }
}

std::error_code socket_base::blocking(attempt_fn fn, message& msg, bool dontwait,
                                      int timeout_ms) {
    return blocking_loop([&] { return (this->*fn)(msg); }, dontwait, timeout_ms);
}

std::error_code socket_base::wait_subscribed(std::size_t subscribers, const std::string* topic,
                                             int timeout_ms) {
    if (auto ec = check_usable())
        return ec;
    if (options_.type != socket_type::pub && options_.type != socket_type::xpub)
        return std::make_error_code(std::errc::not_supported);
    process_commands();
    return blocking_loop(
        [&] { return subscribed(subscribers, topic) ? std::error_code() : would_block(); }, false,
        timeout_ms);
}

std::error_code socket_base::send(message& msg, int flags) {
    if (auto ec = check_usable())
        return ec;
    process_commands();
    msg.set_more((flags & flag_sndmore) != 0);
    msg.set_command(false); // an XPUB's subscription report sent on is plain data
    return blocking(&socket_base::xsend, msg, (flags & flag_dontwait) != 0,
                    options_.sndtimeo());
}

std::error_code socket_base::recv(message& msg, int flags) {
    if (auto ec = check_usable())
        return ec;
    process_commands();
    auto ec = blocking(&socket_base::xrecv, msg, (flags & flag_dontwait) != 0,
                       options_.rcvtimeo());
    if (!ec)
        rcvmore_ = msg.more();
    return ec;
}

std::error_code socket_base::xsetsockopt(int, const void*, std::size_t) {
    return std::make_error_code(std::errc::not_supported);
}

std::error_code socket_base::set_option(int id, const void* value, std::size_t size) {
    if (auto ec = check_usable())
        return ec;
    auto ec = xsetsockopt(id, value, size);
    if (ec == std::errc::not_supported) {
        ec = options_.set(id, value, size);
        if (!ec && (id == opt_sndhwm || id == opt_rcvhwm))
            apply_hwm_to_pipes();
        return ec;
    }
    if (!ec && find_option(id).kind != option_kind::none)
        options_.set(id, value, size); // mirrored so getsockopt reads it back
    return ec;
}

std::error_code socket_base::get_option(int id, void* value, std::size_t* size) {
    if (auto ec = check_usable())
        return ec;
    switch (id) {
    case opt_rcvmore:
        return put_int(rcvmore_ ? 1 : 0, value, size);
    case opt_type:
        return put_int(static_cast<int>(options_.type), value, size);
    case opt_events:
    case opt_events_level: {
        int wanted = 0; // opt_events_level: the mask that keeps ZMQ_FD readable
        if (id == opt_events_level) {
            if (!value || !size || *size < sizeof wanted)
                return std::make_error_code(std::errc::invalid_argument);
            std::memcpy(&wanted, value, sizeof wanted);
        }
        // libzmq's contract: ZMQ_FD turned readable because events may have changed; reading
        // ZMQ_EVENTS resets it and reports the current state.
        signaler_.drain_fd();
        process_commands();
        const int events = (xhas_in() ? 1 : 0) | (xhas_out() ? 2 : 0); // ZMQ_POLLIN/POLLOUT
        if (events & wanted)
            signaler_.raise_fd(); // a change after the drain raises it too: never missed
        return put_int(events, value, size);
    }
    case opt_fd: {
        const int fd = signaler_.fd();
        if (fd < 0)
            return std::error_code(errno, std::generic_category());
        return put_int(fd, value, size);
    }
    default:
        return options_.get(id, value, size);
    }
}

void socket_base::apply_hwm_to_pipes() {
    // libzmq applies HWM changes to existing connections too (C-HWM-6): each pipe's limit
    // follows, so raising it lets more through and lowering it below the current fill stops
    // sends (or reads from the connection) until the reader drains below it.
    process_commands(); // pipes handed over but not attached yet get the new limits too
    for (auto& slot : pipes_) {
        slot->end.set_send_hwm(options_.sndhwm());
        slot->end.set_recv_hwm(options_.rcvhwm());
    }
}

void socket_base::close() noexcept {
    if (closed_)
        return;
    if (ctx_->forked()) {
        abandon_after_fork();
        return;
    }
    closed_ = true;
    std::vector<command> pending;
    {
        std::lock_guard<std::mutex> lock(mailbox_mutex_);
        mailbox_closed_ = true;
        pending.swap(mailbox_);
    }
    for (auto& c : pending)
        if (c.kind == command_kind::attach)
            c.pipe.close();
    // Pipes first, so sessions and engines see the close (and its LINGER) by the time they
    // hear that their endpoint is going away.
    const int linger = options_.linger();
    for (auto& slot : pipes_) {
        slot->end.set_waker(nullptr);
        // Unread inbound messages are dropped; outbound ones linger in the peer (C-LIFE-3).
        slot->end.discard_inbound();
        slot->end.close(close_reason::normal, linger);
    }
    pipes_.clear();
    for (auto& e : endpoints_)
        e.handle->close();
    endpoints_.clear();
    // MONITOR_STOPPED once the endpoints closed above have reported their last event (a
    // listener's CLOSED, a lingering engine's end), as libzmq orders them.
    monitor_lease_.reset();
    ctx_->remove_socket(this);
}

} // namespace zmtp::detail
