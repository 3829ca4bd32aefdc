// PULL policy: the fair queue, nothing more.
#include "core/sockets/pull.hpp"

namespace zmtp::detail {

std::error_code pull_socket::xsend(message&) {
    return std::make_error_code(std::errc::not_supported);
}

std::error_code pull_socket::xrecv(message& msg) {
    std::vector<pipe_end> gone;
    const bool found = queue_.read(msg, nullptr, gone);
    for (auto& p : gone)
        detach_if_drained(p);
    return found ? std::error_code()
                 : std::make_error_code(std::errc::resource_unavailable_try_again);
}

} // namespace zmtp::detail
