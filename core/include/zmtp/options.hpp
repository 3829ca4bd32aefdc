// Typed socket options. Each tag carries libzmq's option number and the value type, so
// `sock.set(zmtp::opt::sndhwm, 10)` is checked at compile time and maps 1:1 onto zmq_setsockopt.
#pragma once

#include <cstdint>
#include <string>

namespace zmtp {

/// An option's number (libzmq's ZMQ_* value) and C++ value type.
template <int Id, typename T> struct option_tag {
    static constexpr int id = Id;
    using value_type = T;
};

namespace opt {
// Integer options: milliseconds for times, messages for HWMs; defaults are libzmq 4.3's.
inline constexpr option_tag<13, int> rcvmore{};            ///< get: 1 if more frames follow
inline constexpr option_tag<16, int> type{};               ///< get: the socket type number
inline constexpr option_tag<17, int> linger{};             ///< -1 (SUB: 0); -1 waits forever
inline constexpr option_tag<18, int> reconnect_ivl{};      ///< 100; -1 or 0 disables reconnect
inline constexpr option_tag<21, int> reconnect_ivl_max{};  ///< 0 = no exponential back-off
inline constexpr option_tag<22, std::int64_t> maxmsgsize{}; ///< -1 = no limit; per frame
inline constexpr option_tag<23, int> sndhwm{};             ///< 1000; 0 = no limit
inline constexpr option_tag<24, int> rcvhwm{};             ///< 1000; 0 = no limit
inline constexpr option_tag<27, int> rcvtimeo{};           ///< -1 = block forever
inline constexpr option_tag<28, int> sndtimeo{};           ///< -1 = block forever
inline constexpr option_tag<32, std::string> last_endpoint{}; ///< get: last bound/connected
inline constexpr option_tag<66, int> handshake_ivl{};      ///< 30000; 0 = no limit
inline constexpr option_tag<42, int> ipv6{};               ///< 0; 1 enables dual-stack tcp
inline constexpr option_tag<6, std::string> subscribe{};   ///< SUB (XPUB_MANUAL): add a topic
inline constexpr option_tag<7, std::string> unsubscribe{}; ///< SUB (XPUB_MANUAL): remove one
inline constexpr option_tag<69, int> xpub_nodrop{};        ///< PUB/XPUB: block/EAGAIN, not drop
// XPUB (accepted on PUB too, as libzmq; write-only, any int >= 0, non-zero = on).
inline constexpr option_tag<40, int> xpub_verbose{};  ///< report every subscribe, not only new
inline constexpr option_tag<78, int> xpub_verboser{}; ///< ... and every unsubscribe
inline constexpr option_tag<71, int> xpub_manual{};   ///< the application subscribes its peers
inline constexpr option_tag<98, int> xpub_manual_last_value{}; ///< manual; next send: asker only
inline constexpr option_tag<72, std::string> xpub_welcome_msg{}; ///< sent to each new subscriber
inline constexpr option_tag<108, int> only_first_subscribe{}; ///< XPUB/XSUB: only 1st frame subs
inline constexpr option_tag<75, int> heartbeat_ivl{};      ///< 0 = off; PING every N ms (tcp/ipc)
inline constexpr option_tag<76, int> heartbeat_ttl{};      ///< 0; TTL sent in PINGs (ms, /100)
inline constexpr option_tag<77, int> heartbeat_timeout{};  ///< -1 = IVL; 0 = never drop
} // namespace opt

} // namespace zmtp
