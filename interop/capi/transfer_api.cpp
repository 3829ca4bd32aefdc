// Send and receive entry points: zmq_send/send_const/recv, zmq_msg_send/msg_recv, the
// deprecated zmq_sendmsg/recvmsg and zmq_sendiov/recviov. Byte counts are clipped to INT_MAX.
#include "interop/capi/errors.hpp"
#include "interop/capi/handles.hpp"
#include "interop/capi/level_fd.hpp"
#include "interop/capi/message_cast.hpp"

#include <zmq.h>

#include <sys/uio.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <new>

using namespace zmtp::capi;

namespace {

zmtp::send_flags to_send_flags(int flags) noexcept {
    auto f = zmtp::send_flags::none;
    if (flags & ZMQ_DONTWAIT)
        f = f | zmtp::send_flags::dontwait;
    if (flags & ZMQ_SNDMORE)
        f = f | zmtp::send_flags::sndmore;
    return f;
}

zmtp::recv_flags to_recv_flags(int flags) noexcept {
    return (flags & ZMQ_DONTWAIT) ? zmtp::recv_flags::dontwait : zmtp::recv_flags::none;
}

int clipped(std::size_t n) noexcept {
    return static_cast<int>(std::min<std::size_t>(n, INT_MAX));
}

int send_message(socket_handle &h, zmtp::message &m, int flags) {
    const std::size_t size = m.size();
    std::error_code ec;
    const bool sent = h.sock->send(m, to_send_flags(flags), ec);
    level_sync(h);
    if (!sent)
        return fail(ec);
    return clipped(size);
}

int recv_message(socket_handle &h, zmtp::message &m, int flags) {
    std::error_code ec;
    const bool received = h.sock->recv(m, to_recv_flags(flags), ec);
    level_sync(h);
    if (!received)
        return fail(ec);
    return clipped(m.size());
}

} // namespace

extern "C" {

int zmq_send(void *s_, const void *buf_, size_t len_, int flags_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    if (!buf_ && len_ != 0)
        return fail(std::errc::bad_address);
    std::error_code ec;
    const bool sent = h->sock->send(buf_, len_, to_send_flags(flags_), ec);
    level_sync(*h);
    if (!sent)
        return fail(ec);
    return clipped(len_);
}

int zmq_send_const(void *s_, const void *buf_, size_t len_, int flags_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    if (!buf_ && len_ != 0)
        return fail(std::errc::bad_address);
    try {
        // Zero copy: the caller promises the bytes outlive the message, so nothing frees them.
        zmtp::message m = zmtp::message::adopt(const_cast<void *>(buf_), len_, nullptr, nullptr);
        return send_message(*h, m, flags_);
    } catch (const std::bad_alloc &) {
        return fail(std::errc::not_enough_memory);
    }
}

int zmq_recv(void *s_, void *buf_, size_t len_, int flags_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    if (!buf_ && len_ != 0)
        return fail(std::errc::bad_address);
    zmtp::message m;
    const int rc = recv_message(*h, m, flags_);
    if (rc < 0)
        return rc;
    // Truncate to the caller's buffer but report the full frame size, as libzmq does.
    const std::size_t n = std::min(len_, m.size());
    if (n)
        std::memcpy(buf_, m.data(), n);
    return rc;
}

int zmq_msg_send(zmq_msg_t *msg_, void *s_, int flags_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    zmtp::message *m = as_message(msg_);
    if (!m)
        return fail(std::errc::bad_address);
    return send_message(*h, *m, flags_); // a sent message is left empty, metadata gone
}

int zmq_msg_recv(zmq_msg_t *msg_, void *s_, int flags_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    zmtp::message *m = as_message(msg_);
    if (!m)
        return fail(std::errc::bad_address);
    return recv_message(*h, *m, flags_);
}

int zmq_sendmsg(void *s_, zmq_msg_t *msg_, int flags_) {
    return zmq_msg_send(msg_, s_, flags_);
}

int zmq_recvmsg(void *s_, zmq_msg_t *msg_, int flags_) {
    return zmq_msg_recv(msg_, s_, flags_);
}

int zmq_sendiov(void *s_, struct iovec *iov_, size_t count_, int flags_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    if (count_ == 0 || !iov_)
        return fail(std::errc::invalid_argument);
    // One frame per element, each sent with the caller's flags, except that the last never
    // carries SNDMORE: with ZMQ_SNDMORE the elements form one multipart message that completes
    // on the last; without it each element is a message of its own (libzmq 4.3 does the same).
    // Returns the size of the last frame, as libzmq does.
    int rc = 0;
    for (size_t i = 0; i < count_; ++i) {
        const int f = i + 1 < count_ ? flags_ : (flags_ & ~ZMQ_SNDMORE);
        rc = zmq_send(s_, iov_[i].iov_base, iov_[i].iov_len, f);
        if (rc < 0)
            return rc;
    }
    return rc;
}

int zmq_recviov(void *s_, struct iovec *iov_, size_t *count_, int flags_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    if (!count_ || *count_ == 0 || !iov_)
        return fail(std::errc::invalid_argument);
    // Each frame lands in a malloc'd buffer the caller frees; returns the number of frames
    // (also left in *count_), as libzmq does, not the byte count.
    std::size_t frames = 0;
    bool more = true;
    while (more && frames < *count_) {
        zmtp::message m;
        if (recv_message(*h, m, flags_) < 0)
            return -1;
        void *copy = std::malloc(m.size() ? m.size() : 1);
        if (!copy)
            return fail(std::errc::not_enough_memory);
        if (m.size())
            std::memcpy(copy, m.data(), m.size());
        iov_[frames].iov_base = copy;
        iov_[frames].iov_len = m.size();
        ++frames;
        more = m.more();
    }
    *count_ = frames;
    return clipped(frames);
}

} // extern "C"
