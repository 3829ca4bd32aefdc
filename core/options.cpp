// The option table (numbers and defaults of libzmq 4.3.4's zmq.h / options.cpp, C-OPT table)
// and zmq_setsockopt / zmq_getsockopt validation.
#include "core/options.hpp"

#include <climits>
#include <cstring>
#include <string_view>

namespace zmtp::detail {

namespace {

constexpr std::int64_t int_max = INT_MAX;
constexpr std::int64_t i64_max = INT64_MAX;

struct table {
    std::array<option_spec, opt_max_option> rows{};

    void add(int id, option_kind k, std::int64_t min, std::int64_t max,
                       std::int64_t def) {
        rows[static_cast<std::size_t>(id)] = option_spec{k, min, max, def};
    }

    table() {
        using k = option_kind;
        add(4, k::uint64, 0, i64_max, 0);              // AFFINITY
        add(opt_routing_id, k::text, 1, 255, 0);       // ROUTING_ID
        add(8, k::int32, 1, int_max, 100);             // RATE
        add(9, k::int32, 0, int_max, 10000);           // RECOVERY_IVL
        add(11, k::int32, -1, int_max, -1);            // SNDBUF
        add(12, k::int32, -1, int_max, -1);            // RCVBUF
        add(opt_rcvmore, k::read_only, 0, 0, 0);
        add(opt_fd, k::read_only, 0, 0, 0);
        add(opt_events, k::read_only, 0, 0, 0);
        add(opt_type, k::read_only, 0, 0, 0);
        add(opt_linger, k::int32, -1, int_max, -1);
        add(opt_reconnect_ivl, k::int32, -1, int_max, 100);
        add(opt_backlog, k::int32, 0, int_max, 100);
        add(opt_reconnect_ivl_max, k::int32, 0, int_max, 0);
        add(opt_maxmsgsize, k::int64, -1, i64_max, -1);
        add(opt_sndhwm, k::int32, 0, int_max, 1000);
        add(opt_rcvhwm, k::int32, 0, int_max, 1000);
        add(25, k::int32, 1, 255, 1);                  // MULTICAST_HOPS
        add(opt_rcvtimeo, k::int32, -1, int_max, -1);
        add(opt_sndtimeo, k::int32, -1, int_max, -1);
        add(opt_last_endpoint, k::read_only, 0, 0, 0);
        add(34, k::int32, -1, 1, -1);                  // TCP_KEEPALIVE
        add(35, k::int32, -1, int_max, -1);            // TCP_KEEPALIVE_CNT
        add(36, k::int32, -1, int_max, -1);            // TCP_KEEPALIVE_IDLE
        add(37, k::int32, -1, int_max, -1);            // TCP_KEEPALIVE_INTVL
        add(opt_immediate, k::int32, 0, 1, 0);
        add(opt_ipv6, k::int32, 0, 1, 0);
        add(43, k::read_only, 0, 0, 0);                // MECHANISM (always NULL = 0)
        add(opt_conflate, k::int32, 0, 1, 0);          // PUB, SUB, PUSH, PULL (PAIR: no effect)
        add(opt_tos, k::int32, 0, int_max, 0);         // IP_TOS (libzmq takes any int >= 0)
        add(opt_handshake_ivl, k::int32, 0, int_max, 30000);
        // PUB and SUB (read at each match); any int, non-zero reads back as 1, as libzmq.
        add(opt_invert_matching, k::int32, INT_MIN, int_max, 0);
        add(opt_heartbeat_ivl, k::int32, 0, int_max, 0);
        // libzmq divides by 100 before its range check, so -99..-1 are accepted as 0.
        add(opt_heartbeat_ttl, k::int32, -99, 6553599, 0);
        // libzmq refuses to set -1: it only reads back as the "same as IVL" default.
        add(opt_heartbeat_timeout, k::int32, 0, int_max, -1);
        add(opt_connect_timeout, k::int32, 0, int_max, 0);
        add(80, k::int32, 0, int_max, 0);              // TCP_MAXRT
        add(81, k::read_only, 0, 0, 0);                // THREAD_SAFE (0)
        add(84, k::int32, 1, int_max, 1500);           // MULTICAST_MAXTPDU
        add(89, k::int32, -1, int_max, -1);            // USE_FD
    }
};

const table& the_table() {
    static const table t;
    return t;
}

std::error_code invalid() { return std::make_error_code(std::errc::invalid_argument); }

} // namespace

const option_spec& find_option(int id) noexcept {
    static const option_spec none{option_kind::none, 0, 0, 0};
    if (id < 0 || id >= opt_max_option)
        return none;
    return the_table().rows[static_cast<std::size_t>(id)];
}

socket_options::socket_options(socket_type t) : type(t) {
    const auto& rows = the_table().rows;
    for (std::size_t i = 0; i < rows.size(); ++i)
        values_[i] = rows[i].def;
    // libzmq gives SUB (and XSUB) a default LINGER of 0, not -1 (C-SUB-8).
    if (t == socket_type::sub || t == socket_type::xsub)
        values_[opt_linger] = 0;
}

std::error_code socket_options::set_text(int id, const void* value, std::size_t size) {
    // NULL with length 0 clears both; an empty non-NULL value is EINVAL, as in libzmq.
    if (value == nullptr) {
        if (id == opt_bindtodevice)
            bind_to_device.clear();
        else
            accept_filters.clear();
        return {};
    }
    if (size == 0)
        return invalid();
    const std::string_view text(static_cast<const char*>(value), size);
    if (id == opt_bindtodevice) {
        if (size > 16) // IFNAMSIZ, the terminating NUL included
            return invalid();
        bind_to_device.assign(text.substr(0, text.find('\0')));
        return {};
    }
    accept_filter f;
    if (!accept_filter::parse(text, ipv6(), f))
        return invalid();
    accept_filters.push_back(f); // repeatable: a peer matching any entry is accepted
    return {};
}

std::error_code socket_options::set(int id, const void* value, std::size_t size) {
    const auto& spec = find_option(id);
    if (value == nullptr && size != 0)
        return invalid();
    if (id == opt_bindtodevice || id == opt_tcp_accept_filter)
        return set_text(id, value, size);
    std::int64_t v = 0;
    switch (spec.kind) {
    case option_kind::int32: {
        if (size != sizeof(int))
            return invalid();
        int i;
        std::memcpy(&i, value, sizeof i);
        v = i;
        break;
    }
    case option_kind::int64:
    case option_kind::uint64:
        if (size != sizeof(std::int64_t))
            return invalid();
        std::memcpy(&v, value, sizeof v);
        break;
    case option_kind::text:
        if (static_cast<std::int64_t>(size) < spec.min ||
            static_cast<std::int64_t>(size) > spec.max)
            return invalid();
        if (id == opt_routing_id)
            routing_id.assign(static_cast<const char*>(value), size);
        return {};
    default:
        return invalid();
    }
    if (spec.kind != option_kind::uint64 && (v < spec.min || v > spec.max))
        return invalid();
    if (id == opt_heartbeat_ttl)
        v = v / 100 * 100; // stored in deciseconds by libzmq (C-HB-3)
    if (id == opt_invert_matching)
        v = v != 0; // a "relaxed" boolean in libzmq
    values_[static_cast<std::size_t>(id)] = v;
    return {};
}

std::error_code put_int(int value, void* out, std::size_t* size) noexcept {
    if (!size || !out || *size < sizeof(int))
        return invalid();
    std::memcpy(out, &value, sizeof value);
    *size = sizeof value;
    return {};
}

std::error_code socket_options::get(int id, void* out, std::size_t* size) const {
    if (!size)
        return invalid();
    const auto& spec = find_option(id);
    if (id == opt_last_endpoint || id == opt_routing_id || id == opt_bindtodevice) {
        const std::string& s = id == opt_last_endpoint ? last_endpoint
                               : id == opt_routing_id  ? routing_id
                                                       : bind_to_device;
        const std::size_t need = s.size() + (id == opt_routing_id ? 0 : 1);
        if (*size < need || (!out && need))
            return invalid();
        if (need)
            std::memcpy(out, s.c_str(), need);
        *size = need;
        return {};
    }
    switch (spec.kind) {
    case option_kind::int32:
    case option_kind::read_only:
        return put_int(static_cast<int>(values_[static_cast<std::size_t>(id)]), out, size);
    case option_kind::int64:
    case option_kind::uint64:
        if (!out || *size < sizeof(std::int64_t))
            return invalid();
        std::memcpy(out, &values_[static_cast<std::size_t>(id)], sizeof(std::int64_t));
        *size = sizeof(std::int64_t);
        return {};
    default:
        return invalid();
    }
}

} // namespace zmtp::detail
