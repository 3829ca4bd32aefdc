// PAIR over ipc through the C++ API: delivery both ways, sizes, multipart, ordering,
// connect before bind, reconnection after the bound peer restarts (C-IPC-6), monitor events.
#include "tests/ipc/ipc_support.hpp"
#include "tests/support/wait.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

using namespace zmtp;
using zmtp::test::make_pair;
using zmtp::test::recv_string;

namespace {

/// A bound and a connected PAIR over ipc in a private directory.
struct ipc_pair {
    test::temp_dir dir;
    context ctx;
    socket server = make_pair(ctx);
    socket client = make_pair(ctx);
    std::string endpoint = dir.endpoint("pair.sock");

    ipc_pair() {
        server.bind(endpoint);
        client.connect(endpoint);
    }
};

std::string numbered(std::uint32_t i) {
    std::string s(4, '\0');
    std::memcpy(s.data(), &i, 4);
    return s;
}

/// The number in a 4-byte frame, or UINT32_MAX for anything else. No Catch macro here: it is
/// called from a receiver thread, and Catch's assertion state is not thread-safe.
std::uint32_t number_of(const message& m) {
    if (m.size() != 4)
        return UINT32_MAX;
    std::uint32_t i = 0;
    std::memcpy(&i, m.data(), 4);
    return i;
}

} // namespace

TEST_CASE("PAIR delivers both ways over ipc", "[ipc][pair]") {
    ipc_pair p;
    REQUIRE(p.client.send("ping"));
    CHECK(recv_string(p.server) == "ping");
    REQUIRE(p.server.send("pong"));
    CHECK(recv_string(p.client) == "pong");
    CHECK(p.server.get(opt::last_endpoint) == p.endpoint);
    CHECK(p.client.get(opt::last_endpoint) == p.endpoint);
}

TEST_CASE("ipc carries every frame size intact in both directions", "[ipc][pair]") {
    ipc_pair p;
    for (std::size_t size : {0u, 1u, 255u, 256u, 65536u, 8u * 1024 * 1024}) {
        CAPTURE(size);
        std::string payload(size, '\0');
        for (std::size_t i = 0; i < size; ++i)
            payload[i] = static_cast<char>(i * 31 + 7);
        for (auto [from, to] : {std::pair{&p.client, &p.server}, std::pair{&p.server, &p.client}}) {
            REQUIRE(from->send(payload));
            message m;
            REQUIRE(to->recv(m));
            CHECK(m.size() == size);
            CHECK(m.view() == payload);
            CHECK_FALSE(m.more());
        }
    }
}

TEST_CASE("ipc multipart arrives whole with more flags", "[ipc][pair]") {
    ipc_pair p;
    REQUIRE(p.client.send("a", send_flags::sndmore));
    REQUIRE(p.client.send("", send_flags::sndmore));
    REQUIRE(p.client.send(std::string(70000, 'c')));
    message m;
    REQUIRE(p.server.recv(m));
    CHECK((m.to_string() == "a" && m.more()));
    REQUIRE(p.server.recv(m));
    CHECK((m.empty() && m.more()));
    REQUIRE(p.server.recv(m));
    CHECK(m.size() == 70000);
    CHECK_FALSE(m.more());
}

TEST_CASE("100k ipc messages arrive in order", "[ipc][pair]") {
    ipc_pair p;
    constexpr std::uint32_t count = 100000;
    std::uint32_t received = 0;
    bool ordered = true;
    std::thread reader([&] {
        message m;
        while (received < count && p.server.recv(m)) {
            ordered = ordered && number_of(m) == received;
            ++received;
        }
    });
    for (std::uint32_t i = 0; i < count; ++i)
        REQUIRE(p.client.send(numbered(i)));
    reader.join();
    CHECK(received == count);
    CHECK(ordered);
}

TEST_CASE("C-IPC-6 connect before bind: messages wait for the listener", "[ipc][pair]") {
    test::temp_dir dir;
    context ctx;
    socket client = make_pair(ctx);
    const auto ep = dir.endpoint("later.sock");
    std::error_code ec;
    client.connect(ep, ec); // the path does not exist yet: still 0, retried in the background
    REQUIRE_FALSE(ec);
    REQUIRE(client.send("early"));
    socket server = make_pair(ctx);
    server.bind(ep);
    CHECK(recv_string(server) == "early");
    REQUIRE(server.send("reply"));
    CHECK(recv_string(client) == "reply");
}

