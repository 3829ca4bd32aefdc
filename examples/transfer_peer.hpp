// transfer_peer: one end of the file-transfer demo — a PAIR socket from zmtp's C++ API or from
// libzmq's C API behind one small interface, so the transfer logic is written once.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

/// A PAIR socket in its own context. Every call throws std::runtime_error on failure,
/// including a send or receive that waits longer than the demo's timeout.
class transfer_peer {
public:
    virtual ~transfer_peer() = default;
    /// "zmtp" or "libzmq".
    virtual const char* name() const = 0;
    /// Binds to tcp://127.0.0.1 on an ephemeral port and returns the endpoint.
    virtual std::string bind_any() = 0;
    virtual void connect(const std::string& endpoint) = 0;
    /// Sends one single-frame message holding a copy of `size` bytes at `data`.
    virtual void send(const void* data, std::size_t size) = 0;
    /// Receives one message; the view stays valid until the next recv.
    virtual std::string_view recv() = 0;
};

/// Milliseconds a send or receive may block before the demo gives up.
constexpr int transfer_timeout_ms = 10000;

std::unique_ptr<transfer_peer> make_zmtp_peer();
std::unique_ptr<transfer_peer> make_libzmq_peer();
