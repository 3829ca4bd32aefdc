// asio_socket_service: the registry of states per execution context, and its shutdown.
#include "asio_api/asio_socket_service.hpp"

#include "zmtp/detail/asio_socket_state.hpp"

#include <algorithm>

namespace zmtp::detail {

asio::execution_context::id asio_socket_service::id;

void asio_socket_service::add(const std::weak_ptr<asio_socket_state>& state) {
    bool dead = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        dead = shut_down_;
        if (!dead) {
            states_.erase(std::remove_if(states_.begin(), states_.end(),
                                         [](const auto& w) { return w.expired(); }),
                          states_.end());
            states_.push_back(state);
        }
    }
    if (dead)
        if (auto s = state.lock())
            s->abandon();
}

void asio_socket_service::shutdown() {
    std::vector<std::weak_ptr<asio_socket_state>> states;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        shut_down_ = true;
        states.swap(states_);
    }
    for (auto& w : states)
        if (auto s = w.lock())
            s->abandon();
}

} // namespace zmtp::detail
