// subscription_outbox: a SUB's subscription commands on their way to one publisher. They go
// straight into the pipe while it has room; once it is at SNDHWM (no connection yet, or a
// publisher that does not read) later changes are coalesced per topic, the latest winning, and
// sent when room returns. A PUB keeps a set per subscriber, so the latest change of each topic
// gives it the same state as every change in order. A CANCEL is kept only for a topic whose
// SUBSCRIBE was written (the publisher may have it); for one that never left, the pending
// SUBSCRIBE is simply forgotten. So churning subscriptions while disconnected, even over
// distinct topics, queues at most SNDHWM commands plus one change per subscribed topic.
#pragma once

#include "core/pipe.hpp"

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace zmtp::detail {

class subscription_outbox {
public:
    explicit subscription_outbox(pipe_end p) : pipe_(std::move(p)) {}

    const pipe_end& pipe() const noexcept { return pipe_; }
    /// SUBSCRIBE (true) or CANCEL (false) for `topic`: written now, or kept for flush(). A
    /// command (the engine picks the peer's wire form), or with `as_data` the 0x01/0x00 +
    /// topic data frame that an XSUB application sent (libzmq's XSUB sends those as data).
    void send(bool subscribe, std::string_view topic, bool as_data = false);
    /// Writes what waits as far as the pipe has room; true when nothing waits any more.
    bool flush();
    bool idle() const noexcept { return pending_.empty(); }
    /// Forgets what waits (a new connection: the publisher starts from nothing).
    void clear() noexcept { pending_.clear(); }

private:
    struct change {
        bool subscribe;
        bool as_data;
    };
    /// Writes one change if the pipe has room.
    bool write(bool subscribe, std::string_view topic, bool as_data);

    pipe_end pipe_;
    std::map<std::string, change, std::less<>> pending_; ///< the latest change per topic
    /// Topics whose last command written was SUBSCRIBE: the publisher may hold them.
    std::set<std::string, std::less<>> written_;
};

} // namespace zmtp::detail
