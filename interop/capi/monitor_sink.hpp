// zmq_socket_monitor's delivery end: an internal PAIR socket bound at the monitor address,
// fed from the core's monitor callback (I/O threads) in libzmq's two-frame event format.
#pragma once

#include "zmtp/monitor.hpp"
#include "zmtp/socket.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace zmtp::capi {

class monitor_sink {
public:
    monitor_sink(zmtp::socket pair, std::uint32_t mask) : pair_(std::move(pair)), mask_(mask) {}

    /// Sends one event ([uint16 event, uint32 value] + endpoint) without blocking; dropped when
    /// nobody is connected or the reader is HWM messages behind, as in libzmq.
    void deliver(zmtp::socket_event event, std::uint32_t value, const std::string &endpoint);
    /// Closes the PAIR (LINGER 0; events already queued stay readable). Later events are dropped.
    /// deliver() does it itself after MONITOR_STOPPED, the last event of a monitor.
    void close() noexcept;

private:
    std::mutex mutex_; // the callback runs on I/O threads, close on the application's
    std::optional<zmtp::socket> pair_;
    std::uint32_t mask_;
};

} // namespace zmtp::capi
