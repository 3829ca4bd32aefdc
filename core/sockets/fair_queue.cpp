// fair_queue: per-message round robin with multipart stickiness.
#include "core/sockets/fair_queue.hpp"

#include <algorithm>

namespace zmtp::detail {

void fair_queue::detach(const pipe_end& p) {
    peers_.erase(std::remove(peers_.begin(), peers_.end(), p), peers_.end());
    if (current_ == p)
        current_ = {};
    if (next_ >= peers_.size())
        next_ = 0;
}

bool fair_queue::read(message& out, pipe_end* source, std::vector<pipe_end>& gone) {
    if (current_) {
        // Later frames come from the same peer; its message was published whole.
        pipe_end p = current_;
        if (!p.read(out))
            return false;
        if (!out.more())
            current_ = {};
        if (source)
            *source = p;
        return true;
    }
    for (std::size_t tried = 0; tried < peers_.size(); ++tried) {
        pipe_end p = peers_[next_];
        next_ = (next_ + 1) % peers_.size();
        if (p.read(out)) {
            current_ = out.more() ? p : pipe_end();
            if (source)
                *source = p;
            return true;
        }
        if (p.peer_closed())
            gone.push_back(p);
    }
    return false;
}

bool fair_queue::readable() {
    return current_ || std::any_of(peers_.begin(), peers_.end(),
                                   [](pipe_end& p) { return p.readable(); });
}

} // namespace zmtp::detail
