// The session's reconnect timer in virtual time, as zmq_setsockopt(3) of libzmq 4.3.4 documents
// it: ZMQ_RECONNECT_IVL is the wait between attempts (possibly randomised: we add up to one
// RECONNECT_IVL of jitter); with ZMQ_RECONNECT_IVL_MAX above it, the interval doubles on each
// attempt until RECONNECT_IVL_MAX (exponential back-off); 0 (the default) means no back-off.
// A connection that was made starts the back-off over. -1 disables reconnection (C-TCP-5).
#include "tests/engine/engine_rig.hpp"

#include "transports/stream/session.hpp"

#include <catch2/catch.hpp>

#include <climits>
#include <vector>

using namespace zmtp;
using namespace zmtp::test;

namespace {

/// Dials in virtual time: each attempt fails, unless the test queued a stream for it.
class scripted_dialer final : public detail::dialer {
public:
    scripted_dialer(asio::io_context& io, detail::virtual_clock& clock,
                    std::vector<std::chrono::milliseconds>& attempts,
                    std::vector<std::shared_ptr<test_stream>>& connects)
        : io_(io), clock_(clock), attempts_(attempts), connects_(connects) {}

    void async_dial(handler done) override {
        attempts_.push_back(clock_.now());
        if (connects_.empty()) {
            asio::post(io_, [this, done] {
                done(make_error_code(std::errc::connection_refused), detail::engine_stream(io_));
            });
            return;
        }
        auto s = connects_.front();
        connects_.erase(connects_.begin());
        asio::post(io_, [this, done, s] { done({}, test_stream::engine_end(io_, s)); });
    }
    void cancel() noexcept override {}

private:
    asio::io_context& io_;
    detail::virtual_clock& clock_;
    std::vector<std::chrono::milliseconds>& attempts_;
    std::vector<std::shared_ptr<test_stream>>& connects_;
};

struct session_rig {
    session_rig(int ivl, int ivl_max) {
        auto [a, e] = detail::pipe_end::make_pair(1000, 1000);
        app = a;
        detail::engine_config cfg;
        cfg.endpoint = "tcp://test";
        cfg.clock = &clock;
        s = std::make_shared<detail::session>(
            io, nullptr, std::make_unique<scripted_dialer>(io, clock, attempts, connects), e,
            std::move(cfg), ivl, ivl_max);
        s->start();
    }
    ~session_rig() {
        s->close();
        clock.run_ready();
        app.close();
    }
    /// The waits between consecutive attempts, from attempt `from` on.
    std::vector<long> gaps(std::size_t from = 0) const {
        std::vector<long> out;
        for (std::size_t i = from + 1; i < attempts.size(); ++i)
            out.push_back(static_cast<long>((attempts[i] - attempts[i - 1]).count()));
        return out;
    }

    asio::io_context io;
    detail::virtual_clock clock{io};
    std::vector<std::chrono::milliseconds> attempts;
    std::vector<std::shared_ptr<test_stream>> connects;
    detail::pipe_end app;
    std::shared_ptr<detail::session> s;
};

/// Each gap is the expected interval plus jitter below one RECONNECT_IVL.
void check_gaps(const std::vector<long>& gaps, const std::vector<long>& intervals, long ivl) {
    REQUIRE(gaps.size() >= intervals.size());
    for (std::size_t i = 0; i < intervals.size(); ++i) {
        INFO("gap " << i << " = " << gaps[i] << " ms, interval " << intervals[i]);
        CHECK(gaps[i] >= intervals[i]);
        CHECK(gaps[i] < intervals[i] + ivl);
    }
}

} // namespace

TEST_CASE("session: failed dials back off, doubling up to RECONNECT_IVL_MAX",
          "[engine][reconnect]") {
    session_rig rig(100, 800);
    rig.clock.advance(5000ms);
    REQUIRE(rig.attempts.size() >= 6);
    CHECK(rig.attempts[0] == 0ms); // the first dial does not wait
    check_gaps(rig.gaps(), {100, 200, 400, 800, 800}, 100);
}

TEST_CASE("session: RECONNECT_IVL_MAX 0 means no back-off", "[engine][reconnect]") {
    session_rig rig(100, 0);
    rig.clock.advance(2000ms);
    REQUIRE(rig.attempts.size() >= 10);
    const auto gaps = rig.gaps();
    check_gaps(gaps, std::vector<long>(gaps.size(), 100), 100);
}

TEST_CASE("session: RECONNECT_IVL_MAX below RECONNECT_IVL means no back-off",
          "[engine][reconnect]") {
    session_rig rig(300, 200);
    rig.clock.advance(3000ms);
    const auto gaps = rig.gaps();
    REQUIRE(gaps.size() >= 5);
    check_gaps(gaps, std::vector<long>(gaps.size(), 300), 300);
}

TEST_CASE("session: a connection that was made restarts the back-off", "[engine][reconnect]") {
    session_rig rig(100, 10000);
    rig.clock.advance(1500ms); // attempts at 0, ~100, ~300, ~700, ~1500: the interval grew
    const auto failed = rig.attempts.size();
    REQUIRE(failed >= 4);
    auto stream = std::make_shared<test_stream>(rig.io);
    rig.connects.push_back(stream);
    rig.clock.advance(std::chrono::milliseconds(100 << failed)); // past the next attempt
    REQUIRE(rig.attempts.size() == failed + 1);
    const auto connected_at = rig.attempts.back();
    stream->peer_send(peer_greeting_and_ready(wire::socket_kind::pair));
    rig.clock.advance(50ms);
    stream->peer_close(); // the connection drops: the next wait is RECONNECT_IVL again
    const auto dropped_at = rig.clock.now();
    rig.clock.advance(1000ms);
    REQUIRE(rig.attempts.size() >= failed + 4);
    CHECK(rig.attempts[failed] == connected_at);
    const auto first_wait = (rig.attempts[failed + 1] - dropped_at).count();
    CHECK(first_wait >= 100);
    CHECK(first_wait < 200);
    check_gaps(rig.gaps(failed + 1), {200, 400}, 100);
}

TEST_CASE("session: the back-off never overflows near INT_MAX", "[engine][reconnect]") {
    // RECONNECT_IVL_MAX at INT_MAX: the doubling passes 2^30 and must stop at the maximum
    // (a signed overflow would make the interval negative: a reconnect storm).
    session_rig rig(1000, INT_MAX);
    for (int i = 0; i < 40; ++i)
        rig.clock.advance(std::chrono::milliseconds(INT_MAX) + 1000ms);
    const auto gaps = rig.gaps();
    REQUIRE(gaps.size() >= 30);
    for (std::size_t i = 0; i < gaps.size(); ++i) {
        INFO("gap " << i << " = " << gaps[i]);
        const long expected = std::min<long>(1000L << std::min<std::size_t>(i, 31), INT_MAX);
        CHECK(gaps[i] >= expected);
        CHECK(gaps[i] < expected + 1000);
    }
}

TEST_CASE("session: RECONNECT_IVL -1 never redials", "[engine][reconnect]") {
    session_rig rig(-1, 0);
    rig.clock.advance(60000ms);
    CHECK(rig.attempts.size() == 1);
}
