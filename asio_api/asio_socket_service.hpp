// asio_socket_service: ties zmtp::asio_socket states to the execution context their executor
// belongs to. When that context shuts down (an io_context being destroyed), every state still
// alive drops its parked operations without calling them — as Asio's own I/O objects do —
// which breaks handler -> socket cycles, and stops posting to the dying context.
#pragma once

#include <asio/execution_context.hpp>

#include <memory>
#include <mutex>
#include <vector>

namespace zmtp::detail {

class asio_socket_state;

class asio_socket_service final : public asio::execution_context::service {
public:
    static asio::execution_context::id id;

    explicit asio_socket_service(asio::execution_context& ctx)
        : asio::execution_context::service(ctx) {}

    /// Registers a state (weakly; states that are gone are pruned here).
    void add(const std::weak_ptr<asio_socket_state>& state);

private:
    void shutdown() override;

    std::mutex mutex_;
    std::vector<std::weak_ptr<asio_socket_state>> states_; // guarded
    bool shut_down_ = false;                               // guarded
};

} // namespace zmtp::detail