TEST_CASE("C-IPC-6 connect into a missing directory retries until it appears", "[ipc][pair]") {
    test::temp_dir dir;
    context ctx;
    socket client = make_pair(ctx);
    const auto sub = dir.file("sub");
    std::error_code ec;
    client.connect("ipc://" + sub + "/s", ec);
    REQUIRE_FALSE(ec);
    REQUIRE(::mkdir(sub.c_str(), 0700) == 0);
    socket server = make_pair(ctx);
    server.bind("ipc://" + sub + "/s");
    REQUIRE(client.send("hello"));
    CHECK(recv_string(server) == "hello");
}

TEST_CASE("ipc reconnects after the bound peer restarts, keeping order", "[ipc][pair]") {
    test::temp_dir dir;
    context ctx;
    const auto ep = dir.endpoint("restart.sock");
    socket client = make_pair(ctx);
    client.set(opt::sndhwm, 100000);
    std::uint32_t next = 0;
    {
        socket server = make_pair(ctx);
        server.bind(ep);
        client.connect(ep);
        for (; next < 100; ++next)
            REQUIRE(client.send(numbered(next)));
        message m;
        for (std::uint32_t i = 0; i < 100; ++i) {
            REQUIRE(server.recv(m));
            REQUIRE(number_of(m) == i);
        }
        server.close();
    }
    // Keep a numbered stream going across the restart. Messages already handed to the
    // kernel when the connection broke may be lost; the rest arrive in order.
    for (; next < 200; ++next)
        REQUIRE(client.send(numbered(next)));
    socket server = make_pair(ctx);
    server.bind(ep);
    message m;
    const bool got_any = test::wait_until(
        [&] {
            if (!client.send(numbered(next), send_flags::dontwait))
                return false;
            ++next;
            return server.recv(m, recv_flags::dontwait);
        },
        std::chrono::seconds(10));
    REQUIRE(got_any);
    const auto first_seen = number_of(m);
    CHECK(first_seen >= 100);
    std::uint32_t expected = first_seen + 1;
    for (std::uint32_t i = 0; i < 50; ++i, ++next)
        REQUIRE(client.send(numbered(next)));
    while (expected < next) {
        REQUIRE(server.recv(m));
        REQUIRE(number_of(m) == expected);
        ++expected;
    }
    REQUIRE(server.send("back"));
    CHECK(recv_string(client) == "back");
}

TEST_CASE("unbind stops new ipc connections and disconnect stops the client", "[ipc][pair]") {
    ipc_pair p;
    REQUIRE(p.client.send("one"));
    CHECK(recv_string(p.server) == "one");
    p.server.unbind(p.endpoint);
    std::error_code ec;
    p.server.unbind(p.endpoint, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    p.client.disconnect(p.endpoint);
    p.client.disconnect(p.endpoint, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
}

namespace {

/// Collects monitor events (they arrive on I/O threads).
struct event_log {
    std::mutex mutex;
    std::vector<std::pair<socket_event, std::string>> events;
    std::vector<std::uint32_t> values;

    monitor_fn fn() {
        return [this](socket_event e, std::uint32_t value, const std::string& ep) {
            std::lock_guard<std::mutex> lock(mutex);
            events.emplace_back(e, ep);
            values.push_back(value);
        };
    }
    /// The value of the first `e` reported for `ep`, if any.
    std::optional<std::uint32_t> find(socket_event e, const std::string& ep) {
        std::lock_guard<std::mutex> lock(mutex);
        for (std::size_t i = 0; i < events.size(); ++i)
            if (events[i].first == e && events[i].second == ep)
                return values[i];
        return std::nullopt;
    }
};

} // namespace

TEST_CASE("ipc monitor events name the endpoint (the wildcard's real path)", "[ipc][monitor]") {
    test::temp_dir dir;
    test::process_state_guard restore;
    ::setenv("TMPDIR", dir.path().c_str(), 1);
    event_log server_events, client_events;
    context ctx;
    socket server = make_pair(ctx);
    socket client = make_pair(ctx);
    server.monitor(server_events.fn());
    client.monitor(client_events.fn());

    std::error_code ec;
    const auto missing = dir.endpoint("missing/s");
    server.bind(missing, ec);
    REQUIRE(ec == std::errc::no_such_file_or_directory);
    CHECK(server_events.find(socket_event::bind_failed, missing) ==
          std::optional<std::uint32_t>(ENOENT));

    server.bind("ipc://*");
    const auto ep = server.get(opt::last_endpoint);
    client.connect(ep);
    REQUIRE(client.send("hello"));
    CHECK(recv_string(server) == "hello");
    CHECK(test::wait_until([&] {
        return server_events.find(socket_event::listening, ep) &&
               server_events.find(socket_event::accepted, ep) &&
               server_events.find(socket_event::handshake_succeeded, ep) &&
               client_events.find(socket_event::connected, ep) &&
               client_events.find(socket_event::handshake_succeeded, ep);
    }));
    server.monitor({});
    client.monitor({});
}
