// The inproc transport ("inproc://name"): two sockets of one context share a pipe pair
// directly — no codec, no I/O thread on the data path. Names live in their context
// (C-INP-1); bind and connect work in either order (C-INP-2).
#pragma once

#include "core/transport.hpp"

namespace zmtp::detail {

class inproc_transport final : public transport {
public:
    std::string_view scheme() const noexcept override { return "inproc"; }
    std::error_code bind(const endpoint_request& req, std::shared_ptr<endpoint_handle>& out,
                         std::string& resolved) override;
    std::error_code connect(const endpoint_request& req, pipe_end pipe,
                            std::shared_ptr<endpoint_handle>& out) override;
    std::error_code check_connect_address(const endpoint_request&) override { return {}; }
    bool needs_io_thread() const noexcept override { return false; }
};

} // namespace zmtp::detail
