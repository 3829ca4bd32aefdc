// Endpoint URIs: "scheme://address" split and checked the way zmq_bind/zmq_connect do.
#pragma once

#include <string_view>
#include <system_error>

namespace zmtp::detail {

struct endpoint_parts {
    std::string_view scheme;
    std::string_view address;
};

/// Splits at "://"; EINVAL when it is missing or the address is empty (C-ERR).
inline std::error_code split_endpoint(std::string_view endpoint, endpoint_parts& out) {
    const auto pos = endpoint.find("://");
    if (pos == std::string_view::npos || pos == 0 || pos + 3 >= endpoint.size())
        return std::make_error_code(std::errc::invalid_argument);
    out.scheme = endpoint.substr(0, pos);
    out.address = endpoint.substr(pos + 3);
    return {};
}

} // namespace zmtp::detail
