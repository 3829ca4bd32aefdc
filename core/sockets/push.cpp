// PUSH policy: round-robin over writable peers, a multipart message stays on one peer.
#include "core/sockets/push.hpp"

#include <algorithm>

namespace zmtp::detail {

bool push_socket::xattach(const pipe_end& p) {
    peers_.push_back(p);
    return true;
}

void push_socket::xdetach(const pipe_end& p) {
    peers_.erase(std::remove(peers_.begin(), peers_.end(), p), peers_.end());
    if (current_ == p)
        current_ = {};
    if (next_ >= peers_.size())
        next_ = 0;
}

std::error_code push_socket::xsend(message& msg) {
    pipe_end target = current_;
    if (!target) {
        for (std::size_t tried = 0; tried < peers_.size() && !target; ++tried) {
            pipe_end& p = peers_[next_];
            next_ = (next_ + 1) % peers_.size();
            if (!p.peer_closed() && p.writable())
                target = p;
        }
        if (!target)
            return std::make_error_code(std::errc::resource_unavailable_try_again);
    }
    current_ = msg.more() ? target : pipe_end();
    target.write(std::move(msg));
    msg.clear(); // what the caller sees after a send: an empty message
    return {};
}

std::error_code push_socket::xrecv(message&) {
    return std::make_error_code(std::errc::not_supported);
}

bool push_socket::xhas_out() {
    if (current_)
        return true;
    return std::any_of(peers_.begin(), peers_.end(),
                       [](pipe_end& p) { return !p.peer_closed() && p.writable(); });
}

} // namespace zmtp::detail
