// upstream_queue: what an XPUB holds for its application to receive — subscription
// notifications (0x01/0x00 + topic) and messages its subscribers sent (an XSUB may send any),
// in arrival order, each frame with the subscriber it came from (XPUB_MANUAL needs it).
#pragma once

#include "zmtp/message.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <utility>

namespace zmtp::detail {

class upstream_queue {
public:
    struct entry {
        message frame;
        std::uint32_t from = 0;    ///< the subscriber's id; 0 if it already left
        bool notification = false; ///< a subscription report (sets XPUB_MANUAL's last peer)
    };

    void push(message&& frame, std::uint32_t from, bool notification) {
        items_.push_back(entry{std::move(frame), from, notification});
    }
    bool empty() const noexcept { return items_.empty(); }
    std::size_t size() const noexcept { return items_.size(); }
    /// Full at `limit` frames (0: never): the XPUB then stops reading its subscribers, so
    /// their pipes and TCP hold the rest instead of this queue growing without bound.
    bool full(std::size_t limit) const noexcept { return limit != 0 && items_.size() >= limit; }
    entry pop() {
        entry e = std::move(items_.front());
        items_.pop_front();
        return e;
    }

private:
    std::deque<entry> items_;
};

} // namespace zmtp::detail
