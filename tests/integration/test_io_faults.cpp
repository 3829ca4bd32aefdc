// An allocation failure inside an I/O handler (issue 10 item 6) drops that one connection,
// reported as DISCONNECTED; the I/O thread survives and every other connection keeps
// delivering (and the dropped peer reconnects). The failure is injected through the
// library's test hook (core/fault_injection.hpp), inert unless armed.
#include "core/fault_injection.hpp"
#include "tests/support/catch.hpp"
#include "tests/support/transports.hpp"
#include "tests/support/wait.hpp"
#include "zmtp/zmtp.hpp"

#include <atomic>
#include <memory>
#include <set>
#include <string>

using namespace zmtp;
namespace fault = zmtp::detail::fault_injection;

TEST_CASE("a handler that throws bad_alloc drops its connection only", "[faults][tcp][ipc]") {
    const std::string transport = GENERATE("tcp", "ipc");
    INFO("transport " << transport);
    context ctx;
    socket server(ctx, socket_type::pull);
    server.set(opt::linger, 0);
    server.set(opt::rcvtimeo, 5000);
    // Shared: a monitor callback may run after its socket closed (its MONITOR_STOPPED comes
    // once the last connection is gone).
    auto disconnected_ptr = std::make_shared<std::atomic<int>>(0);
    auto& disconnected = *disconnected_ptr;
    server.monitor(
        [disconnected_ptr](socket_event e, std::uint32_t, const std::string&) {
            if (e == socket_event::disconnected)
                ++*disconnected_ptr;
        },
        static_cast<std::uint32_t>(socket_event::disconnected));
    server.bind(test::bind_endpoint(transport));
    const std::string endpoint = server.get(opt::last_endpoint);
    socket a(ctx, socket_type::push), b(ctx, socket_type::push);
    auto a_handshakes_ptr = std::make_shared<std::atomic<int>>(0);
    auto& a_handshakes = *a_handshakes_ptr;
    a.monitor(
        [a_handshakes_ptr](socket_event, std::uint32_t, const std::string&) {
            ++*a_handshakes_ptr;
        },
        static_cast<std::uint32_t>(socket_event::handshake_succeeded));
    for (socket* s : {&a, &b}) {
        s->set(opt::linger, 0);
        s->set(opt::sndtimeo, 5000);
        s->connect(endpoint);
    }
    // Both connections are up: each delivers once (PULL fair-queues, so read both).
    REQUIRE(a.send("a-1"));
    REQUIRE(b.send("b-1"));
    std::set<std::string> got;
    message m;
    for (int i = 0; i < 2; ++i) {
        REQUIRE(server.recv(m));
        got.insert(m.to_string());
    }
    CHECK(got == std::set<std::string>{"a-1", "b-1"});

    // The next allocation point reached on an I/O thread throws: it is the server's engine
    // for `a`, decoding the only message in flight.
    const int before = fault::injected();
    fault::fail_nth_allocation(1);
    REQUIRE(a.send("lost"));
    REQUIRE(test::wait_until([&] { return fault::injected() == before + 1; }));
    REQUIRE(test::wait_until([&] { return disconnected.load() == 1; }));
    // `b` still delivers, on the same I/O thread.
    REQUIRE(b.send("b-2"));
    REQUIRE(server.recv(m));
    CHECK(m.to_string() == "b-2");
    CHECK(disconnected.load() == 1);

    // `a` reconnects (its peer closed the connection) and delivers again. (Sent before `a`
    // notices the close, a message would be lost with the old connection, as in libzmq.)
    REQUIRE(test::wait_until([&] { return a_handshakes.load() == 2; }));
    REQUIRE(a.send("a-2"));
    REQUIRE(server.recv(m));
    CHECK(m.to_string() == "a-2");
}
