// PUB (RFC 29): fans each message out to every subscriber whose subscriptions match its first
// frame (prefix tree), never blocks and drops whole messages for a subscriber whose queue is
// at SNDHWM (C-PUB-1..8); with ZMQ_XPUB_NODROP it blocks / gives EAGAIN instead (C-PUB-11).
// With ZMQ_INVERT_MATCHING it sends to the subscribers that have no matching subscription.
#pragma once

#include "core/socket_base.hpp"
#include "core/sockets/subscription_trie.hpp"

#include <set>
#include <string>
#include <vector>

namespace zmtp::detail {

/// What one subscriber may make a PUB store (libzmq has no limit): distinct topics, and their
/// bytes. A subscriber that asks for more is dropped (its connection closed, DISCONNECTED on
/// the monitor); the PUB keeps serving the others.
constexpr std::size_t max_topics_per_subscriber = 10'000;
constexpr std::size_t max_topic_bytes_per_subscriber = 1 << 20;
/// Topics of departed subscribers removed from the trie per send (or attach): bounds what one
/// send pays for others leaving (~0.3 ms at worst, measured), while a steady sender still
/// clears a full subscriber's 10 000 topics within 40 sends.
constexpr std::size_t teardown_budget = 256;

class pub_socket final : public socket_base {
public:
    explicit pub_socket(std::shared_ptr<context_impl> ctx)
        : socket_base(std::move(ctx), socket_type::pub) {}

    std::vector<std::pair<std::uint64_t, std::uint64_t>> peer_counters() override;

protected:
    bool xattach(const pipe_end& p) override;
    void xdetach(const pipe_end& p) override;
    std::error_code xsend(message& msg) override;
    std::error_code xrecv(message& msg) override;
    bool xhas_in() override { return false; }
    bool xhas_out() override { return true; }
    std::error_code xsetsockopt(int id, const void* value, std::size_t size) override;

private:
    struct subscriber {
        pipe_end pipe;
        subscription_trie::id_type id;
        std::set<std::string> topics; ///< set semantics per peer, as libzmq (C-PUB-4)
        std::uint64_t sent = 0;
        std::uint64_t dropped = 0;
        std::size_t topic_bytes = 0;
        bool over_limit = false; ///< asked for more than the caps allow: being dropped
    };

    void read_subscriptions();
    /// Selects every subscriber that the current selection (the matching ones) leaves out.
    void invert_selection();
    void apply(subscriber& s, const message& m);
    subscriber* find(subscription_trie::id_type id);

    std::vector<subscriber> subscribers_;
    subscription_trie trie_;
    subscription_trie::id_type next_id_ = 1;
    std::vector<subscription_trie::id_type> selected_; ///< receivers of the current message
    bool sending_multipart_ = false;
    bool nodrop_ = false;
};

} // namespace zmtp::detail
