// SUB (RFC 29): counts its subscriptions locally (subscribe twice, unsubscribe once: still
// subscribed; CANCEL only for the last, C-SUB-4), sends them to every publisher and again after
// each reconnect (C-SUB-5), fair-queues receives across publishers and filters locally too
// (C-SUB-3). Never sends messages (ENOTSUP, C-SUB-2).
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
    explicit sub_socket(std::shared_ptr<context_impl> ctx)
        : socket_base(std::move(ctx), socket_type::sub) {}

protected:
    bool xattach(const pipe_end& p) override;
    void xdetach(const pipe_end& p) override;
    void xhiccup(const pipe_end& p) override;
    std::error_code xsend(message& msg) override;
    std::error_code xrecv(message& msg) override;
    bool xhas_in() override;
    bool xhas_out() override { return false; }
    std::error_code xsetsockopt(int id, const void* value, std::size_t size) override;

private:
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
};

} // namespace zmtp::detail
