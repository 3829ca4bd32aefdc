// The getsockopt table of libzmq 4.3.4 (options.cpp and socket_base.cpp, as observed on
// Debian's libzmq5 4.3.4: see tests/capi/c/options_all.c).
#include "interop/capi/option_table.hpp"

#include <zmq.h>

namespace zmtp::capi {

namespace {

constexpr get_rule core(get_kind k) {
    return get_rule{k, true, 0};
}
constexpr get_rule fixed(get_kind k, int v = 0) {
    return get_rule{k, false, v};
}

// Readable in libzmq builds with draft options compiled in (Debian's is): answered with
// their defaults so option-dumping tools see what they see there.
constexpr int zap_enforce_domain = 93;
constexpr int loopback_fastpath = 94;
constexpr int multicast_loop = 96;
constexpr int socks_username = 99;
constexpr int socks_password = 100;
constexpr int reconnect_stop = 109;

} // namespace

get_rule getsockopt_rule(int id) noexcept {
    using k = get_kind;
    switch (id) {
    // Implemented (or stored) by the C++ socket.
    case ZMQ_AFFINITY:
    case ZMQ_MAXMSGSIZE:
        return core(k::i64_exact);
    case ZMQ_ROUTING_ID:
        return core(k::blob);
    case ZMQ_LAST_ENDPOINT:
    case ZMQ_BINDTODEVICE:
        return core(k::text);
    case ZMQ_RCVMORE:
    case ZMQ_FD:
    case ZMQ_EVENTS:
    case ZMQ_THREAD_SAFE:
        return core(k::int_atleast);
    case ZMQ_RATE:
    case ZMQ_RECOVERY_IVL:
    case ZMQ_SNDBUF:
    case ZMQ_RCVBUF:
    case ZMQ_TYPE:
    case ZMQ_LINGER:
    case ZMQ_RECONNECT_IVL:
    case ZMQ_BACKLOG:
    case ZMQ_RECONNECT_IVL_MAX:
    case ZMQ_SNDHWM:
    case ZMQ_RCVHWM:
    case ZMQ_MULTICAST_HOPS:
    case ZMQ_RCVTIMEO:
    case ZMQ_SNDTIMEO:
    case ZMQ_TCP_KEEPALIVE:
    case ZMQ_TCP_KEEPALIVE_CNT:
    case ZMQ_TCP_KEEPALIVE_IDLE:
    case ZMQ_TCP_KEEPALIVE_INTVL:
    case ZMQ_IMMEDIATE:
    case ZMQ_IPV6:
    case ZMQ_MECHANISM:
    case ZMQ_CONFLATE:
    case ZMQ_TOS:
    case ZMQ_HANDSHAKE_IVL:
    case ZMQ_INVERT_MATCHING:
    case ZMQ_HEARTBEAT_IVL:
    case ZMQ_HEARTBEAT_TTL:
    case ZMQ_HEARTBEAT_TIMEOUT:
    case ZMQ_CONNECT_TIMEOUT:
    case ZMQ_TCP_MAXRT:
    case ZMQ_MULTICAST_MAXTPDU:
    case ZMQ_USE_FD:
        return core(k::int_exact);
    // ZMQ_IPV4ONLY is the inverse of ZMQ_IPV6 (computed by the caller).
    case ZMQ_IPV4ONLY:
        return core(k::int_exact);
    // Not implemented by zmtp: libzmq's defaults (NULL mechanism, no GSSAPI, no SOCKS).
    case ZMQ_PLAIN_SERVER:
    case ZMQ_CURVE_SERVER:
    case ZMQ_GSSAPI_SERVER:
    case ZMQ_GSSAPI_PLAINTEXT:
    case ZMQ_GSSAPI_PRINCIPAL_NAMETYPE:
    case ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE:
    case zap_enforce_domain:
    case loopback_fastpath:
    case reconnect_stop:
        return fixed(k::int_exact, 0);
    case multicast_loop:
        return fixed(k::int_exact, 1);
    case ZMQ_PLAIN_USERNAME:
    case ZMQ_PLAIN_PASSWORD:
    case ZMQ_ZAP_DOMAIN:
    case ZMQ_GSSAPI_PRINCIPAL:
    case ZMQ_GSSAPI_SERVICE_PRINCIPAL:
    case ZMQ_SOCKS_PROXY:
    case socks_username:
    case socks_password:
        return fixed(k::text);
    default:
        // Everything else, ZMQ_XPUB_NODROP and the other write-only options included, is
        // EINVAL in libzmq too.
        return {};
    }
}

} // namespace zmtp::capi
