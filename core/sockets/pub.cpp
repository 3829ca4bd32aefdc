// PUB policy: subscriptions arrive as command messages on each subscriber's pipe (the engine
// turns both wire forms into them); sends match the trie, then write or drop per subscriber.
#include "core/sockets/pub.hpp"

#include <algorithm>
#include <cstring>

namespace zmtp::detail {

namespace {
std::error_code would_block() {
    return std::make_error_code(std::errc::resource_unavailable_try_again);
}
} // namespace

bool pub_socket::xattach(const pipe_end& p) {
    trie_.teardown_step(teardown_budget);
    subscribers_.push_back({p, next_id_++, {}, 0, 0, 0, false});
    return true;
}

void pub_socket::xdetach(const pipe_end& p) {
    auto it = std::find_if(subscribers_.begin(), subscribers_.end(),
                           [&](const subscriber& s) { return s.pipe == p; });
    if (it == subscribers_.end())
        return;
    // Its topics leave the trie a bounded number per send (teardown_budget), not all now: a
    // subscriber that held many would stall this send. Its id is never reused, and a match on
    // it meanwhile finds no subscriber and is skipped.
    trie_.retire(it->id, std::move(it->topics));
    subscribers_.erase(it);
}

pub_socket::subscriber* pub_socket::find(subscription_trie::id_type id) {
    for (auto& s : subscribers_)
        if (s.id == id)
            return &s;
    return nullptr;
}

void pub_socket::apply(subscriber& s, const message& m) {
    // Body: 1 = subscribe / 0 = cancel, then the topic. Anything else a subscriber sends is
    // discarded (C-SUBW-5); a CANCEL for an unknown topic is ignored (C-PUB-5).
    if (!m.is_command() || m.empty())
        return;
    const auto* body = static_cast<const char*>(m.data());
    const std::string_view topic(body + 1, m.size() - 1);
    if (body[0] == 1) {
        if (s.topics.count(std::string(topic)))
            return;
        if (s.topics.size() >= max_topics_per_subscriber ||
            s.topic_bytes + topic.size() > max_topic_bytes_per_subscriber) {
            s.over_limit = true;
            return;
        }
        s.topics.emplace(topic);
        s.topic_bytes += topic.size();
        trie_.add(topic, s.id);
    } else if (body[0] == 0) {
        if (s.topics.erase(std::string(topic))) {
            s.topic_bytes -= topic.size();
            trie_.remove(topic, s.id);
        }
    }
}

void pub_socket::read_subscriptions() {
    if (!take_pipe_activity())
        return;
    std::vector<pipe_end> gone;
    message m;
    std::vector<pipe_end> dropped;
    for (auto& s : subscribers_) {
        while (!s.over_limit && s.pipe.read(m))
            apply(s, m);
        if (s.over_limit)
            dropped.push_back(s.pipe);
        else if (s.pipe.peer_closed())
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

void pub_socket::invert_selection() {
    std::vector<subscription_trie::id_type> matched;
    matched.swap(selected_);
    for (const auto& s : subscribers_)
        if (std::find(matched.begin(), matched.end(), s.id) == matched.end())
            selected_.push_back(s.id);
}

std::error_code pub_socket::xsend(message& msg) {
    if (!sending_multipart_) {
        // The decision is made on the first frame, for the whole message (C-PUB-7).
        read_subscriptions();
        trie_.teardown_step(teardown_budget); // of subscribers that left (xdetach)
        selected_.clear();
        trie_.for_each_match(msg.view(), [&](subscription_trie::id_type id) {
            if (std::find(selected_.begin(), selected_.end(), id) == selected_.end())
                selected_.push_back(id);
        });
        if (options().invert_matching())
            invert_selection(); // ZMQ_INVERT_MATCHING: those with no matching subscription
        if (nodrop_) {
            for (auto id : selected_) {
                auto* s = find(id);
                if (s && !s->pipe.peer_closed() && !s->pipe.writable())
                    return would_block();
            }
        } else {
            selected_.erase(std::remove_if(selected_.begin(), selected_.end(),
                                           [&](subscription_trie::id_type id) {
                                               auto* s = find(id);
                                               if (!s || s->pipe.peer_closed())
                                                   return true;
                                               if (s->pipe.writable())
                                                   return false;
                                               ++s->dropped; // at SNDHWM: drop for this one only
                                               return true;
                                           }),
                            selected_.end());
        }
    }
    const bool more = msg.more();
    std::size_t remaining = selected_.size();
    for (auto id : selected_) {
        --remaining;
        auto* s = find(id);
        if (!s)
            continue; // left in the middle of a message
        if (remaining == 0)
            s->pipe.write(std::move(msg)); // the last receiver takes the original
        else
            s->pipe.write(msg.share()); // large bodies are shared, not copied
        if (!more)
            ++s->sent;
    }
    sending_multipart_ = more;
    if (!more)
        selected_.clear();
    msg = message();
    return {};
}

std::error_code pub_socket::xrecv(message&) {
    return std::make_error_code(std::errc::not_supported); // C-PUB-9
}

std::error_code pub_socket::xsetsockopt(int id, const void* value, std::size_t size) {
    if (id != opt_xpub_nodrop)
        return std::make_error_code(std::errc::not_supported);
    if (size != sizeof(int) || !value)
        return std::make_error_code(std::errc::invalid_argument);
    int v;
    std::memcpy(&v, value, sizeof v);
    nodrop_ = v != 0;
    return {};
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> pub_socket::peer_counters() {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    for (const auto& s : subscribers_)
        out.emplace_back(s.sent, s.dropped);
    return out;
}

} // namespace zmtp::detail
