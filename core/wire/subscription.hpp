// Subscriptions on the wire: ZMTP 3.0 data messages prefixed 0x01/0x00 (RFC 23 §The
// Publish-Subscribe Pattern) and ZMTP 3.1 SUBSCRIBE/CANCEL commands (RFC 37); C-SUBW-1..6.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace zmtp::wire {

/// A decoded subscribe or cancel; `topic` views the caller's frame body.
struct subscription {
    bool subscribe = false; ///< true: subscribe, false: cancel
    std::string_view topic; ///< binary prefix; empty means everything
};

/// Appends one subscribe/cancel frame in the form the peer negotiated: a SUBSCRIBE/CANCEL
/// command for a 3.1+ peer (peer_minor >= 1), else a single-frame data message 0x01/0x00+topic.
/// LONG is computed from the final body size, so topics of 246..255 octets are framed right
/// (C-SUBW-6).
void append_subscription(std::vector<std::uint8_t> &out, bool subscribe, std::string_view topic,
                         std::uint8_t peer_minor);

/// Recognises both forms on any version (C-SUBW-4): a SUBSCRIBE/CANCEL command, or a data frame
/// whose first octet is 1 (subscribe) or 0 (cancel). Other commands, empty data frames and data
/// frames starting with any other octet give nullopt (C-SUBW-5). `flags` is the frame's
/// (normalised) flags octet; callers pass only the first frame of a message.
std::optional<subscription> decode_subscription(std::uint8_t flags, const std::uint8_t *body,
                                                std::size_t size) noexcept;

} // namespace zmtp::wire
