// PULL policy: fair queue; the frames of one message come from one peer.
#include "core/sockets/pull.hpp"

#include <algorithm>

namespace zmtp::detail {

namespace {
std::error_code would_block() {
    return std::make_error_code(std::errc::resource_unavailable_try_again);
}
} // namespace

bool pull_socket::xattach(const pipe_end& p) {
    peers_.push_back(p);
    return true;
}

void pull_socket::xdetach(const pipe_end& p) {
    peers_.erase(std::remove(peers_.begin(), peers_.end(), p), peers_.end());
    if (current_ == p)
        current_ = {};
    if (next_ >= peers_.size())
        next_ = 0;
}

std::error_code pull_socket::xsend(message&) {
    return std::make_error_code(std::errc::not_supported);
}

std::error_code pull_socket::xrecv(message& msg) {
    if (current_) {
        if (!current_.read(msg))
            return would_block(); // cannot happen: messages are published whole
        if (!msg.more())
            current_ = {};
        return {};
    }
    std::vector<pipe_end> gone;
    bool found = false;
    for (std::size_t tried = 0; tried < peers_.size() && !found; ++tried) {
        pipe_end p = peers_[next_];
        next_ = (next_ + 1) % peers_.size();
        if (p.read(msg)) {
            found = true;
            if (msg.more())
                current_ = p;
        } else if (p.peer_closed()) {
            gone.push_back(p);
        }
    }
    for (auto& p : gone)
        detach_if_drained(p);
    return found ? std::error_code() : would_block();
}

bool pull_socket::xhas_in() {
    if (current_)
        return true;
    return std::any_of(peers_.begin(), peers_.end(), [](pipe_end& p) { return p.readable(); });
}

} // namespace zmtp::detail
