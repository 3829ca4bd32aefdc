// fair_queue: round-robin receiving over a socket's peers, one whole message at a time (the
// frames of a message all come from the peer that started it). Shared by SUB and PULL.
#pragma once

#include "core/pipe.hpp"

#include <vector>

namespace zmtp::detail {

class fair_queue {
public:
    void attach(const pipe_end& p) { peers_.push_back(p); }
    void detach(const pipe_end& p);

    /// The next frame: the rest of the message in progress, else the first frame of the next
    /// peer in turn that has one. `source` (if given) receives its peer. Peers found closed
    /// and empty are appended to `gone` for the socket to detach.
    bool read(message& out, pipe_end* source, std::vector<pipe_end>& gone);
    /// True between the first and the last frame of a message.
    bool mid_message() const noexcept { return static_cast<bool>(current_); }
    /// True if read() would succeed.
    bool readable();
    const std::vector<pipe_end>& peers() const noexcept { return peers_; }

private:
    std::vector<pipe_end> peers_;
    std::size_t next_ = 0;
    pipe_end current_; ///< the peer of the message in progress
};

} // namespace zmtp::detail
