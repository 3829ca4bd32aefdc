// SUB and XSUB (RFC 29): count their subscriptions locally (subscribe twice, unsubscribe once:
// still subscribed; CANCEL only for the last, C-SUB-4), send them to every publisher and again
// after each reconnect (C-SUB-5), fair-queue receives across publishers. SUB subscribes through
// ZMQ_SUBSCRIBE, filters locally too (C-SUB-3) and never sends (ENOTSUP, C-SUB-2). XSUB
// subscribes by sending 0x01/0x00 + topic, sends any other message to every publisher (as
// libzmq's XSUB, xsub_send.cpp), and delivers what publishers send unfiltered. One class, as
// in libzmq.
#pragma once

#include "core/socket_base.hpp"
#include "core/sockets/fair_queue.hpp"
#include "core/sockets/subscription_outbox.hpp"
#include "core/sockets/subscription_trie.hpp"

#include <map>
#include <string>
#include <vector>

namespace zmtp::detail {

class sub_socket final : public socket_base {
public:
    /// `type` is socket_type::sub or socket_type::xsub.
    sub_socket(std::shared_ptr<context_impl> ctx, socket_type type)
        : socket_base(std::move(ctx), type), xsub_(type == socket_type::xsub) {}

protected:
    bool xattach(const pipe_end& p) override;
    void xdetach(const pipe_end& p) override;
    void xhiccup(const pipe_end& p) override;
    std::error_code xsend(message& msg) override;
    std::error_code xrecv(message& msg) override;
    bool xhas_in() override;
    bool xhas_out() override { return xsub_; } // XSUB never blocks: full pipes drop
    std::error_code xsetsockopt(int id, const void* value, std::size_t size) override;

private:
    /// Counts one subscribe (true) or unsubscribe of `topic`; false for an unsubscribe of a
    /// topic not subscribed (nothing to send then).
    bool count(bool subscribe, std::string_view topic);
    /// Sends a subscription change to every publisher: as a command (ZMQ_SUBSCRIBE, and the
    /// re-sends), or as the data frame an XSUB application sent (libzmq's wire form for it).
    void send_subscription(bool subscribe, std::string_view topic, bool as_data);
    /// XSUB: a frame for every publisher; the first frame picks those with room (the others
    /// lose the whole message, as libzmq's XSUB).
    void send_to_all(message& msg, bool first);
    void send_all_subscriptions(subscription_outbox& out);
    subscription_outbox* outbox(const pipe_end& p);
    /// Sends subscription changes that waited for room in a publisher's pipe.
    void flush_outboxes();
    /// Reads the next matching first frame into prefetched_ (fair-queued); false if none.
    bool fetch_next();

    fair_queue queue_; ///< the publishers, received from in turn
    message prefetched_;
    bool has_prefetched_ = false;
    std::map<std::string, int, std::less<>> counts_;
    subscription_trie trie_; ///< distinct topics, for local filtering
    std::vector<subscription_outbox> outboxes_; ///< one per publisher
    bool outboxes_waiting_ = false;             ///< some outbox holds changes
    const bool xsub_;
    // XSUB sending (libzmq 4.3.4's rules for which frames are subscriptions).
    bool only_first_ = false;         ///< ONLY_FIRST_SUBSCRIBE
    bool more_out_ = false;           ///< inside a multipart message being sent
    bool process_subscribe_ = true;   ///< frames of this message may subscribe
    std::vector<pipe_end> receivers_; ///< publishers taking the message being sent
};

} // namespace zmtp::detail
