// zmtp::socket: the C++17 socket API. Like libzmq sockets, a socket is used by one thread at
// a time; the context it came from is thread-safe. Every operation has a throwing overload
// (std::system_error) and a noexcept overload taking std::error_code&. "Would block" (EAGAIN:
// DONTWAIT, or SNDTIMEO/RCVTIMEO expired) is never an exception: send/recv return false.
#pragma once

#include "zmtp/context.hpp"
#include "zmtp/error.hpp"
#include "zmtp/message.hpp"
#include "zmtp/monitor.hpp"
#include "zmtp/options.hpp"
#include "zmtp/socket_type.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

namespace zmtp {

namespace detail {
class socket_base;
}

/// Flags for send: the numbers are ZMQ_DONTWAIT and ZMQ_SNDMORE.
enum class send_flags : int { none = 0, dontwait = 1, sndmore = 2 };
/// Flags for recv: the number is ZMQ_DONTWAIT.
enum class recv_flags : int { none = 0, dontwait = 1 };

constexpr send_flags operator|(send_flags a, send_flags b) noexcept {
    return static_cast<send_flags>(static_cast<int>(a) | static_cast<int>(b));
}
constexpr recv_flags operator|(recv_flags a, recv_flags b) noexcept {
    return static_cast<recv_flags>(static_cast<int>(a) | static_cast<int>(b));
}

/// Per-subscriber delivery counters of a PUB socket.
struct subscriber_counters {
    std::uint64_t sent;    ///< whole messages queued for this subscriber
    std::uint64_t dropped; ///< whole messages dropped because its queue was at SNDHWM
};

/// A PAIR, PUB, SUB, PUSH, PULL, XPUB or XSUB socket.
class socket {
public:
    /// Creates a socket in `ctx` (throws std::system_error, e.g. errc::terminated).
    socket(context& ctx, socket_type type);
    /// Non-throwing factory: an invalid socket and `ec` set on failure.
    socket(context& ctx, socket_type type, std::error_code& ec) noexcept;
    /// Closes the socket (see close()).
    ~socket();
    socket(socket&& other) noexcept;
    socket& operator=(socket&& other) noexcept;
    socket(const socket&) = delete;
    socket& operator=(const socket&) = delete;

    /// False after close() or a failed construction.
    explicit operator bool() const noexcept { return impl_ != nullptr; }
    socket_type type() const noexcept;

    /// Closes now; queued outbound messages are flushed in the background within LINGER.
    void close() noexcept;

    /// Endpoints: "tcp://host:port", "tcp://*:*" (ephemeral port, see opt::last_endpoint).
    void bind(std::string_view endpoint);
    void bind(std::string_view endpoint, std::error_code& ec) noexcept;
    void connect(std::string_view endpoint);
    void connect(std::string_view endpoint, std::error_code& ec) noexcept;
    void unbind(std::string_view endpoint);
    void unbind(std::string_view endpoint, std::error_code& ec) noexcept;
    void disconnect(std::string_view endpoint);
    void disconnect(std::string_view endpoint, std::error_code& ec) noexcept;

    /// Sends one frame (taking its content; `msg` is left empty on success). Returns false if
    /// it would block; throws on any other error.
    bool send(message& msg, send_flags flags = send_flags::none);
    /// As above; on failure returns false with `ec` set (would-block included).
    bool send(message& msg, send_flags flags, std::error_code& ec) noexcept;
    /// Copies `data` into a frame and sends it.
    bool send(std::string_view data, send_flags flags = send_flags::none);
    bool send(const void* data, std::size_t size, send_flags flags, std::error_code& ec) noexcept;

    /// Receives one frame into `msg` (its old content is dropped); msg.more() tells whether
    /// more frames of the same message follow. Returns false if it would block.
    bool recv(message& msg, recv_flags flags = recv_flags::none);
    bool recv(message& msg, recv_flags flags, std::error_code& ec) noexcept;

    /// Typed options, e.g. `s.set(opt::sndhwm, 10)`, `s.get(opt::last_endpoint)`.
    template <int Id, typename T> void set(option_tag<Id, T> tag, const T& value) {
        std::error_code ec;
        set(tag, value, ec);
        throw_if(ec, "setsockopt");
    }
    template <int Id, typename T>
    void set(option_tag<Id, T>, const T& value, std::error_code& ec) noexcept {
        if constexpr (std::is_same_v<T, std::string>)
            ec = set_option_raw(Id, value.data(), value.size());
        else
            ec = set_option_raw(Id, &value, sizeof value);
    }
    template <int Id, typename T> T get(option_tag<Id, T> tag) const {
        std::error_code ec;
        T value = get(tag, ec);
        throw_if(ec, "getsockopt");
        return value;
    }
    template <int Id, typename T> T get(option_tag<Id, T>, std::error_code& ec) const noexcept {
        if constexpr (std::is_same_v<T, std::string>) {
            char buf[1024];
            std::size_t size = sizeof buf;
            ec = get_option_raw(Id, buf, &size);
            if (ec || size == 0)
                return {};
            return std::string(buf, size - 1); // the raw form counts the trailing NUL
        } else {
            T value{};
            std::size_t size = sizeof value;
            ec = get_option_raw(Id, &value, &size);
            return value;
        }
    }

    /// zmq_setsockopt semantics: `size` must match the option's type exactly.
    std::error_code set_option_raw(int id, const void* value, std::size_t size) noexcept;
    /// zmq_getsockopt semantics: on entry *size is the buffer size, on exit the value size
    /// (strings include their terminating NUL).
    std::error_code get_option_raw(int id, void* value, std::size_t* size) const noexcept;

    /// Reports connection events to `fn` (from I/O threads); `mask` selects events by bit
    /// (0xFFFF = all). An empty `fn` stops monitoring (reporting monitor_stopped).
    void monitor(monitor_fn fn, std::uint32_t mask = 0xFFFF);

    /// PUB/XPUB: one entry per connected subscriber (in attach order); empty for other types.
    std::vector<subscriber_counters> subscribers() const;

    /// PUB/XPUB, "publish when subscribed" (the slow-joiner problem without sleeps): waits
    /// until at least `count` connected subscribers hold some subscription, or `timeout`
    /// passes (negative: forever). True when they have; false on timeout. Throws
    /// errc::not_supported on other socket types, ETERM / EINTR as a blocking recv would.
    /// An XPUB's reports are kept for recv(); with XPUB_MANUAL only what the application
    /// subscribed counts.
    bool wait_for_subscribers(std::size_t count, std::chrono::milliseconds timeout);
    bool wait_for_subscribers(std::size_t count, std::chrono::milliseconds timeout,
                              std::error_code& ec) noexcept;
    /// As above, until a message whose first frame is `topic` would reach at least `count`
    /// subscribers (their subscriptions match it).
    bool wait_for_topic(std::string_view topic, std::chrono::milliseconds timeout,
                        std::size_t count = 1);
    bool wait_for_topic(std::string_view topic, std::chrono::milliseconds timeout,
                        std::size_t count, std::error_code& ec) noexcept;

    /// Internal: the implementation (for the C API and tests).
    detail::socket_base* impl() const noexcept { return impl_.get(); }

private:
    static void throw_if(const std::error_code& ec, const char* what);

    std::shared_ptr<detail::socket_base> impl_;
};

} // namespace zmtp
