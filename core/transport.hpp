// The interface between core and the transports. Core knows transports only through this
// file; transports/builtin.cpp defines register_builtin_transports() (the one hook).
#pragma once

#include "core/monitor_channel.hpp"
#include "core/options.hpp"
#include "core/pipe.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <system_error>

namespace zmtp::detail {

class socket_base;
class context_impl;

/// A live bind (listener) or connect (session), owned by its socket. Runs on an I/O thread.
class endpoint_handle {
public:
    virtual ~endpoint_handle() = default;
    /// Stops it: listeners stop accepting; connections flush within their pipe's linger and
    /// close. Asynchronous, idempotent, callable from the socket's thread.
    virtual void close() noexcept = 0;
};

/// What a transport gets for one bind or connect.
struct endpoint_request {
    std::weak_ptr<socket_base> socket; ///< where accepted pipes are attached
    context_impl* ctx = nullptr;
    socket_options options; ///< snapshot taken at the call (options are per connection)
    std::string endpoint;   ///< the whole URI as given
    std::string address;    ///< the part after "scheme://"
    /// Where the endpoint reports monitor events; held while it lives, so MONITOR_STOPPED
    /// follows its last event.
    std::shared_ptr<monitor_lease> monitor;
};

/// A transport scheme ("tcp", "ipc", "inproc").
class transport {
public:
    virtual ~transport() = default;
    virtual std::string_view scheme() const noexcept = 0;
    /// Starts listening; sets `resolved` to the LAST_ENDPOINT form (ephemeral port filled in).
    virtual std::error_code bind(const endpoint_request& req, std::shared_ptr<endpoint_handle>& out,
                                 std::string& resolved) = 0;
    /// Starts connecting in the background; `pipe` is the connection's end of a pipe whose
    /// other end is already attached to the socket (so messages queue before the peer exists).
    virtual std::error_code connect(const endpoint_request& req, pipe_end pipe,
                                    std::shared_ptr<endpoint_handle>& out) = 0;
    /// Cheap syntax check for connect, done before any pipe is made.
    virtual std::error_code check_connect_address(const endpoint_request& req) = 0;
    /// False for inproc: no I/O thread is needed.
    virtual bool needs_io_thread() const noexcept { return true; }
};

/// Registers tcp (and later ipc, inproc) with a new context. Defined in transports/.
void register_builtin_transports(context_impl& ctx);

} // namespace zmtp::detail
