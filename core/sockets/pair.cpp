// PAIR policy over pipes.
#include "core/sockets/pair.hpp"

#include <algorithm>

namespace zmtp::detail {

namespace {
std::error_code would_block() {
    return std::make_error_code(std::errc::resource_unavailable_try_again);
}
} // namespace

bool pair_socket::xattach(const pipe_end& p) {
    if (peer_ && !peer_.peer_closed())
        return false; // exclusive: libzmq keeps the first peer (C-PAIR-5)
    if (peer_)
        draining_.push_back(peer_);
    peer_ = p;
    sending_multipart_ = false;
    return true;
}

void pair_socket::xdetach(const pipe_end& p) {
    if (p == peer_) {
        peer_ = {};
        sending_multipart_ = false;
        return;
    }
    draining_.erase(std::remove(draining_.begin(), draining_.end(), p), draining_.end());
}

std::error_code pair_socket::xsend(message& msg) {
    if (!peer_ || peer_.peer_closed())
        return would_block();
    // The HWM is checked when a message starts; its later frames always follow (C-HWM-2).
    if (!sending_multipart_ && !peer_.writable())
        return would_block();
    sending_multipart_ = msg.more();
    peer_.write(std::move(msg));
    msg.clear(); // what the caller sees after a send: an empty message
    return {};
}

std::error_code pair_socket::xrecv(message& msg) {
    while (!draining_.empty()) {
        pipe_end p = draining_.front();
        if (p.read(msg))
            return {};
        detach_if_drained(p);
        if (!draining_.empty() && draining_.front() == p)
            draining_.erase(draining_.begin()); // unreadable and not closed: cannot happen
    }
    if (!peer_)
        return would_block();
    if (peer_.read(msg))
        return {};
    if (peer_.peer_closed())
        detach_if_drained(peer_);
    return would_block();
}

bool pair_socket::xhas_in() {
    for (auto& p : draining_)
        if (p.readable())
            return true;
    return peer_ && peer_.readable();
}

bool pair_socket::xhas_out() {
    return peer_ && !peer_.peer_closed() && (sending_multipart_ || peer_.writable());
}

} // namespace zmtp::detail
