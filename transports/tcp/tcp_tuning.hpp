// Kernel options of tcp sockets from the socket's ZMQ options: SO_SNDBUF/SO_RCVBUF, keepalives,
// IP_TOS, TCP_USER_TIMEOUT (ZMQ_TCP_MAXRT) and SO_BINDTODEVICE, applied to listeners,
// accepted and connecting sockets as libzmq does.
#pragma once

#include "core/options.hpp"

#include <string>
#include <system_error>

namespace zmtp::detail {

struct tcp_tuning {
    int sndbuf = -1; ///< -1: the kernel's default
    int rcvbuf = -1;
    int keepalive = -1; ///< -1: the OS default, 0 off, 1 on (then the three below, if not -1)
    int keepalive_cnt = -1;
    int keepalive_idle = -1;
    int keepalive_intvl = -1;
    int tos = 0;   ///< 0: leave IP_TOS alone
    int maxrt = 0; ///< ms; 0: the OS default
    std::string device;

    static tcp_tuning from(const socket_options& o);
    /// Buffers, TOS and the device: for listeners and sockets about to connect (before the
    /// handshake, so the window scale follows the buffer size). ENODEV for an unknown device.
    std::error_code apply_before_connect(int fd) const;
    /// Keepalives and TCP_USER_TIMEOUT, plus buffers and TOS: for connected sockets.
    std::error_code apply_connected(int fd) const;
};

} // namespace zmtp::detail
