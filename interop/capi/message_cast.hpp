// zmtp::message lives inside zmq_msg_t (placement new); these casts find it again.
#pragma once

#include "zmtp/message.hpp"

#include <zmq.h>

#include <new>

namespace zmtp::capi {

static_assert(sizeof(zmtp::message) <= sizeof(zmq_msg_t), "zmtp::message must fit in zmq_msg_t");
static_assert(alignof(zmtp::message) <= alignof(zmq_msg_t),
              "zmq_msg_t must be aligned enough for zmtp::message");

/// The message constructed in `m` by zmq_msg_init*, or null for a null pointer.
inline zmtp::message *as_message(zmq_msg_t *m) noexcept {
    return m ? std::launder(reinterpret_cast<zmtp::message *>(m->_)) : nullptr;
}
inline const zmtp::message *as_message(const zmq_msg_t *m) noexcept {
    return m ? std::launder(reinterpret_cast<const zmtp::message *>(m->_)) : nullptr;
}

/// The last byte of zmq_msg_t is tail padding of zmtp::message (56 inline bytes + 3 one-byte
/// members, 8-aligned): the C API keeps a "received on a socket of type T" tag there for
/// zmq_msg_gets. Written only after every operation on the message, so a copy of padding by
/// the C++ side never matters.
inline constexpr std::size_t tag_offset = sizeof(zmq_msg_t) - 1;
static_assert(zmtp::message::inline_capacity + 3 <= tag_offset,
              "zmq_msg_t has no spare byte after zmtp::message for the origin tag");

/// The origin tag: 0 = none, else the receiving socket's type + 1.
inline unsigned char origin_tag(const zmq_msg_t *m) noexcept {
    return m->_[tag_offset];
}
inline void set_origin_tag(zmq_msg_t *m, unsigned char tag) noexcept {
    m->_[tag_offset] = tag;
}

/// Constructs a message in the storage of `m` (which must not hold one); no origin tag.
template <typename... Args> zmtp::message *emplace_message(zmq_msg_t *m, Args &&...args) {
    auto *p = new (static_cast<void *>(m->_)) zmtp::message(static_cast<Args &&>(args)...);
    set_origin_tag(m, 0);
    return p;
}

} // namespace zmtp::capi
