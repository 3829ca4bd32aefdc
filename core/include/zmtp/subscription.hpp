// Subscription reports of an XPUB socket, typed: what a subscriber asked for, without parsing
// the 0x01/0x00 prefix of libzmq's wire-compatible form by hand.
#pragma once

#include "zmtp/message.hpp"

#include <optional>
#include <string>

namespace zmtp {

/// One subscription change an XPUB reports (see opt::xpub_verbose and friends for which).
struct subscription_event {
    bool subscribe = false; ///< true: a subscriber asked for `topic`; false: it is gone
    std::string topic;      ///< the prefix; empty means "everything"
};

/// The subscription report in `msg` (received from an XPUB), or nullopt if `msg` is anything
/// else, e.g. a message an XSUB subscriber sent upstream. The frame itself still reads as
/// libzmq's 0x01/0x00 + topic, so code written for either form works.
std::optional<subscription_event> as_subscription(const message& msg);

} // namespace zmtp
