// subscription_outbox: write-through while the pipe has room, latest-wins per topic when not.
#include "core/sockets/subscription_outbox.hpp"

#include <cstring>

namespace zmtp::detail {

bool subscription_outbox::write(bool subscribe, std::string_view topic, bool as_data) {
    if (!pipe_.writable())
        return false; // the pipe wakes the socket once it drains to its low-water mark
    // Inside the library a subscription is a command message: 1/0 then the topic. The engine
    // writes the form the peer understands (3.1 commands, 3.0 prefixed messages).
    message m(topic.size() + 1);
    auto* d = static_cast<char*>(m.data());
    d[0] = subscribe ? 1 : 0;
    if (!topic.empty())
        std::memcpy(d + 1, topic.data(), topic.size());
    m.set_command(!as_data);
    pipe_.write(std::move(m));
    if (subscribe)
        written_.emplace(topic);
    else if (auto it = written_.find(topic); it != written_.end())
        written_.erase(it);
    return true;
}

void subscription_outbox::send(bool subscribe, std::string_view topic, bool as_data) {
    if (pipe_.peer_closed())
        return;
    // Once something waits, everything waits behind it: a newer change of a waiting topic
    // must never be overtaken by the older one.
    if (pending_.empty() && write(subscribe, topic, as_data))
        return;
    auto it = pending_.find(topic);
    if (!subscribe && written_.find(topic) == written_.end()) {
        // The publisher never got this topic: dropping its pending SUBSCRIBE is the CANCEL.
        if (it != pending_.end())
            pending_.erase(it);
        return;
    }
    if (it != pending_.end())
        it->second = change{subscribe, as_data};
    else
        pending_.emplace(std::string(topic), change{subscribe, as_data});
}

bool subscription_outbox::flush() {
    if (pipe_.peer_closed()) {
        pending_.clear();
        return true;
    }
    while (!pending_.empty()) {
        auto it = pending_.begin();
        if (!write(it->second.subscribe, it->first, it->second.as_data))
            return false;
        pending_.erase(it);
    }
    return true;
}

} // namespace zmtp::detail
