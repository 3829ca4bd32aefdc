// socket_base::close in a child process after fork(): the parent's I/O threads are gone, and
// any lock one of them held at the fork stays held forever (a pipe's, the mailbox's, Asio's).
// So the child's close touches no lock and no I/O object: it marks the socket closed and keeps
// its pipes, endpoints and mailbox alive but untouched (the engines still point at them, and
// they are the parent's connections). The socket's own descriptors (its ZMQ_FD eventfd) close
// with it. This is what lets zmq_close and zmq_ctx_term return in the child (issue 10, item 5).
#include "core/socket_base.hpp"

#include <vector>

namespace zmtp::detail {

void socket_base::abandon_after_fork() noexcept {
    closed_ = true;
    struct leftovers {
        std::vector<void*> pipe_slots; // pipe_slot is private to socket_base.cpp
        std::vector<endpoint_entry> endpoints;
        std::vector<command> mailbox;
    };
    // Reachable for the rest of the process, never destroyed: destroying could run code that
    // takes those locks. No thread is left to race with these moves.
    static auto* kept = new std::vector<leftovers*>;
    try {
        auto* l = new leftovers{{}, std::move(endpoints_), std::move(mailbox_)};
        for (auto& slot : pipes_)
            l->pipe_slots.push_back(slot.get());
        for (auto& slot : pipes_)
            (void)slot.release(); // the pipes' wakers point at the slots: keep them alive
        // pipes_ now holds only nulls (destroyed with the socket, in socket_base.cpp).
        kept->push_back(l);
    } catch (...) {
        // Out of memory: leave the members where they are; the socket is closed either way
        // and nothing here touches them again before the process ends.
    }
}

} // namespace zmtp::detail
