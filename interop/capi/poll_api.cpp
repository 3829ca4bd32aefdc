// zmq_poll over sockets and plain file descriptors. Socket readiness comes from ZMQ_EVENTS;
// while waiting, the sockets' ZMQ_FD descriptors (when the core offers them) and the plain
// descriptors go to poll(2), else a short back-off sleep bounds the latency.
#include "interop/capi/errors.hpp"
#include "interop/capi/handles.hpp"

#include <zmq.h>

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

using namespace zmtp::capi;

namespace {

using clock_type = std::chrono::steady_clock;

/// ZMQ_EVENTS of a socket item, or an error.
std::error_code socket_events(socket_handle &h, int &events) {
    std::size_t size = sizeof events;
    std::error_code ec = h.sock->get_option_raw(ZMQ_EVENTS, &events, &size);
    // The core answers EINVAL while it has no readiness query; report that as unsupported.
    if (ec == std::errc::invalid_argument)
        return std::make_error_code(std::errc::not_supported);
    return ec;
}

short from_poll(short r) noexcept {
    short z = 0;
    if (r & POLLIN)
        z |= ZMQ_POLLIN;
    if (r & POLLOUT)
        z |= ZMQ_POLLOUT;
    if (r & POLLPRI)
        z |= ZMQ_POLLPRI;
    if (r & ~(POLLIN | POLLOUT | POLLPRI))
        z |= ZMQ_POLLERR;
    return z;
}

short to_poll(short z) noexcept {
    short r = 0;
    if (z & ZMQ_POLLIN)
        r |= POLLIN;
    if (z & ZMQ_POLLOUT)
        r |= POLLOUT;
    if (z & ZMQ_POLLPRI)
        r |= POLLPRI;
    return r;
}

/// One pass over the items: fills revents and `wait_fds` (what to block on before the next
/// pass); returns the number of ready items, or -1 with errno set.
int scan(zmq_pollitem_t *items, int n, std::vector<pollfd> &wait_fds, bool &socket_fds) {
    // Plain descriptors first: a zero-timeout poll(2) gives their state now.
    wait_fds.clear();
    for (int i = 0; i < n; ++i)
        if (!items[i].socket)
            wait_fds.push_back({items[i].fd, to_poll(items[i].events), 0});
    if (!wait_fds.empty() && ::poll(wait_fds.data(), wait_fds.size(), 0) < 0)
        return fail(std::error_code(errno, std::generic_category()));
    socket_fds = true;
    int ready = 0;
    std::size_t plain = 0;
    for (int i = 0; i < n; ++i) {
        zmq_pollitem_t &it = items[i];
        if (!it.socket) {
            it.revents = from_poll(wait_fds[plain++].revents);
        } else {
            socket_handle *h = as_socket(it.socket);
            if (!h)
                return fail(std::errc::not_a_socket);
            int events = 0;
            if (auto ec = socket_events(*h, events))
                return fail(ec);
            it.revents = static_cast<short>(events & it.events & (ZMQ_POLLIN | ZMQ_POLLOUT));
            zmq_fd_t fd = -1;
            std::size_t size = sizeof fd;
            if (h->sock->get_option_raw(ZMQ_FD, &fd, &size) || fd < 0)
                socket_fds = false;
            else
                wait_fds.push_back({fd, POLLIN, 0});
        }
        if (it.revents)
            ++ready;
    }
    return ready;
}

} // namespace

extern "C" {

int zmq_poll(zmq_pollitem_t *items_, int nitems_, long timeout_) {
    if (nitems_ < 0)
        return fail(std::errc::invalid_argument);
    if (nitems_ > 0 && !items_)
        return fail(std::errc::bad_address);
    if (nitems_ == 0) {
        // An empty set is a sleep, as in libzmq.
        if (timeout_ > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(timeout_));
        return 0;
    }
    const bool forever = timeout_ < 0;
    const auto deadline = clock_type::now() + std::chrono::milliseconds(forever ? 0 : timeout_);
    std::vector<pollfd> fds;
    auto backoff = std::chrono::microseconds(50);
    for (;;) {
        bool socket_fds = false;
        const int ready = scan(items_, nitems_, fds, socket_fds);
        if (ready != 0 || timeout_ == 0)
            return ready;
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
        if (!forever && left.count() <= 0)
            return 0;
        // Socket descriptors only say "look again", so wait in slices and re-scan.
        const auto slice = socket_fds
                               ? std::chrono::milliseconds(100)
                               : std::chrono::duration_cast<std::chrono::milliseconds>(backoff);
        const auto wait = forever ? slice : std::min(left, slice);
        if (!fds.empty()) {
            const int wait_ms = std::max<int>(1, static_cast<int>(wait.count()));
            if (::poll(fds.data(), fds.size(), wait_ms) < 0 && errno != EINTR)
                return fail(std::error_code(errno, std::generic_category()));
        } else {
            std::this_thread::sleep_for(backoff);
        }
        backoff = std::min<std::chrono::microseconds>(backoff * 2, std::chrono::milliseconds(1));
    }
}

} // extern "C"
