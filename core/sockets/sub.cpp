// SUB policy: counted subscriptions, fair-queued and filtered receive.
#include "core/sockets/sub.hpp"

#include <cstring>

namespace zmtp::detail {

namespace {
std::error_code would_block() {
    return std::make_error_code(std::errc::resource_unavailable_try_again);
}
} // namespace

void sub_socket::send_subscription(pipe_end& p, bool subscribe, std::string_view topic) {
    if (p.peer_closed())
        return;
    // Inside the library a subscription is a command message: 1/0 then the topic. The engine
    // writes the form the peer understands (3.1 commands, 3.0 prefixed messages). Unlike
    // libzmq (C-SUB-6) subscriptions are never dropped at the SNDHWM.
    message m(topic.size() + 1);
    auto* d = static_cast<char*>(m.data());
    d[0] = subscribe ? 1 : 0;
    if (!topic.empty())
        std::memcpy(d + 1, topic.data(), topic.size());
    m.set_command(true);
    p.write(std::move(m));
}

void sub_socket::send_all_subscriptions(pipe_end p) {
    for (const auto& [topic, count] : counts_)
        send_subscription(p, true, topic); // once per distinct topic (C-SUB-4)
}

bool sub_socket::xattach(const pipe_end& p) {
    queue_.attach(p);
    send_all_subscriptions(p);
    return true;
}

void sub_socket::xdetach(const pipe_end& p) { queue_.detach(p); }

std::error_code sub_socket::xsetsockopt(int id, const void* value, std::size_t size) {
    if (id != opt_subscribe && id != opt_unsubscribe)
        return std::make_error_code(std::errc::not_supported);
    if (!value && size)
        return std::make_error_code(std::errc::invalid_argument);
    const std::string_view topic(static_cast<const char*>(value), value ? size : 0);
    if (id == opt_subscribe) {
        if (counts_[std::string(topic)]++ == 0)
            trie_.add(topic, 0);
        for (pipe_end p : queue_.peers())
            send_subscription(p, true, topic); // every call goes upstream (C-SUB-4)
        return {};
    }
    auto it = counts_.find(topic);
    if (it == counts_.end())
        return {}; // never subscribed: nothing is sent
    if (--it->second == 0) {
        counts_.erase(it);
        trie_.remove(topic, 0);
        for (pipe_end p : queue_.peers())
            send_subscription(p, false, topic);
    }
    return {};
}

std::error_code sub_socket::xsend(message&) {
    return std::make_error_code(std::errc::not_supported); // C-SUB-2
}

bool sub_socket::fetch_next() {
    if (has_prefetched_)
        return true;
    message m;
    std::vector<pipe_end> gone;
    bool found = false;
    while (!found && queue_.read(m, nullptr, gone)) {
        if (m.is_command())
            continue; // publishers send no commands to a SUB
        // ZMQ_INVERT_MATCHING: deliver what matches no subscription (the PUB must invert too).
        if (trie_.matches(m.view()) != options().invert_matching()) {
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
