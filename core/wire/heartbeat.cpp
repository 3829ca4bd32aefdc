// PING/PONG builders and PING parser (RFC 37 §Connection Heartbeating; C-HB-1, C-HB-4).
#include "core/wire/heartbeat.hpp"

#include "core/wire/byte_order.hpp"

namespace zmtp::wire {
namespace {
constexpr std::size_t ttl_size = 2;
}

void append_ping(std::vector<std::uint8_t> &out, std::uint16_t ttl_ds, std::string_view context) {
    context = context.substr(0, max_ping_context);
    append_command_header(out, ping_command, ttl_size + context.size());
    detail::append_be(out, ttl_ds, ttl_size);
    detail::append_chars(out, context);
}

void append_pong(std::vector<std::uint8_t> &out, std::string_view context) {
    context = context.substr(0, max_ping_context);
    append_command_header(out, pong_command, context.size());
    detail::append_chars(out, context);
}

ping_view parse_ping(const command_view &cmd) noexcept {
    ping_view ping;
    if (cmd.size < ttl_size) {
        return ping;
    }
    ping.ttl_ds = static_cast<std::uint16_t>(detail::load_be(cmd.data, ttl_size));
    ping.context = {reinterpret_cast<const char *>(cmd.data + ttl_size), cmd.size - ttl_size};
    return ping;
}

} // namespace zmtp::wire
