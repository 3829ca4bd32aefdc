// Socket events (libzmq's zmq_socket_monitor numbers): what the transports report about
// listening, connecting, accepting, handshakes and disconnections.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace zmtp {

/// Event numbers, equal to libzmq's ZMQ_EVENT_* values.
enum class socket_event : std::uint16_t {
    connected = 0x0001,
    connect_delayed = 0x0002,
    connect_retried = 0x0004,
    listening = 0x0008,
    bind_failed = 0x0010,
    accepted = 0x0020,
    accept_failed = 0x0040,
    closed = 0x0080,
    close_failed = 0x0100,
    disconnected = 0x0200,
    monitor_stopped = 0x0400,
    handshake_failed_no_detail = 0x0800,
    handshake_succeeded = 0x1000,
    handshake_failed_protocol = 0x2000,
    handshake_failed_auth = 0x4000,
};

/// Called from I/O threads (and the socket's thread) for each event: (event, value, endpoint).
/// The value is what libzmq reports: an fd, an errno, a reconnect interval in ms, or a
/// ZMQ_PROTOCOL_ERROR_* number. Must be thread-safe and quick.
using monitor_fn = std::function<void(socket_event event, std::uint32_t value,
                                      const std::string& endpoint)>;

} // namespace zmtp
