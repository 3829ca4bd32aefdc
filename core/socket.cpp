// zmtp::socket: the public face of socket_base (throwing and error_code overloads).
#include "zmtp/socket.hpp"

#include "core/context_impl.hpp"
#include "core/socket_base.hpp"
#include "zmtp/subscription.hpp"

#include <algorithm>
#include <climits>

namespace zmtp {

namespace {
std::error_code not_a_socket() { return std::make_error_code(std::errc::not_a_socket); }
} // namespace

void socket::throw_if(const std::error_code& ec, const char* what) {
    if (ec)
        throw std::system_error(ec, what);
}

socket::socket(context& ctx, socket_type type) {
    std::error_code ec;
    impl_ = detail::socket_base::create(ctx.impl(), type, ec);
    throw_if(ec, "socket");
}

socket::socket(context& ctx, socket_type type, std::error_code& ec) noexcept {
    try {
        impl_ = detail::socket_base::create(ctx.impl(), type, ec);
    } catch (const std::bad_alloc&) {
        ec = std::make_error_code(std::errc::not_enough_memory);
    }
}

socket::~socket() { close(); }

socket::socket(socket&& other) noexcept = default;

socket& socket::operator=(socket&& other) noexcept {
    if (this != &other) {
        close();
        impl_ = std::move(other.impl_);
    }
    return *this;
}

socket_type socket::type() const noexcept {
    return impl_ ? impl_->type() : socket_type::pair;
}

void socket::close() noexcept {
    if (impl_) {
        impl_->close();
        impl_.reset();
    }
}

#define ZMTP_ENDPOINT_CALL(name)                                                                 \
    void socket::name(std::string_view endpoint) {                                              \
        std::error_code ec;                                                                      \
        name(endpoint, ec);                                                                      \
        throw_if(ec, #name);                                                                     \
    }                                                                                            \
    void socket::name(std::string_view endpoint, std::error_code& ec) noexcept {                 \
        try {                                                                                    \
            ec = impl_ ? impl_->name(endpoint) : not_a_socket();                                 \
        } catch (const std::bad_alloc&) {                                                        \
            ec = std::make_error_code(std::errc::not_enough_memory);                             \
        }                                                                                        \
    }

ZMTP_ENDPOINT_CALL(bind)
ZMTP_ENDPOINT_CALL(connect)
ZMTP_ENDPOINT_CALL(unbind)
ZMTP_ENDPOINT_CALL(disconnect)
#undef ZMTP_ENDPOINT_CALL

bool socket::send(message& msg, send_flags flags) {
    std::error_code ec;
    if (send(msg, flags, ec))
        return true;
    if (!is_would_block(ec))
        throw_if(ec, "send");
    return false;
}

bool socket::send(message& msg, send_flags flags, std::error_code& ec) noexcept {
    try {
        ec = impl_ ? impl_->send(msg, static_cast<int>(flags)) : not_a_socket();
    } catch (const std::bad_alloc&) {
        ec = std::make_error_code(std::errc::not_enough_memory);
    }
    return !ec;
}

bool socket::send(std::string_view data, send_flags flags) {
    message m(data);
    return send(m, flags);
}

bool socket::send(const void* data, std::size_t size, send_flags flags,
                  std::error_code& ec) noexcept {
    try {
        message m(data, size);
        return send(m, flags, ec);
    } catch (const std::bad_alloc&) {
        ec = std::make_error_code(std::errc::not_enough_memory);
        return false;
    }
}

bool socket::recv(message& msg, recv_flags flags) {
    std::error_code ec;
    if (recv(msg, flags, ec))
        return true;
    if (!is_would_block(ec))
        throw_if(ec, "recv");
    return false;
}

bool socket::recv(message& msg, recv_flags flags, std::error_code& ec) noexcept {
    try {
        ec = impl_ ? impl_->recv(msg, static_cast<int>(flags)) : not_a_socket();
    } catch (const std::bad_alloc&) {
        ec = std::make_error_code(std::errc::not_enough_memory);
    }
    return !ec;
}

std::error_code socket::set_option_raw(int id, const void* value, std::size_t size) noexcept {
    if (!impl_)
        return not_a_socket();
    try {
        return impl_->set_option(id, value, size);
    } catch (const std::bad_alloc&) {
        return std::make_error_code(std::errc::not_enough_memory);
    }
}

std::error_code socket::get_option_raw(int id, void* value, std::size_t* size) const noexcept {
    if (!impl_)
        return not_a_socket();
    return impl_->get_option(id, value, size);
}

void socket::monitor(monitor_fn fn, std::uint32_t mask) {
    if (impl_)
        impl_->set_monitor(std::move(fn), mask);
}

std::vector<subscriber_counters> socket::subscribers() const {
    std::vector<subscriber_counters> out;
    if (impl_)
        for (auto [sent, dropped] : impl_->peer_counters())
            out.push_back({sent, dropped});
    return out;
}

namespace {
int to_timeout(std::chrono::milliseconds timeout) {
    if (timeout.count() < 0)
        return -1;
    return static_cast<int>(std::min<std::chrono::milliseconds::rep>(timeout.count(), INT_MAX));
}
} // namespace

bool socket::wait_for_subscribers(std::size_t count, std::chrono::milliseconds timeout,
                                  std::error_code& ec) noexcept {
    try {
        ec = impl_ ? impl_->wait_subscribed(count, nullptr, to_timeout(timeout)) : not_a_socket();
    } catch (const std::bad_alloc&) {
        ec = std::make_error_code(std::errc::not_enough_memory);
    }
    return !ec;
}

bool socket::wait_for_subscribers(std::size_t count, std::chrono::milliseconds timeout) {
    std::error_code ec;
    if (wait_for_subscribers(count, timeout, ec))
        return true;
    if (!is_would_block(ec))
        throw_if(ec, "wait_for_subscribers");
    return false;
}

bool socket::wait_for_topic(std::string_view topic, std::chrono::milliseconds timeout,
                            std::size_t count, std::error_code& ec) noexcept {
    try {
        const std::string t(topic);
        ec = impl_ ? impl_->wait_subscribed(count, &t, to_timeout(timeout)) : not_a_socket();
    } catch (const std::bad_alloc&) {
        ec = std::make_error_code(std::errc::not_enough_memory);
    }
    return !ec;
}

bool socket::wait_for_topic(std::string_view topic, std::chrono::milliseconds timeout,
                            std::size_t count) {
    std::error_code ec;
    if (wait_for_topic(topic, timeout, count, ec))
        return true;
    if (!is_would_block(ec))
        throw_if(ec, "wait_for_topic");
    return false;
}

std::optional<subscription_event> as_subscription(const message& msg) {
    // An XPUB marks its reports internally; a peer's message never carries the mark.
    if (!msg.is_command() || msg.empty())
        return std::nullopt;
    const auto* d = static_cast<const char*>(msg.data());
    return subscription_event{d[0] == 1, std::string(d + 1, msg.size() - 1)};
}

} // namespace zmtp
