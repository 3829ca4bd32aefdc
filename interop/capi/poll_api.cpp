// zmq_poll over sockets and plain file descriptors. Each pass reads every socket's ZMQ_EVENTS
// (which resets its ZMQ_FD eventfd before computing the state) and polls the plain descriptors
// without waiting; if nothing is ready it blocks in one poll(2) on the plain descriptors and the
// sockets' ZMQ_FD eventfds for the rest of the timeout. A change after a socket's ZMQ_EVENTS
// read signals its eventfd again, so poll(2) cannot sleep through it (no missed wake-up), and
// a socket is only looked at again after something woke it (no busy loop).
#include "interop/capi/errors.hpp"
#include "interop/capi/handles.hpp"
#include "interop/capi/level_fd.hpp"

#include <zmq.h>

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <ctime>
#include <vector>

using namespace zmtp::capi;

namespace {

using clock_type = std::chrono::steady_clock;

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

/// The poll(2) set: plain descriptors first (in item order), then one eventfd per socket item.
/// Socket descriptors are looked up once per zmq_poll call.
int build(zmq_pollitem_t *items, int n, std::vector<pollfd> &fds) {
    fds.clear();
    fds.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        if (!items[i].socket)
            fds.push_back({items[i].fd, to_poll(items[i].events), 0});
    for (int i = 0; i < n; ++i) {
        if (!items[i].socket)
            continue;
        socket_handle *h = as_socket(items[i].socket);
        if (!h)
            return fail(std::errc::not_a_socket);
        int fd = -1;
        std::size_t size = sizeof fd;
        // The core's eventfd, whatever ZMQ_FD hands the application (level mode included).
        if (auto ec = h->sock->get_option_raw(ZMQ_FD, &fd, &size))
            return fail(ec);
        fds.push_back({fd, POLLIN, 0});
    }
    return 0;
}

/// One pass: socket states from ZMQ_EVENTS, plain descriptors from the last poll(2) results
/// (`fresh`: they are current). Returns the number of ready items, or -1 with errno set.
int scan(zmq_pollitem_t *items, int n, std::vector<pollfd> &fds) {
    // The plain descriptors' state now (the blocking poll(2) may have been woken by a socket).
    std::size_t plain = 0;
    for (int i = 0; i < n; ++i)
        if (!items[i].socket)
            ++plain;
    if (plain && ::poll(fds.data(), plain, 0) < 0)
        return fail(std::error_code(errno, std::generic_category()));
    int ready = 0;
    std::size_t next_plain = 0;
    for (int i = 0; i < n; ++i) {
        zmq_pollitem_t &it = items[i];
        if (!it.socket) {
            it.revents = static_cast<short>(from_poll(fds[next_plain++].revents) &
                                            (it.events | ZMQ_POLLERR));
        } else {
            socket_handle *h = as_socket(it.socket);
            if (!h)
                return fail(std::errc::not_a_socket);
            int events = 0;
            if (auto ec = socket_events(*h, events))
                return fail(ec);
            it.revents = static_cast<short>(events & it.events & (ZMQ_POLLIN | ZMQ_POLLOUT));
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
        // An empty set is a sleep, as in libzmq, which a signal interrupts with EINTR (no
        // retry: std::this_thread::sleep_for would sleep through the handler).
        if (timeout_ > 0) {
            timespec ts{static_cast<time_t>(timeout_ / 1000),
                        static_cast<long>(timeout_ % 1000) * 1000000L};
            if (::nanosleep(&ts, nullptr) != 0)
                return fail(std::error_code(errno, std::generic_category()));
        }
        return 0;
    }
    std::vector<pollfd> fds;
    if (build(items_, nitems_, fds) < 0)
        return -1;
    const bool forever = timeout_ < 0;
    const auto deadline = clock_type::now() + std::chrono::milliseconds(forever ? 0 : timeout_);
    for (;;) {
        const int ready = scan(items_, nitems_, fds);
        if (ready != 0 || timeout_ == 0)
            return ready;
        int wait_ms = -1;
        if (!forever) {
            const auto left = deadline - clock_type::now();
            if (left <= clock_type::duration::zero())
                return 0;
            // Round up, so poll(2) never returns just before the deadline and spins.
            const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
            wait_ms = static_cast<int>(std::min<long long>(ms, INT_MAX));
        }
        if (::poll(fds.data(), fds.size(), wait_ms) < 0) {
            // A signal interrupts zmq_poll with EINTR, as in libzmq (pyzmq retries on it).
            return fail(std::error_code(errno, std::generic_category()));
        }
    }
}

} // extern "C"
