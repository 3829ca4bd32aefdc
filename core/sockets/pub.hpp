// PUB and XPUB (RFC 29): fan each message out to every subscriber whose subscriptions match
// its first frame (prefix tree), never block and drop whole messages for a subscriber whose
// queue is at SNDHWM (C-PUB-1..8); with ZMQ_XPUB_NODROP they block / give EAGAIN instead
// (C-PUB-11). With ZMQ_INVERT_MATCHING they send to the subscribers with no matching
// subscription. XPUB also hands the application what subscribers send: their subscriptions
// as 0x01/0x00 + topic (C-PUB-12) and any other message (from an XSUB). One class, as in
// libzmq, so the XPUB options work on PUB alike (a PUB simply never reports anything).
// Reading what subscribers send lives in pub_upstream.cpp.
#pragma once

#include "core/socket_base.hpp"
#include "core/sockets/subscription_trie.hpp"
#include "core/sockets/upstream_queue.hpp"

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace zmtp::detail {

class metadata;

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
    /// `type` is socket_type::pub or socket_type::xpub.
    pub_socket(std::shared_ptr<context_impl> ctx, socket_type type)
        : socket_base(std::move(ctx), type), xpub_(type == socket_type::xpub) {}

    std::vector<std::pair<std::uint64_t, std::uint64_t>> peer_counters() override;

protected:
    bool subscribed(std::size_t subscribers, const std::string* topic) override;
    bool xattach(const pipe_end& p) override;
    void xdetach(const pipe_end& p) override;
    std::error_code xsend(message& msg) override;
    std::error_code xrecv(message& msg) override;
    bool xhas_in() override;
    bool xhas_out() override { return true; }
    std::error_code xsetsockopt(int id, const void* value, std::size_t size) override;

private:
    using id_type = subscription_trie::id_type;
    struct subscriber {
        pipe_end pipe;
        id_type id;
        std::set<std::string> topics; ///< set semantics per peer, as libzmq (C-PUB-4)
        std::set<std::string> asked;  ///< XPUB_MANUAL: what it asked for (reported on leave)
        std::uint64_t sent = 0;
        std::uint64_t dropped = 0;
        std::size_t topic_bytes = 0;
        std::uint64_t selected_in = 0; ///< the send that selected it last (de-duplication)
        bool over_limit = false;       ///< asked for more than the caps allow: being dropped
        /// XPUB, reports queue full: the message read from it that waits for room (only data
        /// waits; a lone subscription is applied at once).
        std::vector<message> held;
    };

    // ---- what subscribers send (pub_upstream.cpp) ----
    /// Applies what subscribers sent since the last call (none if no pipe woke the socket).
    void read_subscriptions();
    /// One frame from subscriber `s`: a subscription, or (XPUB) a message for the application.
    void take_upstream(subscriber& s, message& m);
    void subscribe(subscriber& s, std::string_view topic, bool from_peer);
    void unsubscribe(subscriber& s, std::string_view topic, bool from_peer);
    /// Queues 0x01/0x00 + topic for the application (XPUB only).
    void notify(bool subscribe, std::string_view topic, id_type from);
    /// Room for reports and messages in upstream_ (nothing waits in overflow_ either).
    bool upstream_room() const;
    /// Moves reports from overflow_ into upstream_ while there is room.
    void drain_overflow();
    /// A subscriber left: its topics go (and XPUB reports what nobody else wants any more).
    void forget_topics(subscriber& s);
    std::error_code manual_subscription(int id, const void* value, std::size_t size);

    /// Selects every subscriber that the current selection (the matching ones) leaves out.
    void invert_selection();
    subscriber* find(id_type id);
    void reindex();

    const bool xpub_;
    std::vector<subscriber> subscribers_;
    std::unordered_map<id_type, std::size_t> index_; ///< id -> position in subscribers_
    /// Live subscribers holding each topic (XPUB: "first to subscribe" / "last to leave").
    std::unordered_map<std::string, std::size_t> holders_;
    subscription_trie trie_;
    id_type next_id_ = 1;
    std::vector<id_type> selected_; ///< receivers of the current message
    std::uint64_t send_count_ = 0;
    bool sending_multipart_ = false;
    upstream_queue upstream_; ///< XPUB: what the application will receive
    /// Reports made while upstream_ was at RCVHWM: the latest per (subscriber in manual mode,
    /// topic), an opposite pending one cancelling out (the application's view is unchanged).
    std::map<std::pair<id_type, std::string>, bool> overflow_;

    // Options (libzmq 4.3.4 xpub semantics; write-only, any int >= 0).
    bool nodrop_ = false;
    bool verbose_subs_ = false;       ///< XPUB_VERBOSE / VERBOSER: every subscribe reported
    bool verbose_unsubs_ = false;     ///< XPUB_VERBOSER: every unsubscribe reported
    bool manual_ = false;             ///< XPUB_MANUAL: the application subscribes its peers
    bool send_last_pipe_ = false;     ///< XPUB_MANUAL_LAST_VALUE
    bool only_first_ = false;         ///< ONLY_FIRST_SUBSCRIBE
    message welcome_;                 ///< XPUB_WELCOME_MSG (empty: none)
    id_type last_pipe_ = 0;           ///< manual mode: whom ZMQ_SUBSCRIBE applies to (0: none)
    bool more_in_ = false;            ///< upstream: inside a multipart message
    bool process_subscribe_ = true;   ///< upstream: frames of this message may subscribe
    bool upstream_stalled_ = false;   ///< some subscriber's held message waits for room
    metadata* report_meta_ = nullptr; ///< the connection metadata reports made now carry
};

} // namespace zmtp::detail
