// Helpers shared by the stream transports (tcp, ipc): engine settings from a bind/connect
// request, and asio's system errors as the generic (errno) codes the API reports.
#pragma once

#include "core/socket_base.hpp"
#include "core/transport.hpp"
#include "transports/stream/engine.hpp"

#include <asio/error.hpp>

#include <system_error>

namespace zmtp::detail {

inline engine_config make_engine_config(const endpoint_request& req) {
    engine_config cfg;
    cfg.ctx = req.ctx;
    cfg.endpoint = req.endpoint;
    cfg.kind = static_cast<wire::socket_kind>(static_cast<int>(req.options.type));
    cfg.maxmsgsize = req.options.maxmsgsize();
    cfg.handshake_ivl = req.options.handshake_ivl();
    cfg.routing_id = req.options.routing_id;
    cfg.socket = req.socket;
    cfg.monitor = req.monitor;
    cfg.sndhwm = req.options.sndhwm();
    cfg.rcvhwm = req.options.rcvhwm();
    cfg.conflate_inbound = req.options.conflate_inbound();
    cfg.conflate_outbound = req.options.conflate_outbound();
    cfg.heartbeat_ivl = req.options.heartbeat_ivl();
    cfg.heartbeat_ttl = req.options.heartbeat_ttl();
    cfg.heartbeat_timeout = req.options.heartbeat_timeout();
    return cfg;
}

/// ZMQ_AFFINITY: which I/O threads the endpoint's connections may run on (0 = any).
inline std::uint64_t affinity_of(const endpoint_request& req) {
    return static_cast<std::uint64_t>(req.options.value(opt_affinity));
}

/// Reports a monitor event of the socket that made this endpoint (even after its close).
inline void emit_event(const std::shared_ptr<monitor_lease>& monitor, zmtp::socket_event e,
                       std::uint32_t value, const std::string& endpoint) {
    if (monitor)
        monitor->emit(e, value, endpoint);
}

inline std::error_code to_generic(const std::error_code& ec) {
    // Standalone Asio reports errno values in its own "asio.system" category.
    if (ec.category() == asio::error::get_system_category() ||
        ec.category() == std::system_category())
        return {ec.value(), std::generic_category()};
    return ec;
}

} // namespace zmtp::detail
