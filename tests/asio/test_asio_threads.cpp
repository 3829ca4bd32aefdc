// zmtp::asio_socket under concurrency: many sockets on one io_context, strands on an
// io_context run by several threads, and a socket whose send and receive handlers run on
// different threads at once (no strand). TSan checks these in the tsan stage.
#include "tests/asio/asio_test_support.hpp"

#include <asio/strand.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

using namespace zmtp;
using namespace zmtp::test;

namespace {

// Catch2 assertions are not thread-safe: handlers on pool threads count failures instead.
std::atomic<int> failures{0};
void expect(bool ok) {
    if (!ok)
        ++failures;
}

/// Bounces `rounds` messages between a and b with callbacks; both sides stop after `rounds`.
struct ping_pong : std::enable_shared_from_this<ping_pong> {
    ping_pong(const asio::any_io_executor& ex, context& ctx, const std::string& transport,
              int rounds)
        : p(ex, ctx, transport), rounds(rounds), left(rounds) {}

    void start() {
        echo();
        ping();
    }
    void ping() {
        auto self = shared_from_this();
        p.b.async_send(msg("ping"), [self](std::error_code ec, std::size_t) {
            expect(!ec);
            self->p.b.async_recv(self->reply, [self](std::error_code ec2, std::size_t) {
                expect(!ec2);
                expect(self->reply.to_string() == "ping");
                if (--self->left > 0)
                    self->ping();
                else
                    self->finished = true;
            });
        });
    }
    void echo() {
        auto self = shared_from_this();
        p.a.async_recv(request, [self](std::error_code ec, std::size_t) {
            expect(!ec);
            self->p.a.async_send(std::move(self->request),
                                 [self](std::error_code ec2, std::size_t) {
                                     expect(!ec2);
                                     if (++self->echoed < self->rounds)
                                         self->echo(); // else nothing is left pending
                                 });
        });
    }

    asio_pair p;
    message request, reply;
    const int rounds;
    int left;
    int echoed = 0;
    bool finished = false;
};

} // namespace

TEST_CASE("many sockets on one io_context", "[asio]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    const int pairs = transport == "inproc" ? 100 : 25;
    context ctx;
    asio::io_context ioc;
    std::vector<std::shared_ptr<ping_pong>> all;
    for (int i = 0; i < pairs; ++i)
        all.push_back(std::make_shared<ping_pong>(ioc.get_executor(), ctx, transport, 50));
    for (auto& pp : all)
        pp->start();
    run_to_completion(ioc);
    for (auto& pp : all) {
        CHECK(pp->left == 0);
        CHECK(pp->finished);
    }
    CHECK(failures == 0);
}

TEST_CASE("strands on an io_context run by several threads", "[asio]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    context ctx(2);
    asio::io_context ioc(4);
    std::vector<std::shared_ptr<ping_pong>> all;
    for (int i = 0; i < 8; ++i)
        all.push_back(std::make_shared<ping_pong>(asio::make_strand(ioc), ctx, transport, 300));
    for (auto& pp : all)
        asio::post(pp->p.a.get_executor(), [pp] { pp->start(); });
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] { ioc.run(); });
    for (auto& t : threads)
        t.join();
    for (auto& pp : all) {
        CHECK(pp->left == 0);
        CHECK(pp->finished);
    }
    CHECK(failures == 0);
}

TEST_CASE("send and receive handlers of one socket on different threads at once", "[asio]") {
    // No strand: the socket's two operations complete on whichever thread is free; the
    // socket serialises its own state, the handlers touch disjoint data.
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    context ctx(2);
    asio::io_context ioc(3);
    asio_pair p(ioc.get_executor(), ctx, transport);
    constexpr int count = 2000;
    int a_sent = 0, a_received = 0;
    std::function<void()> a_send = [&] {
        p.a.async_send(msg(std::to_string(a_sent)), [&](std::error_code ec, std::size_t) {
            expect(!ec);
            if (++a_sent < count)
                a_send();
        });
    };
    message a_in;
    std::function<void()> a_recv = [&] {
        p.a.async_recv(a_in, [&](std::error_code ec, std::size_t) {
            expect(!ec);
            expect(a_in.to_string() == std::to_string(a_received));
            if (++a_received < count)
                a_recv();
        });
    };
    // b echoes in a chain of its own.
    int b_echoed = 0;
    message b_in;
    std::function<void()> b_echo = [&] {
        p.b.async_recv(b_in, [&](std::error_code ec, std::size_t) {
            expect(!ec);
            p.b.async_send(std::move(b_in), [&](std::error_code ec2, std::size_t) {
                expect(!ec2);
                if (++b_echoed < count)
                    b_echo();
            });
        });
    };
    asio::post(ioc, a_recv);
    asio::post(ioc, a_send);
    asio::post(ioc, b_echo);
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t)
        threads.emplace_back([&] { ioc.run(); });
    for (auto& t : threads)
        t.join();
    CHECK(a_sent == count);
    CHECK(a_received == count);
    CHECK(b_echoed == count);
    CHECK(failures == 0);
}
