// The monitor callback runs with no lock held (issue 10 item 9): it may call into its own
// socket, and one slow delivery on an I/O thread does not block the socket's own calls;
// events still arrive in order, and MONITOR_STOPPED comes after a listener's CLOSED.
#include "tests/support/catch.hpp"
#include "tests/support/transports.hpp"
#include "zmtp/zmtp.hpp"

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <vector>

using namespace zmtp;
using namespace std::chrono_literals;

namespace {

/// Events seen by a callback, and a gate the callback can be made to wait at.
struct recorder {
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<socket_event> events;
    bool hold_accepted = false; ///< block the delivery of ACCEPTED until released
    bool released = false;
    bool holding = false;

    void record(socket_event e) {
        std::unique_lock<std::mutex> lock(mutex);
        events.push_back(e);
        cv.notify_all();
        if (e == socket_event::accepted && hold_accepted) {
            holding = true;
            cv.notify_all();
            cv.wait_for(lock, 10s, [&] { return released; });
        }
    }
    bool wait_for(socket_event e, std::chrono::milliseconds timeout = 5s) {
        std::unique_lock<std::mutex> lock(mutex);
        return cv.wait_for(lock, timeout, [&] {
            for (auto x : events)
                if (x == e)
                    return true;
            return false;
        });
    }
    bool wait_holding() {
        std::unique_lock<std::mutex> lock(mutex);
        return cv.wait_for(lock, 5s, [&] { return holding; });
    }
    void release() {
        std::lock_guard<std::mutex> lock(mutex);
        released = true;
        cv.notify_all();
    }
    std::vector<socket_event> snapshot() {
        std::lock_guard<std::mutex> lock(mutex);
        return events;
    }
};

} // namespace

TEST_CASE("a monitor callback may call into its own socket", "[monitor]") {
    context ctx;
    socket s(ctx, socket_type::pair);
    s.set(opt::linger, 0);
    auto rec = std::make_shared<recorder>();
    // On LISTENING (reported from inside bind, on this thread) the callback reads an option
    // and replaces itself: both take the socket's monitor path again.
    s.monitor([&s, rec](socket_event e, std::uint32_t, const std::string&) {
        rec->record(e);
        if (e == socket_event::listening) {
            (void)s.get(opt::linger);
            s.monitor([rec](socket_event e2, std::uint32_t, const std::string&) {
                rec->record(e2);
            });
        }
    });
    auto bound = std::async(std::launch::async, [&] { s.bind(test::bind_endpoint("tcp")); });
    REQUIRE(bound.wait_for(5s) == std::future_status::ready); // a deadlock would hang here
    bound.get();
    // The first callback got LISTENING and then its MONITOR_STOPPED, in that order.
    const auto seen = rec->snapshot();
    REQUIRE(seen.size() >= 2);
    CHECK(seen[0] == socket_event::listening);
    CHECK(seen[1] == socket_event::monitor_stopped);
    s.close();
    CHECK(rec->wait_for(socket_event::closed));
}

TEST_CASE("a slow monitor callback does not block the socket's own calls", "[monitor]") {
    context ctx;
    socket server(ctx, socket_type::pair);
    socket client(ctx, socket_type::pair);
    server.set(opt::linger, 0);
    client.set(opt::linger, 0);
    auto rec = std::make_shared<recorder>();
    rec->hold_accepted = true;
    server.monitor(
        [rec](socket_event e, std::uint32_t, const std::string&) { rec->record(e); });
    server.bind(test::bind_endpoint("tcp"));
    client.connect(server.get(opt::last_endpoint));
    REQUIRE(rec->wait_holding()); // an I/O thread is now stuck delivering ACCEPTED
    // A second bind reports LISTENING on this thread: it is queued behind ACCEPTED instead
    // of waiting for the slow delivery to finish.
    auto bound = std::async(std::launch::async, [&] { server.bind(test::bind_endpoint("ipc")); });
    const bool returned = bound.wait_for(5s) == std::future_status::ready;
    rec->release();
    bound.wait();
    CHECK(returned);
    REQUIRE(rec->wait_for(socket_event::handshake_succeeded));
    REQUIRE(rec->wait_for(socket_event::listening)); // still delivered (by the I/O thread)
    const auto seen = rec->snapshot();
    // In order: LISTENING (first bind), ACCEPTED, then the second LISTENING after it.
    std::vector<socket_event> listen_accept;
    for (auto e : seen)
        if (e == socket_event::listening || e == socket_event::accepted)
            listen_accept.push_back(e);
    CHECK(listen_accept == std::vector<socket_event>{socket_event::listening,
                                                     socket_event::accepted,
                                                     socket_event::listening});
}

TEST_CASE("closing a bound socket reports CLOSED before MONITOR_STOPPED", "[monitor]") {
    const std::string transport = GENERATE("tcp", "ipc");
    context ctx;
    socket s(ctx, socket_type::pair);
    s.set(opt::linger, 0);
    auto rec = std::make_shared<recorder>();
    s.monitor([rec](socket_event e, std::uint32_t, const std::string&) { rec->record(e); });
    s.bind(test::bind_endpoint(transport));
    s.close();
    REQUIRE(rec->wait_for(socket_event::monitor_stopped));
    CHECK(rec->snapshot() == std::vector<socket_event>{socket_event::listening,
                                                       socket_event::closed,
                                                       socket_event::monitor_stopped});
}
