// Message entry points (zmq_msg_*): a zmtp::message placement-constructed inside zmq_msg_t.
// Copies share large payloads; a zmq_msg_init_data free callback runs once, after the last copy.
#include "interop/capi/errors.hpp"
#include "interop/capi/message_cast.hpp"

#include <zmq.h>

#include <cstring>
#include <new>
#include <utility>

using namespace zmtp::capi;

extern "C" {

int zmq_msg_init(zmq_msg_t *msg_) {
    if (!msg_)
        return fail(std::errc::bad_address);
    emplace_message(msg_);
    return 0;
}

int zmq_msg_init_size(zmq_msg_t *msg_, size_t size_) {
    if (!msg_)
        return fail(std::errc::bad_address);
    try {
        emplace_message(msg_, size_);
        return 0;
    } catch (const std::bad_alloc &) {
        emplace_message(msg_); // leave something zmq_msg_close can take
        return fail(std::errc::not_enough_memory);
    }
}

int zmq_msg_init_data(zmq_msg_t *msg_, void *data_, size_t size_, zmq_free_fn *ffn_, void *hint_) {
    if (!msg_ || (!data_ && size_ != 0))
        return fail(std::errc::bad_address);
    try {
        emplace_message(msg_, zmtp::message::adopt(data_, size_, ffn_, hint_));
        return 0;
    } catch (const std::bad_alloc &) {
        emplace_message(msg_);
        return fail(std::errc::not_enough_memory);
    }
}

int zmq_msg_close(zmq_msg_t *msg_) {
    zmtp::message *m = as_message(msg_);
    if (!m)
        return fail(std::errc::bad_address);
    m->~message();
    // An empty message stays behind, so a second close (or a stray use) is harmless.
    emplace_message(msg_);
    return 0;
}

int zmq_msg_move(zmq_msg_t *dest_, zmq_msg_t *src_) {
    zmtp::message *dest = as_message(dest_);
    zmtp::message *src = as_message(src_);
    if (!dest || !src)
        return fail(std::errc::bad_address);
    if (dest != src)
        *dest = std::move(*src); // leaves src an empty frame, as libzmq does
    return 0;
}

int zmq_msg_copy(zmq_msg_t *dest_, zmq_msg_t *src_) {
    zmtp::message *dest = as_message(dest_);
    zmtp::message *src = as_message(src_);
    if (!dest || !src)
        return fail(std::errc::bad_address);
    if (dest == src)
        return 0;
    try {
        *dest = src->share(); // shares the metadata too, as in libzmq
        return 0;
    } catch (const std::bad_alloc &) {
        return fail(std::errc::not_enough_memory);
    }
}

void *zmq_msg_data(zmq_msg_t *msg_) {
    zmtp::message *m = as_message(msg_);
    if (!m)
        return fail_null(std::errc::bad_address);
    return m->data();
}

size_t zmq_msg_size(const zmq_msg_t *msg_) {
    const zmtp::message *m = as_message(msg_);
    if (!m) {
        fail(std::errc::bad_address);
        return 0;
    }
    return m->size();
}

int zmq_msg_more(const zmq_msg_t *msg_) {
    const zmtp::message *m = as_message(msg_);
    if (!m)
        return fail(std::errc::bad_address);
    return m->more() ? 1 : 0;
}

int zmq_msg_get(const zmq_msg_t *msg_, int property_) {
    const zmtp::message *m = as_message(msg_);
    if (!m)
        return fail(std::errc::bad_address);
    switch (property_) {
    case ZMQ_MORE:
        return m->more() ? 1 : 0;
    case ZMQ_SHARED:
        return m->is_shared() ? 1 : 0;
    default:
        // ZMQ_SRCFD included: zmtp does not record the source descriptor (libzmq also says
        // EINVAL when it has none).
        return fail(std::errc::invalid_argument);
    }
}

int zmq_msg_set(zmq_msg_t *msg_, int property_, int optval_) {
    (void)property_;
    (void)optval_;
    if (!msg_)
        return fail(std::errc::bad_address);
    return fail(std::errc::invalid_argument); // no settable properties, as in libzmq 4.3
}

const char *zmq_msg_gets(const zmq_msg_t *msg_, const char *property_) {
    const zmtp::message *m = as_message(msg_);
    if (!m)
        return fail_null<const char>(std::errc::bad_address);
    // Connection metadata, as libzmq: EINVAL for a frame without it (made locally, or
    // received over inproc) and for a property the connection does not have.
    const auto value = property_ ? m->property(property_) : std::nullopt;
    if (!value)
        return fail_null<const char>(std::errc::invalid_argument);
    return value->data(); // NUL-terminated: it views a std::string in the metadata record
}

} // extern "C"
