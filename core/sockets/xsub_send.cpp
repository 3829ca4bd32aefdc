// XSUB's send side (libzmq 4.3.4's behaviour, observed against it): a frame 0x01 + topic
// subscribes and 0x00 + topic unsubscribes (counted as SUB's ZMQ_SUBSCRIBE, C-SUB-4, and sent
// upstream as the data frame it is, C-SUBW-3); any other frame goes to every publisher. Every
// frame of a message may be a subscription, unless ONLY_FIRST_SUBSCRIBE is set and the
// message did not start with one. SUB cannot send (C-SUB-2).
#include "core/sockets/sub.hpp"

namespace zmtp::detail {

void sub_socket::send_to_all(message& msg, bool first) {
    if (first) {
        // The first frame decides, for the whole message: publishers whose pipe is full lose it.
        receivers_.clear();
        for (pipe_end p : queue_.peers()) // a handle: copies share the pipe
            if (!p.peer_closed() && p.writable())
                receivers_.push_back(p);
    }
    const bool more = msg.more();
    for (std::size_t i = 0; i < receivers_.size(); ++i) {
        if (i + 1 == receivers_.size())
            receivers_[i].write(std::move(msg));
        else
            receivers_[i].write(msg.share());
    }
    if (!more)
        receivers_.clear();
    msg = message();
}

std::error_code sub_socket::xsend(message& msg) {
    if (!xsub_)
        return std::make_error_code(std::errc::not_supported); // C-SUB-2
    flush_outboxes();
    const bool first = !more_out_;
    const bool more = msg.more();
    const auto* body = static_cast<const char*>(msg.data());
    const bool looks_like_one = msg.size() > 0 && (body[0] == 0 || body[0] == 1);
    const bool is_subscription = (first || process_subscribe_) && looks_like_one;
    if (first)
        process_subscribe_ = !only_first_ || is_subscription;
    more_out_ = more;
    if (is_subscription) {
        const bool subscribe = body[0] == 1;
        const std::string_view topic(body + 1, msg.size() - 1);
        const bool send = count(subscribe, topic); // a surplus unsubscribe is dropped silently
        if (first && !more) {
            // A subscription of its own waits in the outbox if a pipe is full, so it is not
            // lost at SNDHWM (libzmq would drop it; C-SUB-6).
            if (send)
                send_subscription(subscribe, topic, true);
            msg = message();
            return {};
        }
        if (!send && more) {
            msg = message(); // dropped as libzmq does; the message goes on without it
            return {};
        }
        // (A dropped unsubscribe that ends a message still goes, to end it for the receivers.)
    }
    send_to_all(msg, first);
    return {};
}

} // namespace zmtp::detail
