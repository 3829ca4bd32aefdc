// monitor_channel in the minimal library (ZMTP_MINIMAL): no monitor. Events are dropped where
// they are emitted, and installing a callback fails with std::errc::not_supported (the
// throwing socket::monitor throws std::system_error), so a program that needs the monitor
// learns it at once instead of waiting for events that never come.
#include "core/monitor_channel.hpp"

#include <system_error>

namespace zmtp::detail {

void monitor_channel::set(monitor_fn fn, std::uint32_t) {
    (void)mask_; // the queue's state is never used here
    (void)draining_;
    if (fn)
        throw std::system_error(std::make_error_code(std::errc::not_supported),
                                "zmtp built with ZMTP_MINIMAL: no socket monitor");
}

void monitor_channel::emit(socket_event, std::uint32_t, const std::string&) noexcept {}

void monitor_channel::drain(std::unique_lock<std::mutex>&, bool) {}

} // namespace zmtp::detail
