// zmtp::asio_socket with each kind of completion token: use_future (io_context on another
// thread), deferred, use_awaitable coroutines, awaitable operators (|| with a timer as a
// deadline, && for both directions) and parallel_group.
#include "tests/asio/asio_test_support.hpp"

#include <asio/executor_work_guard.hpp>
#include <asio/experimental/deferred.hpp>
#include <asio/experimental/parallel_group.hpp>
#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_future.hpp>
#if defined(ASIO_HAS_CO_AWAIT)
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/use_awaitable.hpp>
#endif

#include <thread>
#include <variant>

using namespace zmtp;
using namespace zmtp::test;
using namespace std::chrono_literals;

TEST_CASE("use_future: an application thread waits on the result", "[asio]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    context ctx;
    asio::io_context ioc;
    auto guard = asio::make_work_guard(ioc);
    std::thread runner([&] { ioc.run(); });
    {
        asio_pair p(ioc.get_executor(), ctx, transport);
        message in;
        auto received = p.a.async_recv(in, asio::use_future);
        auto sent = p.b.async_send(msg("future"), asio::use_future);
        CHECK(sent.get() == 6);
        CHECK(received.get() == 6);
        CHECK(in.to_string() == "future");

        // An error arrives as an exception from get().
        p.a.close();
        auto failed = p.a.async_recv(in, asio::use_future);
        CHECK_THROWS_AS(failed.get(), std::system_error);
    }
    guard.reset();
    runner.join();
}

TEST_CASE("use_future on a thread_pool executor", "[asio]") {
    context ctx;
    asio::thread_pool pool(2);
    asio_pair p(pool.get_executor(), ctx, "inproc");
    for (int i = 0; i < 100; ++i) {
        message in;
        auto r = p.a.async_recv(in, asio::use_future);
        auto s = p.b.async_send(msg(std::to_string(i)), asio::use_future);
        s.get();
        r.get();
        REQUIRE(in.to_string() == std::to_string(i));
    }
    pool.join();
}

TEST_CASE("deferred: nothing happens until the operation is launched", "[asio]") {
    context ctx;
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), ctx, "inproc");
    message in;
    auto op = p.a.async_recv(in, asio::experimental::deferred);
    auto send = p.b.async_send(msg("later"), asio::experimental::deferred);
    ioc.poll();
    CHECK(ioc.stopped()); // nothing started: no work
    ioc.restart();
    std::move(send)([](std::error_code ec, std::size_t) { CHECK(!ec); });
    run_to_completion(ioc);
    CHECK(in.empty()); // the receive was not started yet
    ioc.restart();
    std::size_t got = 0;
    std::move(op)([&](std::error_code ec, std::size_t n) {
        CHECK(!ec);
        got = n;
    });
    run_to_completion(ioc);
    CHECK(got == 5);
    CHECK(in.to_string() == "later");
}

TEST_CASE("parallel_group: a deadline races a receive", "[asio]") {
    context ctx;
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), ctx, "inproc");
    message in;
    asio::steady_timer timer(ioc, 20ms);
    std::error_code recv_ec;
    bool done = false;
    asio::experimental::make_parallel_group(p.a.async_recv(in, asio::experimental::deferred),
                                            timer.async_wait(asio::experimental::deferred))
        .async_wait(asio::experimental::wait_for_one(),
                    [&](std::array<std::size_t, 2> order, std::error_code ec1, std::size_t,
                        std::error_code) {
                        CHECK(order[0] == 1); // nobody sends: the timer wins
                        recv_ec = ec1;
                        done = true;
                    });
    run_to_completion(ioc);
    CHECK(done);
    CHECK(recv_ec == asio::error::operation_aborted);
}

#if defined(ASIO_HAS_CO_AWAIT)

using namespace asio::experimental::awaitable_operators;

namespace {

asio::awaitable<void> echo(asio_socket& s, int count) {
    message m;
    for (int i = 0; i < count; ++i) {
        co_await s.async_recv(m, asio::use_awaitable);
        co_await s.async_send(std::move(m), asio::use_awaitable);
    }
}

} // namespace

TEST_CASE("use_awaitable: a coroutine echo over every transport", "[asio][coro]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    context ctx;
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), ctx, transport);
    constexpr int count = 200;
    int ok = 0;
    asio::co_spawn(ioc, echo(p.a, count), asio::detached);
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            message m;
            for (int i = 0; i < count; ++i) {
                co_await p.b.async_send(msg("ping " + std::to_string(i)), asio::use_awaitable);
                std::size_t n = co_await p.b.async_recv(m, asio::use_awaitable);
                if (m.to_string() == "ping " + std::to_string(i) && n == m.size())
                    ++ok;
            }
        },
        asio::detached);
    run_to_completion(ioc);
    CHECK(ok == count);
}

TEST_CASE("awaitable operators: || with a timer is a deadline", "[asio][coro]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    context ctx;
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), ctx, transport);
    int outcome = -1, second = -1;
    std::string got;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            message m;
            asio::steady_timer t(ioc);
            // Nothing was sent: the deadline expires and cancels the receive.
            t.expires_after(20ms);
            auto r = co_await (p.a.async_recv(m, asio::use_awaitable) ||
                               t.async_wait(asio::use_awaitable));
            outcome = static_cast<int>(r.index());
            // The cancelled receive left the socket free: the next one works, and a message
            // that is there wins against a far deadline.
            co_await p.b.async_send(msg("in time"), asio::use_awaitable);
            t.expires_after(1h);
            auto r2 = co_await (p.a.async_recv(m, asio::use_awaitable) ||
                                t.async_wait(asio::use_awaitable));
            second = static_cast<int>(r2.index());
            got = m.to_string();
        },
        asio::detached);
    run_to_completion(ioc);
    CHECK(outcome == 1);
    CHECK(second == 0);
    CHECK(got == "in time");
}

TEST_CASE("awaitable operators: && sends and receives at once", "[asio][coro]") {
    context ctx;
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), ctx, "inproc");
    std::string a_got, b_got;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            message ma, mb;
            co_await (p.a.async_recv(ma, asio::use_awaitable) &&
                      p.b.async_recv(mb, asio::use_awaitable) &&
                      p.a.async_send(msg("to b"), asio::use_awaitable) &&
                      p.b.async_send(msg("to a"), asio::use_awaitable));
            a_got = ma.to_string();
            b_got = mb.to_string();
        },
        asio::detached);
    run_to_completion(ioc);
    CHECK(a_got == "to a");
    CHECK(b_got == "to b");
}

TEST_CASE("a coroutine sees errors as system_error", "[asio][coro]") {
    context ctx;
    asio::io_context ioc;
    asio_socket s(ioc, ctx, socket_type::pair);
    std::error_code seen;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            message m;
            try {
                co_await s.async_recv(m, asio::use_awaitable);
            } catch (const std::system_error& e) {
                seen = e.code();
            }
        },
        asio::detached);
    ioc.poll();
    s.close();
    run_to_completion(ioc);
    CHECK(seen == asio::error::operation_aborted);
}

#endif
