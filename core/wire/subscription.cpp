// Subscription encoder (version-dependent) and decoder (both forms) — RFC 23 / RFC 37 §The
// Publish-Subscribe Pattern; C-SUBW-1..6.
#include "core/wire/subscription.hpp"

#include "core/wire/byte_order.hpp"
#include "core/wire/command_frame.hpp"
#include "core/wire/frame.hpp"

namespace zmtp::wire {
namespace {
constexpr std::uint8_t legacy_subscribe = 0x01;
constexpr std::uint8_t legacy_cancel = 0x00;
} // namespace

void append_subscription(std::vector<std::uint8_t> &out, bool subscribe, std::string_view topic,
                         std::uint8_t peer_minor) {
    if (peer_minor >= 1) {
        append_command_header(out, subscribe ? subscribe_command : cancel_command, topic.size());
        detail::append_chars(out, topic);
        return;
    }
    // 3.0 peer: the prefix octet counts toward the size that picks short vs long.
    std::uint8_t header[max_header_size];
    const std::size_t header_size = encode_frame_header(header, 1 + topic.size(), false, false);
    out.insert(out.end(), header, header + header_size);
    out.push_back(subscribe ? legacy_subscribe : legacy_cancel);
    detail::append_chars(out, topic);
}

std::optional<subscription> decode_subscription(std::uint8_t flags, const std::uint8_t *body,
                                                std::size_t size) noexcept {
    if ((flags & flag_command) != 0) {
        const auto cmd = parse_command(body, size);
        if (!cmd || (cmd->name != subscribe_command && cmd->name != cancel_command)) {
            return std::nullopt;
        }
        return subscription{cmd->name == subscribe_command, data_string(*cmd)};
    }
    if (size < 1 || (body[0] != legacy_subscribe && body[0] != legacy_cancel)) {
        return std::nullopt;
    }
    return subscription{body[0] == legacy_subscribe,
                        {reinterpret_cast<const char *>(body + 1), size - 1}};
}

} // namespace zmtp::wire
