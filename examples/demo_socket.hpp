// demo_socket: one socket of zmtp's C++ API or of libzmq's C API behind one small interface, so
// each demo scenario is written once and runs with the two libraries in any combination.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

enum class demo_socket_type { pair, pub, sub };

/// Milliseconds a send or receive may block before the demo gives up (also the LINGER).
constexpr int demo_timeout_ms = 10000;

/// One socket. Every call throws std::runtime_error on failure, including a send or receive
/// that waits longer than demo_timeout_ms.
class demo_socket {
public:
    virtual ~demo_socket() = default;
    /// Binds `endpoint` and returns the endpoint peers connect to (the real port for tcp *).
    virtual std::string bind(const std::string& endpoint) = 0;
    virtual void connect(const std::string& endpoint) = 0;
    /// Sets SNDHWM and RCVHWM (0 = no limit); call before bind or connect.
    virtual void set_hwm(int hwm) = 0;
    /// SUB: subscribes to every message (the empty prefix).
    virtual void subscribe_all() = 0;
    /// Sends one single-frame message holding a copy of `size` bytes at `data`.
    virtual void send(const void* data, std::size_t size) = 0;
    /// Receives one message; the view stays valid until the next recv.
    virtual std::string_view recv() = 0;
};

/// One library's context. Sockets from one demo_library share its context (inproc peers must);
/// destroy them all before the library.
class demo_library {
public:
    virtual ~demo_library() = default;
    /// "zmtp" or "libzmq".
    virtual const char* name() const = 0;
    virtual std::unique_ptr<demo_socket> socket(demo_socket_type type) = 0;
};

std::unique_ptr<demo_library> make_zmtp_library();
std::unique_ptr<demo_library> make_libzmq_library();
