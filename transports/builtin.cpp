// The one hook core calls: the transports every context gets.
#include "core/context_impl.hpp"
#include "transports/inproc/inproc_transport.hpp"
#include "transports/ipc/ipc_transport.hpp"
#include "transports/tcp/tcp_transport.hpp"

namespace zmtp::detail {

void register_builtin_transports(context_impl& ctx) {
    ctx.add_transport(std::make_unique<tcp_transport>());
    ctx.add_transport(std::make_unique<inproc_transport>());
    ctx.add_transport(std::make_unique<ipc_transport>());
}

} // namespace zmtp::detail
