// The one hook core calls: the transports every context gets. A minimal build may leave some
// out (ZMTP_TRANSPORTS / Meson -Dtransports): their endpoints then fail with
// EPROTONOSUPPORT, as an unknown protocol does.
#include "core/context_impl.hpp"
#ifdef ZMTP_WITH_INPROC
#include "transports/inproc/inproc_transport.hpp"
#endif
#ifdef ZMTP_WITH_IPC
#include "transports/ipc/ipc_transport.hpp"
#endif
#ifdef ZMTP_WITH_TCP
#include "transports/tcp/tcp_transport.hpp"
#endif

namespace zmtp::detail {

void register_builtin_transports([[maybe_unused]] context_impl& ctx) {
#ifdef ZMTP_WITH_TCP
    ctx.add_transport(std::make_unique<tcp_transport>());
#endif
#ifdef ZMTP_WITH_INPROC
    ctx.add_transport(std::make_unique<inproc_transport>());
#endif
#ifdef ZMTP_WITH_IPC
    ctx.add_transport(std::make_unique<ipc_transport>());
#endif
}

} // namespace zmtp::detail
