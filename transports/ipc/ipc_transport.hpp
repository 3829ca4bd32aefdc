// The ipc transport ("ipc://"): ZMTP over Unix-domain stream sockets, same engine as tcp
// (C-IPC-6). See ipc_address.hpp for the address syntax.
#pragma once

#include "core/transport.hpp"

namespace zmtp::detail {

class ipc_transport final : public transport {
public:
    std::string_view scheme() const noexcept override { return "ipc"; }
    std::error_code bind(const endpoint_request& req, std::shared_ptr<endpoint_handle>& out,
                         std::string& resolved) override;
    std::error_code connect(const endpoint_request& req, pipe_end pipe,
                            std::shared_ptr<endpoint_handle>& out) override;
    std::error_code check_connect_address(const endpoint_request& req) override;
};

} // namespace zmtp::detail
