// virtual_clock: the test-driven time behind engine_timer (see engine_timer.hpp).
#include "transports/stream/engine_timer.hpp"

#include <asio/error.hpp>
#include <asio/post.hpp>

namespace zmtp::detail {

std::chrono::milliseconds virtual_clock::next_deadline() const noexcept {
    std::chrono::milliseconds best{-1};
    for (const auto& [id, w] : waits_)
        if (best.count() < 0 || w.at < best)
            best = w.at;
    return best;
}

std::uint64_t virtual_clock::schedule(std::chrono::milliseconds at, wait_handler h) {
    const auto id = next_id_++;
    waits_.emplace(id, wait{at, std::move(h)});
    return id;
}

bool virtual_clock::cancel(std::uint64_t id) {
    auto it = waits_.find(id);
    if (it == waits_.end())
        return false;
    auto h = std::move(it->second.handler);
    waits_.erase(it);
    asio::post(io_, [h = std::move(h)] { h(asio::error::operation_aborted); });
    return true;
}

void virtual_clock::run_ready() {
    io_.restart();
    io_.poll();
}

void virtual_clock::advance(std::chrono::milliseconds d) {
    const auto target = now_ + d;
    run_ready();
    for (;;) {
        // The earliest wait due by `target` (ties: the one armed first).
        auto due = waits_.end();
        for (auto it = waits_.begin(); it != waits_.end(); ++it)
            if (it->second.at <= target && (due == waits_.end() || it->second.at < due->second.at))
                due = it;
        if (due == waits_.end())
            break;
        if (due->second.at > now_)
            now_ = due->second.at;
        auto h = std::move(due->second.handler);
        waits_.erase(due);
        asio::post(io_, [h = std::move(h)] { h(std::error_code{}); });
        run_ready();
    }
    now_ = target;
    run_ready();
}

} // namespace zmtp::detail
