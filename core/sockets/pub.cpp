// PUB/XPUB send side: match the first frame in the trie, then write or drop per subscriber;
// attach (welcome message), detach, options. What subscribers send: pub_upstream.cpp.
#include "core/sockets/pub.hpp"

#include <algorithm>
#include <cstring>

namespace zmtp::detail {

namespace {
std::error_code would_block() {
    return std::make_error_code(std::errc::resource_unavailable_try_again);
}
std::error_code invalid() {
    return std::make_error_code(std::errc::invalid_argument);
}
} // namespace

bool pub_socket::xattach(const pipe_end& p) {
    trie_.teardown_step(teardown_budget);
    subscribers_.push_back({p, next_id_++, {}, {}, 0, 0, 0, 0, false, {}});
    index_[subscribers_.back().id] = subscribers_.size() - 1;
    // XPUB_WELCOME_MSG: the first thing every new subscriber receives, before any match.
    if (!welcome_.empty())
        subscribers_.back().pipe.write(welcome_.share());
    return true;
}

void pub_socket::xdetach(const pipe_end& p) {
    auto it = std::find_if(subscribers_.begin(), subscribers_.end(),
                           [&](const subscriber& s) { return s.pipe == p; });
    if (it == subscribers_.end())
        return;
    forget_topics(*it);
    if (last_pipe_ == it->id)
        last_pipe_ = 0;
    subscribers_.erase(it);
    reindex();
}

void pub_socket::reindex() {
    index_.clear();
    for (std::size_t i = 0; i < subscribers_.size(); ++i)
        index_[subscribers_[i].id] = i;
}

pub_socket::subscriber* pub_socket::find(id_type id) {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &subscribers_[it->second];
}

void pub_socket::invert_selection() {
    // Selected subscribers carry this send's number; everyone else is the new selection.
    selected_.clear();
    for (const auto& s : subscribers_)
        if (s.selected_in != send_count_)
            selected_.push_back(s.id);
}

std::error_code pub_socket::xsend(message& msg) {
    if (!sending_multipart_) {
        // The decision is made on the first frame, for the whole message (C-PUB-7).
        read_subscriptions();
        trie_.teardown_step(teardown_budget); // of subscribers that left (xdetach)
        selected_.clear();
        ++send_count_;
        // XPUB_MANUAL_LAST_VALUE: the first message after a subscription goes to the
        // subscriber that asked (if its subscriptions match), and to nobody else.
        const bool only_last = manual_ && send_last_pipe_ && last_pipe_ != 0;
        const id_type last = last_pipe_;
        if (only_last)
            last_pipe_ = 0;
        trie_.for_each_match(msg.view(), [&](id_type id) {
            auto* s = find(id);
            if (!s || s->selected_in == send_count_ || (only_last && id != last))
                return; // retired, already selected (several matching topics), or not "last"
            s->selected_in = send_count_;
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
                                           [&](id_type id) {
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
    msg.clear(); // what the caller sees after a send: an empty message
    return {};
}

std::error_code pub_socket::xsetsockopt(int id, const void* value, std::size_t size) {
    switch (id) {
    case opt_xpub_welcome_msg:
        if (!value && size)
            return invalid();
        welcome_ = size ? message(value, size) : message();
        return {};
    case opt_subscribe:
    case opt_unsubscribe:
        return manual_subscription(id, value, size);
    case opt_xpub_verbose:
    case opt_xpub_verboser:
    case opt_xpub_nodrop:
    case opt_xpub_manual:
    case opt_xpub_manual_last_value:
    case opt_only_first_subscribe:
        break;
    default:
        return std::make_error_code(std::errc::not_supported);
    }
    // libzmq takes any int >= 0 (non-zero is on) and reads none of them back.
    int v = 0;
    if (size != sizeof v || !value)
        return invalid();
    std::memcpy(&v, value, sizeof v);
    if (v < 0)
        return invalid();
    const bool on = v != 0;
    switch (id) {
    case opt_xpub_verbose: // also turns VERBOSER's unsubscribe reports off
        verbose_subs_ = on;
        verbose_unsubs_ = false;
        break;
    case opt_xpub_verboser:
        verbose_subs_ = verbose_unsubs_ = on;
        break;
    case opt_xpub_nodrop:
        nodrop_ = on;
        break;
    case opt_xpub_manual:
        manual_ = on;
        break;
    case opt_xpub_manual_last_value:
        manual_ = send_last_pipe_ = on;
        break;
    default: // opt_only_first_subscribe
        only_first_ = on;
        break;
    }
    return {};
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> pub_socket::peer_counters() {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    for (const auto& s : subscribers_)
        out.emplace_back(s.sent, s.dropped);
    return out;
}

bool pub_socket::subscribed(std::size_t subscribers, const std::string* topic) {
    read_subscriptions();
    std::size_t count = 0;
    if (!topic) {
        for (const auto& s : subscribers_)
            count += !s.topics.empty() && !s.pipe.peer_closed();
        return count >= subscribers;
    }
    // Subscribers a message whose first frame is `topic` would reach now.
    ++send_count_;
    trie_.for_each_match(*topic, [&](id_type id) {
        auto* s = find(id);
        if (s && s->selected_in != send_count_ && !s->pipe.peer_closed()) {
            s->selected_in = send_count_;
            ++count;
        }
    });
    return count >= subscribers;
}

} // namespace zmtp::detail
