// asio_echo_deadline: a PAIR echo server and a client as coroutines on one io_context, with
// zmtp::asio_socket. Each reply is awaited with a deadline: `recv || timer` (awaitable
// operators), then the same with a cancellation slot fired by a timer (what Asio 1.31's
// cancel_after does; Asio 1.22 has no cancel_after). The server stays silent on "quiet", so
// the last receive of each style must hit its deadline.
//
// usage: asio_echo_deadline [tcp|ipc|inproc]
#include "zmtp/asio_socket.hpp"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <cstdio>
#include <memory>
#include <string>

using asio::awaitable;
using asio::use_awaitable;
using namespace asio::experimental::awaitable_operators;
using namespace std::chrono_literals;

namespace {

awaitable<void> echo_server(zmtp::asio_socket& s) {
    zmtp::message m;
    for (;;) {
        co_await s.async_recv(m, use_awaitable);
        if (m.view() == "stop")
            co_return;
        if (m.view() != "quiet")
            co_await s.async_send(std::move(m), use_awaitable);
    }
}

/// Receives with a deadline: true if a message came in time.
awaitable<bool> recv_within(zmtp::asio_socket& s, zmtp::message& m,
                            std::chrono::milliseconds limit) {
    asio::steady_timer deadline(co_await asio::this_coro::executor, limit);
    auto r = co_await (s.async_recv(m, use_awaitable) || deadline.async_wait(use_awaitable));
    co_return r.index() == 0; // 1: the timer won and the receive was cancelled
}

/// The same with a cancellation slot: the timer emits, the receive ends with
/// operation_aborted (no exception: as_tuple hands over the error code).
awaitable<bool> recv_cancel_after(zmtp::asio_socket& s, zmtp::message& m,
                                  std::chrono::milliseconds limit) {
    // Shared: the timer's handler may already be queued when the receive wins.
    auto cancel = std::make_shared<asio::cancellation_signal>();
    asio::steady_timer deadline(co_await asio::this_coro::executor, limit);
    deadline.async_wait([cancel](std::error_code ec) {
        if (!ec)
            cancel->emit(asio::cancellation_type::terminal);
    });
    auto [ec, n] = co_await s.async_recv(
        m,
        asio::bind_cancellation_slot(cancel->slot(), asio::experimental::as_tuple(use_awaitable)));
    deadline.cancel();
    if (ec && ec != asio::error::operation_aborted)
        throw std::system_error(ec);
    (void)n;
    co_return !ec;
}

awaitable<int> client(zmtp::asio_socket& s) {
    int failures = 0;
    zmtp::message reply;
    for (int i = 0; i < 5; ++i) {
        const std::string text = "hello " + std::to_string(i);
        co_await s.async_send(zmtp::message(text), use_awaitable);
        const bool in_time =
            i % 2 ? co_await recv_within(s, reply, 5s) : co_await recv_cancel_after(s, reply, 5s);
        std::printf("client: %s -> %s\n", text.c_str(),
                    in_time ? reply.to_string().c_str() : "(deadline)");
        failures += !(in_time && reply.view() == text);
    }
    for (int style = 0; style < 2; ++style) {
        co_await s.async_send(zmtp::message(std::string_view("quiet")), use_awaitable);
        const bool in_time = style ? co_await recv_within(s, reply, 100ms)
                                   : co_await recv_cancel_after(s, reply, 100ms);
        std::printf("client: quiet -> %s\n",
                    in_time ? "unexpected reply" : "deadline, as expected");
        failures += in_time;
    }
    co_await s.async_send(zmtp::message(std::string_view("stop")), use_awaitable);
    co_return failures;
}

} // namespace

int main(int argc, char** argv) {
    const std::string transport = argc > 1 ? argv[1] : "tcp";
    zmtp::context ctx;
    asio::io_context ioc;
    zmtp::asio_socket server(ioc, ctx, zmtp::socket_type::pair);
    zmtp::asio_socket peer(ioc, ctx, zmtp::socket_type::pair);
    server.bind(transport == "tcp"   ? "tcp://127.0.0.1:*"
                : transport == "ipc" ? "ipc://*"
                                     : "inproc://echo");
    peer.connect(server.get(zmtp::opt::last_endpoint));

    int failures = -1;
    asio::co_spawn(ioc, echo_server(server), asio::detached);
    asio::co_spawn(ioc, client(peer), [&](std::exception_ptr e, int f) {
        if (e)
            std::rethrow_exception(e);
        failures = f;
    });
    ioc.run();
    std::printf("%s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
