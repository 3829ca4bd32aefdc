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

/// Constructs a message in the storage of `m` (which must not hold one).
template <typename... Args> zmtp::message *emplace_message(zmq_msg_t *m, Args &&...args) {
    return new (static_cast<void *>(m->_)) zmtp::message(static_cast<Args &&>(args)...);
}

} // namespace zmtp::capi
