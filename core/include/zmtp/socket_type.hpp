// The socket types zmtp implements; the numbers are libzmq's zmq.h values.
#pragma once

namespace zmtp {

/// Socket type. Numbers match ZMQ_PAIR, ZMQ_PUB, ZMQ_SUB, ZMQ_PULL, ZMQ_PUSH, ZMQ_XPUB,
/// ZMQ_XSUB.
enum class socket_type { pair = 0, pub = 1, sub = 2, pull = 7, push = 8, xpub = 9, xsub = 10 };

} // namespace zmtp
