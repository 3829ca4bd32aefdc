// Heartbeat test support (see heartbeat_support.hpp).
#include "tests/heartbeat/heartbeat_support.hpp"

#include "tests/support/catch.hpp"

#include <algorithm>

namespace zmtp::test {

event_log::event_log(zmtp::socket& s) : state_(std::make_shared<state>()) {
    s.monitor([st = state_](socket_event e, std::uint32_t, const std::string&) {
        {
            std::lock_guard<std::mutex> lock(st->m);
            st->events.push_back(e);
        }
        st->cv.notify_all();
    });
}

bool event_log::wait_for(socket_event e, std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(state_->m);
    return state_->cv.wait_for(lock, timeout, [&] {
        return static_cast<std::size_t>(
                   std::count(state_->events.begin(), state_->events.end(), e)) >= n;
    });
}

std::size_t event_log::count(socket_event e) const {
    std::lock_guard<std::mutex> lock(state_->m);
    return static_cast<std::size_t>(std::count(state_->events.begin(), state_->events.end(), e));
}

zmtp::socket heartbeat_pair(zmtp::context& ctx, const heartbeat_options& hb) {
    zmtp::socket s(ctx, socket_type::pair);
    s.set(opt::linger, 0);
    s.set(opt::rcvtimeo, static_cast<int>(hb_wait.count()));
    s.set(opt::sndtimeo, static_cast<int>(hb_wait.count()));
    s.set(opt::heartbeat_ivl, hb.ivl);
    s.set(opt::heartbeat_ttl, hb.ttl);
    if (hb.timeout >= 0)
        s.set(opt::heartbeat_timeout, hb.timeout);
    return s;
}

bytes ping_data(std::uint16_t ttl_ds, std::string_view context) {
    bytes out(2 + context.size());
    out[0] = static_cast<std::uint8_t>(ttl_ds >> 8);
    out[1] = static_cast<std::uint8_t>(ttl_ds);
    std::copy(context.begin(), context.end(), out.begin() + 2);
    return out;
}

bytes ping_command(std::uint16_t ttl_ds, std::string_view context) {
    const bytes data = ping_data(ttl_ds, context);
    return command("PING",
                   std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

raw_frame expect_command(raw_peer& peer, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::max(std::chrono::milliseconds(1),
                                   std::chrono::duration_cast<std::chrono::milliseconds>(
                                       deadline - std::chrono::steady_clock::now()));
        raw_frame f;
        const auto st = peer.read_frame(f, left);
        INFO("read_frame status " << static_cast<int>(st) << " " << peer.last_error());
        REQUIRE(st == read_status::ok);
        if (f.command())
            return f;
    }
}

void round_trip(zmtp::socket& from, zmtp::socket& to, const std::string& text) {
    REQUIRE(from.send(text));
    message m;
    REQUIRE(to.recv(m));
    CHECK(m.to_string() == text);
}

} // namespace zmtp::test
