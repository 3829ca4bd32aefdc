// PUB/XPUB receive side: what subscribers send. Subscriptions arrive as command messages
// (3.1 SUBSCRIBE/CANCEL, turned into 1/0 + topic by the engine or sent so by our SUB over
// inproc) or as data frames starting with 1/0 (3.0 peers, XSUB); XPUB reports them to the
// application with libzmq 4.3.4's rules (C-PUB-12, src/xpub.cpp behaviour observed in tests):
// a subscribe when the topic gets its first holder (every one with VERBOSE), an unsubscribe
// when it loses its last one (every one with VERBOSER, and one for a topic the peer did not
// hold), and other frames are passed on as they came.
#include "core/sockets/pub.hpp"

#include "core/metadata.hpp"

#include <cstring>

namespace zmtp::detail {

namespace {
std::error_code would_block() {
    return std::make_error_code(std::errc::resource_unavailable_try_again);
}
} // namespace

bool pub_socket::upstream_room() const {
    // XPUB: RCVHWM bounds the frames waiting for the application (0: no bound).
    const auto limit = static_cast<std::size_t>(options().rcvhwm());
    return !upstream_.full(limit) && overflow_.empty();
}

void pub_socket::drain_overflow() {
    const auto limit = static_cast<std::size_t>(options().rcvhwm());
    while (!overflow_.empty() && !upstream_.full(limit)) {
        auto it = overflow_.begin();
        const auto& topic = it->first.second;
        message m(topic.size() + 1);
        auto* d = static_cast<char*>(m.data());
        d[0] = it->second ? 1 : 0;
        if (!topic.empty())
            std::memcpy(d + 1, topic.data(), topic.size());
        m.set_command(true);
        upstream_.push(std::move(m), it->first.first, true);
        overflow_.erase(it);
    }
}

void pub_socket::read_subscriptions() {
    if (!take_pipe_activity() && !upstream_stalled_)
        return;
    upstream_stalled_ = false;
    std::vector<pipe_end> gone;
    std::vector<pipe_end> dropped;
    message m;
    for (auto& s : subscribers_) {
        if (!s.held.empty()) { // a message that waited for room goes first, whole
            if (!upstream_room()) {
                upstream_stalled_ = true;
                continue;
            }
            for (auto& f : s.held)
                take_upstream(s, f);
            s.held.clear();
        }
        while (!s.over_limit && s.pipe.read(m)) {
            // Subscriptions always take effect, as libzmq's. With the application's queue
            // full (an XPUB never read, say), their reports are coalesced (notify); any other
            // message waits whole in `held`, and this subscriber's pipe (then TCP) holds the
            // rest, so memory stays bounded.
            const auto* body = static_cast<const char*>(m.data());
            const bool lone_subscription =
                !m.more() && !more_in_ && (m.is_command() || (m.size() > 0 && body[0] <= 1));
            if (!xpub_ || lone_subscription || upstream_room()) {
                take_upstream(s, m);
                continue;
            }
            s.held.push_back(std::move(m));
            while (s.held.back().more() && s.pipe.read(m))
                s.held.push_back(std::move(m));
            upstream_stalled_ = true;
            break;
        }
        if (s.over_limit)
            dropped.push_back(s.pipe);
        else if (s.held.empty() && s.pipe.peer_closed())
            gone.push_back(s.pipe);
    }
    for (auto& p : gone)
        detach_if_drained(p);
    // Over a cap: its topics leave the trie and its connection is closed as a protocol error
    // (DISCONNECTED on the monitor; a connecting PUB does not redial, the peer would only ask
    // again). The other subscribers are served as before.
    for (auto& p : dropped)
        drop_pipe(p, close_reason::dropped);
}

void pub_socket::take_upstream(subscriber& s, message& m) {
    const bool first = !more_in_;
    more_in_ = m.more();
    const auto* body = static_cast<const char*>(m.data());
    // Every frame may be a subscription, unless ONLY_FIRST_SUBSCRIBE is set and the message
    // did not start with one (then it is passed on whole, as libzmq does).
    const bool looks_like_one = m.is_command() || (m.size() > 0 && (body[0] == 0 || body[0] == 1));
    const bool is_subscription = (first || process_subscribe_) && looks_like_one;
    if (first)
        process_subscribe_ = !only_first_ || is_subscription;
    if (is_subscription) {
        if (m.empty())
            return; // an empty command carries nothing
        const std::string_view topic(body + 1, m.size() - 1);
        // A report carries its subscriber's connection metadata (zmq_msg_gets "Peer-Address"
        // on it works, as in libzmq).
        report_meta_ = message_metadata::take(m);
        if (body[0] == 1)
            subscribe(s, topic, true);
        else if (body[0] == 0)
            unsubscribe(s, topic, true);
        if (report_meta_)
            report_meta_->release();
        report_meta_ = nullptr;
        return;
    }
    // Anything else: XPUB hands it to the application; PUB discards it (C-SUBW-5).
    if (xpub_ && !m.is_command())
        upstream_.push(std::move(m), s.id, false);
}

void pub_socket::subscribe(subscriber& s, std::string_view topic, bool from_peer) {
    if (from_peer && manual_) {
        // XPUB_MANUAL: reported, remembered for the leave report, applied only by the
        // application (ZMQ_SUBSCRIBE after reading it).
        if (!s.asked.count(std::string(topic))) {
            if (s.asked.size() >= max_topics_per_subscriber) {
                s.over_limit = true;
                return;
            }
            s.asked.emplace(topic);
        }
        notify(true, topic, s.id);
        return;
    }
    bool first_holder = false;
    if (!s.topics.count(std::string(topic))) {
        // The caps guard against peers; what the application subscribes is its own business.
        if (from_peer && (s.topics.size() >= max_topics_per_subscriber ||
                          s.topic_bytes + topic.size() > max_topic_bytes_per_subscriber)) {
            s.over_limit = true;
            return;
        }
        s.topics.emplace(topic);
        s.topic_bytes += topic.size();
        trie_.add(topic, s.id);
        if (xpub_)
            first_holder = holders_[std::string(topic)]++ == 0;
    }
    if (from_peer && (first_holder || verbose_subs_))
        notify(true, topic, s.id);
}

void pub_socket::unsubscribe(subscriber& s, std::string_view topic, bool from_peer) {
    if (from_peer && manual_) {
        s.asked.erase(std::string(topic));
        notify(false, topic, s.id);
        return;
    }
    bool held = false;
    bool last_holder = false;
    if (s.topics.erase(std::string(topic))) { // an unknown CANCEL changes nothing (C-PUB-5)
        held = true;
        s.topic_bytes -= topic.size();
        trie_.remove(topic, s.id);
        if (xpub_) {
            auto it = holders_.find(std::string(topic));
            if (it != holders_.end() && --it->second == 0) {
                holders_.erase(it);
                last_holder = true;
            }
        }
    }
    // libzmq reports a cancel the peer had no subscription for, too.
    if (from_peer && (!held || last_holder || verbose_unsubs_))
        notify(false, topic, s.id);
}

void pub_socket::notify(bool subscribe, std::string_view topic, id_type from) {
    if (!xpub_)
        return; // a PUB has no way to hand them out
    if (!upstream_room()) {
        // Coalesced until the application reads. Reports of a topic alternate (first holder,
        // last holder), so an opposite one that waits cancels out; a repeat (VERBOSE) keeps
        // one. Manual mode keys by subscriber: ZMQ_SUBSCRIBE applies to the one reported.
        const std::pair<id_type, std::string> key{manual_ ? from : 0, std::string(topic)};
        auto it = overflow_.find(key);
        if (it == overflow_.end())
            overflow_.emplace(key, subscribe);
        else if (it->second != subscribe)
            overflow_.erase(it);
        return;
    }
    message m(topic.size() + 1);
    auto* d = static_cast<char*>(m.data());
    d[0] = subscribe ? 1 : 0;
    if (!topic.empty())
        std::memcpy(d + 1, topic.data(), topic.size());
    m.set_command(true); // tells as_subscription() it is a report, not a peer's message
    if (report_meta_) {
        report_meta_->add_ref();
        message_metadata::give(m, report_meta_);
    }
    upstream_.push(std::move(m), from, true);
}

void pub_socket::forget_topics(subscriber& s) {
    // Reported in topic order, as libzmq walks its trie: in manual mode every topic the peer
    // asked for; otherwise those nobody else holds (every one with VERBOSER).
    if (manual_)
        for (const auto& t : s.asked)
            notify(false, t, 0);
    if (xpub_) {
        for (const auto& t : s.topics) {
            auto it = holders_.find(t);
            const bool last = it != holders_.end() && --it->second == 0;
            if (last)
                holders_.erase(it);
            if (!manual_ && (last || verbose_unsubs_))
                notify(false, t, 0);
        }
    }
    // Its topics leave the trie a bounded number per send (teardown_budget), not all now: a
    // subscriber that held many would stall this send. Its id is never reused, and a match on
    // it meanwhile finds no subscriber and is skipped.
    trie_.retire(s.id, std::move(s.topics));
}

std::error_code pub_socket::manual_subscription(int id, const void* value, std::size_t size) {
    // Only with XPUB_MANUAL (else EINVAL, as on a PUB: C-PUB-9); applies to the subscriber
    // whose subscription the application read last, and to nobody if there is none.
    if (!manual_ || (!value && size))
        return std::make_error_code(std::errc::invalid_argument);
    auto* s = last_pipe_ ? find(last_pipe_) : nullptr;
    if (!s)
        return {};
    const std::string_view topic(static_cast<const char*>(value), value ? size : 0);
    if (id == opt_subscribe)
        subscribe(*s, topic, false);
    else
        unsubscribe(*s, topic, false);
    return {};
}

std::error_code pub_socket::xrecv(message& msg) {
    if (!xpub_)
        return std::make_error_code(std::errc::not_supported); // C-PUB-9
    read_subscriptions();
    if (upstream_.empty())
        return would_block();
    auto e = upstream_.pop();
    drain_overflow();
    if (manual_ && e.notification)
        last_pipe_ = find(e.from) ? e.from : 0;
    msg = std::move(e.frame);
    return {};
}

bool pub_socket::xhas_in() {
    if (!xpub_)
        return false;
    read_subscriptions();
    return !upstream_.empty();
}

} // namespace zmtp::detail
