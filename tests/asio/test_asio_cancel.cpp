// Cancellation of zmtp::asio_socket operations: per-operation cancellation slots (terminal,
// partial, total), cancel(), close() with operations pending, and context termination (ETERM).
#include "tests/asio/asio_test_support.hpp"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/post.hpp>

#include <thread>

using namespace zmtp;
using namespace zmtp::test;

TEST_CASE("a cancellation slot aborts a waiting receive; the socket stays usable", "[asio]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    const auto type = GENERATE(asio::cancellation_type::terminal, asio::cancellation_type::partial,
                               asio::cancellation_type::total);
    context ctx;
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), ctx, transport);
    asio::cancellation_signal signal;
    message in;
    std::error_code first;
    bool first_done = false;
    p.a.async_recv(
        in, asio::bind_cancellation_slot(signal.slot(), [&](std::error_code ec, std::size_t) {
            first = ec;
            first_done = true;
        }));
    ioc.poll();
    CHECK(!first_done);
    asio::post(ioc, [&] { signal.emit(type); });
    ioc.run_one(); // the emit
    // The abort is posted, not run inside emit().
    ioc.poll();
    CHECK(first_done);
    CHECK(first == asio::error::operation_aborted);
    CHECK(in.empty());
    // The slot no longer reaches the socket: a late emit is harmless.
    signal.emit(asio::cancellation_type::terminal);

    // The next receive works, and nothing was lost.
    ioc.restart();
    p.b.async_send(msg("after"), [](std::error_code ec, std::size_t) { CHECK(!ec); });
    p.a.async_recv(in, [&](std::error_code ec, std::size_t) { CHECK(!ec); });
    run_to_completion(ioc);
    CHECK(in.to_string() == "after");
}

TEST_CASE("a cancellation slot aborts a waiting send; the message is not sent", "[asio]") {
    context ctx;
    asio::io_context ioc;
    asio_socket s(ioc, ctx, socket_type::pair);
    asio::cancellation_signal signal;
    std::error_code result;
    s.async_send(msg("never"),
                 asio::bind_cancellation_slot(
                     signal.slot(), [&](std::error_code ec, std::size_t) { result = ec; }));
    ioc.poll();
    CHECK(!ioc.stopped());
    signal.emit(asio::cancellation_type::terminal);
    run_to_completion(ioc);
    CHECK(result == asio::error::operation_aborted);

    // A peer connecting now gets nothing from the cancelled send.
    ioc.restart();
    asio_socket peer(ioc, ctx, socket_type::pair);
    s.bind("inproc://cancelled-send");
    peer.connect("inproc://cancelled-send");
    s.async_send(msg("real"), [](std::error_code ec, std::size_t) { CHECK(!ec); });
    message in;
    peer.async_recv(in, [](std::error_code ec, std::size_t) { CHECK(!ec); });
    run_to_completion(ioc);
    CHECK(in.to_string() == "real");
}

TEST_CASE("close() completes pending operations with operation_aborted", "[asio]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    context ctx;
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), ctx, transport);
    asio_socket lonely(ioc, ctx, socket_type::push); // no peer: its send waits
    message in;
    std::error_code recv_ec, send_ec, late_ec;
    int completions = 0;
    p.a.async_recv(in, [&](std::error_code ec, std::size_t) {
        recv_ec = ec;
        ++completions;
    });
    lonely.async_send(msg("never"), [&](std::error_code ec, std::size_t) {
        send_ec = ec;
        ++completions;
    });
    ioc.poll();
    CHECK(completions == 0);
    p.a.close();
    lonely.close();
    CHECK(completions == 0); // completions are posted, never run inside close()
    p.a.async_send(msg("late"), [&](std::error_code ec, std::size_t) {
        late_ec = ec;
        ++completions;
    });
    run_to_completion(ioc);
    CHECK(completions == 3);
    CHECK(recv_ec == asio::error::operation_aborted);
    CHECK(send_ec == asio::error::operation_aborted);
    CHECK(late_ec == std::errc::not_a_socket);
    CHECK(in.empty());
}

TEST_CASE("destroying the socket aborts its operations", "[asio]") {
    context ctx;
    asio::io_context ioc;
    std::error_code result;
    {
        asio_socket s(ioc, ctx, socket_type::sub);
        s.connect("inproc://nobody-binds");
        static message in; // outlives the socket: the handler runs after it is gone
        s.async_recv(in, [&](std::error_code ec, std::size_t) { result = ec; });
    }
    run_to_completion(ioc);
    CHECK(result == asio::error::operation_aborted);
}

TEST_CASE("context termination completes pending operations with ETERM", "[asio]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    auto ctx = std::make_unique<context>();
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), *ctx, transport);
    asio_socket lonely(ioc, *ctx, socket_type::push); // a send that waits: no peer
    message in_a, in_b;
    std::error_code ec_a, ec_b, ec_push;
    // Each handler closes its socket, as an application does on ETERM; terminate() returns
    // once all three are closed.
    p.a.async_recv(in_a, [&](std::error_code ec, std::size_t) {
        ec_a = ec;
        p.a.close();
    });
    p.b.async_recv(in_b, [&](std::error_code ec, std::size_t) {
        ec_b = ec;
        p.b.close();
    });
    lonely.async_send(msg("x"), [&](std::error_code ec, std::size_t) {
        ec_push = ec;
        lonely.close();
    });
    ioc.poll();
    CHECK(!ioc.stopped());
    std::thread terminator([&] { ctx->terminate(); });
    run_to_completion(ioc);
    terminator.join();
    CHECK(ec_a == errc::terminated);
    CHECK(ec_b == errc::terminated);
    CHECK(ec_push == errc::terminated);
    CHECK(&ec_a.category() == &zmtp_category());
    ctx.reset();
}

TEST_CASE("destroying the io_context destroys pending operations without calling them", "[asio]") {
    // A socket owned only by its own pending handler (a common shape: shared_from_this in a
    // read loop). The io_context's destruction must destroy that handler, as Asio does with
    // its own operations, so the socket closes and the context can terminate.
    context ctx;
    std::weak_ptr<asio_socket> watch;
    bool called = false;
    {
        asio::io_context ioc;
        auto s = std::make_shared<asio_socket>(ioc, ctx, socket_type::pull);
        s->bind("inproc://abandoned");
        auto in = std::make_shared<message>();
        s->async_recv(*in, [s, in, &called](std::error_code, std::size_t) { called = true; });
        watch = s;
        s.reset();
        ioc.poll();
        CHECK(!watch.expired()); // alive: its handler holds it
    }
    CHECK(watch.expired());
    CHECK(!called);
    ctx.shutdown(); // a wake after the io_context is gone posts nothing (ASan would see it)
    ctx.terminate();
}
