// SUB policy: counted subscriptions, fair-queued and filtered receive.
#include "core/sockets/sub.hpp"

#include <cstring>

namespace zmtp::detail {

namespace {
std::error_code would_block() {
    return std::make_error_code(std::errc::resource_unavailable_try_again);
}
} // namespace

// Subscriptions go through one outbox per publisher, bounded by the pipe's SNDHWM plus one
// waiting change per topic (libzmq drops them at the SNDHWM instead, C-SUB-6).
subscription_outbox* sub_socket::outbox(const pipe_end& p) {
    for (auto& o : outboxes_)
        if (o.pipe() == p)
            return &o;
    return nullptr;
}

void sub_socket::send_all_subscriptions(subscription_outbox& out) {
    for (const auto& [topic, count] : counts_)
        out.send(true, topic); // once per distinct topic (C-SUB-4)
    outboxes_waiting_ = outboxes_waiting_ || !out.idle();
}

void sub_socket::flush_outboxes() {
    if (!outboxes_waiting_)
        return;
    bool waiting = false;
    for (auto& o : outboxes_)
        waiting = !o.flush() || waiting;
    outboxes_waiting_ = waiting;
}

bool sub_socket::xattach(const pipe_end& p) {
    queue_.attach(p);
    outboxes_.emplace_back(p);
    send_all_subscriptions(outboxes_.back());
    return true;
}

void sub_socket::xhiccup(const pipe_end& p) {
    // A new connection: its publisher knows nothing, so it gets the whole current set (C-SUB-5).
    if (auto* o = outbox(p)) {
        o->clear();
        send_all_subscriptions(*o);
    }
}

void sub_socket::xdetach(const pipe_end& p) {
    queue_.detach(p);
    for (auto it = outboxes_.begin(); it != outboxes_.end(); ++it)
        if (it->pipe() == p) {
            outboxes_.erase(it);
            break;
        }
}

bool sub_socket::count(bool subscribe, std::string_view topic) {
    if (subscribe) {
        if (counts_[std::string(topic)]++ == 0)
            trie_.add(topic, 0);
        return true; // every call goes upstream (C-SUB-4)
    }
    auto it = counts_.find(topic);
    if (it == counts_.end())
        return false; // never subscribed: nothing is sent
    if (--it->second != 0)
        return false; // still subscribed by an earlier call
    counts_.erase(it);
    trie_.remove(topic, 0);
    return true;
}

void sub_socket::send_subscription(bool subscribe, std::string_view topic, bool as_data) {
    flush_outboxes();
    for (auto& o : outboxes_) {
        o.send(subscribe, topic, as_data);
        outboxes_waiting_ = outboxes_waiting_ || !o.idle();
    }
}

std::error_code sub_socket::xsetsockopt(int id, const void* value, std::size_t size) {
    if (xsub_ && id == opt_only_first_subscribe) {
        int v = 0; // any int >= 0, as libzmq; not readable
        if (size != sizeof v || !value)
            return std::make_error_code(std::errc::invalid_argument);
        std::memcpy(&v, value, sizeof v);
        if (v < 0)
            return std::make_error_code(std::errc::invalid_argument);
        only_first_ = v != 0;
        return {};
    }
    if (id != opt_subscribe && id != opt_unsubscribe)
        return std::make_error_code(std::errc::not_supported);
    // XSUB subscribes by sending 0x01 + topic; ZMQ_SUBSCRIBE is EINVAL there, as in libzmq.
    if (xsub_ || (!value && size))
        return std::make_error_code(std::errc::invalid_argument);
    const std::string_view topic(static_cast<const char*>(value), value ? size : 0);
    const bool subscribe = id == opt_subscribe;
    if (count(subscribe, topic))
        send_subscription(subscribe, topic, false);
    return {};
}

bool sub_socket::fetch_next() {
    flush_outboxes(); // room may have come back (the pipe woke us)
    if (has_prefetched_)
        return true;
    message m;
    std::vector<pipe_end> gone;
    bool found = false;
    while (!found && queue_.read(m, nullptr, gone)) {
        if (m.is_command())
            continue; // publishers send no commands to a SUB
        // ZMQ_INVERT_MATCHING: deliver what matches no subscription (the PUB must invert too).
        // XSUB does not filter: it takes whatever its publishers chose to send.
        if (xsub_ || trie_.matches(m.view()) != options().invert_matching()) {
            prefetched_ = std::move(m);
            has_prefetched_ = true;
            found = true;
            break;
        }
        // Not subscribed: drop the whole message, every frame of it (C-SUB-3).
        while (queue_.mid_message() && queue_.read(m, nullptr, gone)) {
        }
    }
    for (auto& p : gone)
        detach_if_drained(p);
    return found;
}

std::error_code sub_socket::xrecv(message& msg) {
    if (!has_prefetched_ && queue_.mid_message()) {
        std::vector<pipe_end> gone; // a mid-message read never finds a peer gone
        return queue_.read(msg, nullptr, gone) ? std::error_code() : would_block();
    }
    if (!fetch_next())
        return would_block();
    msg = std::move(prefetched_);
    has_prefetched_ = false;
    return {};
}

bool sub_socket::xhas_in() { return (!has_prefetched_ && queue_.mid_message()) || fetch_next(); }

} // namespace zmtp::detail
