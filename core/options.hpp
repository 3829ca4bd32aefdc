// Socket options: one declarative table (number, type, range, default, who may set it) and the
// values of one socket. Validation follows zmq_setsockopt exactly (C-OPT-1): an int option
// needs sizeof(int) bytes, MAXMSGSIZE 8 bytes, out-of-range values and unknown numbers EINVAL.
#pragma once

#include "core/accept_filter.hpp"
#include "zmtp/socket_type.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

namespace zmtp::detail {

/// libzmq option numbers used by name inside the library.
enum option_id : int {
    opt_affinity = 4,
    opt_routing_id = 5,
    opt_subscribe = 6,
    opt_unsubscribe = 7,
    opt_sndbuf = 11,
    opt_rcvbuf = 12,
    opt_rcvmore = 13,
    opt_fd = 14,
    opt_events = 15,
    opt_type = 16,
    /// Internal (the C API's level-triggered ZMQ_FD on builds without epoll), never reachable
    /// through zmq_getsockopt: ZMQ_EVENTS, with the int in the buffer read first as a mask of
    /// wanted events; while one of them is pending, ZMQ_FD is left readable after the drain.
    opt_events_level = 0x7A02,
    opt_linger = 17,
    opt_reconnect_ivl = 18,
    opt_backlog = 19,
    opt_reconnect_ivl_max = 21,
    opt_maxmsgsize = 22,
    opt_sndhwm = 23,
    opt_rcvhwm = 24,
    opt_rcvtimeo = 27,
    opt_sndtimeo = 28,
    opt_last_endpoint = 32,
    opt_tcp_keepalive = 34,
    opt_tcp_keepalive_cnt = 35,
    opt_tcp_keepalive_idle = 36,
    opt_tcp_keepalive_intvl = 37,
    opt_tcp_accept_filter = 38,
    opt_immediate = 39,
    opt_ipv6 = 42,
    opt_tos = 57,
    opt_handshake_ivl = 66,
    opt_xpub_verbose = 40,
    opt_xpub_nodrop = 69,
    opt_xpub_manual = 71,
    opt_xpub_welcome_msg = 72,
    opt_xpub_verboser = 78,
    opt_xpub_manual_last_value = 98,
    opt_only_first_subscribe = 108,
    opt_heartbeat_ivl = 75,
    opt_heartbeat_ttl = 76,
    opt_heartbeat_timeout = 77,
    opt_connect_timeout = 79,
    opt_conflate = 54,
    opt_invert_matching = 74,
    opt_tcp_maxrt = 80,
    opt_use_fd = 89,
    opt_bindtodevice = 92,
    opt_max_option = 128,
};

/// The value type of an option, as zmq_setsockopt sees it.
enum class option_kind : std::uint8_t { none, int32, int64, uint64, text, read_only };

/// One row of the option table.
struct option_spec {
    option_kind kind;
    std::int64_t min;
    std::int64_t max;
    std::int64_t def;
};

/// Looks up an option number; kind == none for unknown numbers.
const option_spec& find_option(int id) noexcept;

/// The option values of one socket (copied into engines when they are made).
class socket_options {
public:
    explicit socket_options(socket_type type);

    /// Validates and stores a table option. Socket-specific options (SUBSCRIBE, ...) are
    /// handled by the socket before this.
    std::error_code set(int id, const void* value, std::size_t size);
    /// Reads a table option (zmq_getsockopt contract for *size).
    std::error_code get(int id, void* value, std::size_t* size) const;

    std::int64_t value(int id) const noexcept { return values_[static_cast<std::size_t>(id)]; }
    int int_value(int id) const noexcept { return static_cast<int>(value(id)); }

    int sndhwm() const noexcept { return int_value(opt_sndhwm); }
    int rcvhwm() const noexcept { return int_value(opt_rcvhwm); }
    int linger() const noexcept { return int_value(opt_linger); }
    int sndtimeo() const noexcept { return int_value(opt_sndtimeo); }
    int rcvtimeo() const noexcept { return int_value(opt_rcvtimeo); }
    int reconnect_ivl() const noexcept { return int_value(opt_reconnect_ivl); }
    int reconnect_ivl_max() const noexcept { return int_value(opt_reconnect_ivl_max); }
    int handshake_ivl() const noexcept { return int_value(opt_handshake_ivl); }
    int backlog() const noexcept { return int_value(opt_backlog); }
    int heartbeat_ivl() const noexcept { return int_value(opt_heartbeat_ivl); }
    /// Milliseconds, already rounded down to whole deciseconds (C-HB-3).
    int heartbeat_ttl() const noexcept { return int_value(opt_heartbeat_ttl); }
    /// -1 (never set) means "same as heartbeat_ivl".
    int heartbeat_timeout() const noexcept { return int_value(opt_heartbeat_timeout); }
    bool ipv6() const noexcept { return value(opt_ipv6) != 0; }
    std::int64_t maxmsgsize() const noexcept { return value(opt_maxmsgsize); }
    /// ZMQ_CONFLATE applies to the direction that carries a type's messages: PUB and PUSH
    /// conflate what they send, SUB and PULL what they receive (never the subscriptions). On
    /// PAIR it is accepted and has no effect, as in libzmq 4.3.4.
    bool conflate_outbound() const noexcept {
        return value(opt_conflate) != 0 && (type == socket_type::pub || type == socket_type::push);
    }
    bool conflate_inbound() const noexcept {
        return value(opt_conflate) != 0 && (type == socket_type::sub || type == socket_type::pull);
    }
    bool invert_matching() const noexcept { return value(opt_invert_matching) != 0; }
    bool immediate() const noexcept { return value(opt_immediate) != 0; }
    int connect_timeout() const noexcept { return int_value(opt_connect_timeout); }
    int use_fd() const noexcept { return int_value(opt_use_fd); }

    socket_type type;
    std::string last_endpoint;
    std::string routing_id;
    std::string bind_to_device;                ///< ZMQ_BINDTODEVICE ("" = none)
    std::vector<accept_filter> accept_filters; ///< ZMQ_TCP_ACCEPT_FILTER (none = accept all)

private:
    std::error_code set_text(int id, const void* value, std::size_t size);

    std::array<std::int64_t, opt_max_option> values_{};
};

/// Writes an int-like value into a zmq_getsockopt buffer (checks *size).
std::error_code put_int(int value, void* out, std::size_t* size) noexcept;

} // namespace zmtp::detail
