// zmtp::asio_socket with plain callbacks: completion on the executor, never inline; multipart;
// streams of messages; one operation of each kind at a time; outstanding work.
#include "tests/asio/asio_test_support.hpp"

#include <functional>
#include <string>
#include <vector>

using namespace zmtp;
using namespace zmtp::test;

TEST_CASE("async_recv waits for a message and completes on the executor", "[asio]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    context ctx;
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), ctx, transport);
    message in;
    bool started = false, received = false, sent = false;
    p.a.async_recv(in, [&](std::error_code ec, std::size_t n) {
        CHECK(started); // never inline in the initiating call
        CHECK(ioc.get_executor().running_in_this_thread());
        CHECK(!ec);
        CHECK(n == 5);
        CHECK(in.to_string() == "hello");
        received = true;
    });
    p.b.async_send(msg("hello"), [&](std::error_code ec, std::size_t n) {
        CHECK(started);
        CHECK(!ec);
        CHECK(n == 5);
        sent = true;
    });
    started = true;
    run_to_completion(ioc);
    CHECK(received);
    CHECK(sent);
}

TEST_CASE("a receive that can finish at once still completes through the executor", "[asio]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    context ctx;
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), ctx, transport);
    p.b.async_send(msg("queued"), [](std::error_code ec, std::size_t) { CHECK(!ec); });
    message probe;
    // Wait (through the API) until the message is there, then receive it again-free.
    p.a.async_recv(probe, [](std::error_code ec, std::size_t) { CHECK(!ec); });
    run_to_completion(ioc);
    CHECK(probe.to_string() == "queued");
    ioc.restart();
    p.b.async_send(msg("second"), [](std::error_code ec, std::size_t) { CHECK(!ec); });
    run_to_completion(ioc); // the message is in a's pipe (inproc) or on its way (tcp, ipc)
    ioc.restart();
    message in;
    bool started = false, done = false;
    p.a.async_recv(in, [&](std::error_code ec, std::size_t) {
        CHECK(started);
        CHECK(!ec);
        CHECK(in.to_string() == "second");
        done = true;
    });
    started = true;
    run_to_completion(ioc);
    CHECK(done);
}

TEST_CASE("multipart messages travel whole", "[asio]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    context ctx;
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), ctx, transport);
    std::vector<message> out;
    out.push_back(msg("a"));
    out.push_back(msg("bb"));
    out.push_back(message(std::string(70000, 'c'))); // a large (shared-buffer) frame too
    std::vector<message> in;
    p.a.async_recv_multipart(in, [&](std::error_code ec, std::size_t frames) {
        CHECK(!ec);
        CHECK(frames == 3);
    });
    p.b.async_send_multipart(std::move(out), [&](std::error_code ec, std::size_t frames) {
        CHECK(!ec);
        CHECK(frames == 3);
    });
    run_to_completion(ioc);
    REQUIRE(in.size() == 3);
    CHECK(in[0].to_string() == "a");
    CHECK(in[1].to_string() == "bb");
    CHECK(in[2].size() == 70000);
    CHECK(!in[2].more());
    CHECK(in[0].more());

    // Single-frame calls see the frames one by one, with more() set; sndmore builds one.
    ioc.restart();
    message f1, f2;
    p.b.async_send(msg("x"), send_flags::sndmore, [&](std::error_code ec, std::size_t) {
        CHECK(!ec);
        p.b.async_send(msg("y"), [](std::error_code ec2, std::size_t) { CHECK(!ec2); });
    });
    p.a.async_recv(f1, [&](std::error_code ec, std::size_t) {
        CHECK(!ec);
        p.a.async_recv(f2, [](std::error_code ec2, std::size_t) { CHECK(!ec2); });
    });
    run_to_completion(ioc);
    CHECK(f1.to_string() == "x");
    CHECK(f1.more());
    CHECK(f2.to_string() == "y");
    CHECK(!f2.more());
}

TEST_CASE("a stream of messages arrives in order, past the high-water mark", "[asio]") {
    const std::string transport = ZMTP_TRANSPORTS;
    INFO("transport " << transport);
    context ctx;
    asio::io_context ioc;
    asio_pair p(ioc.get_executor(), ctx, transport);
    p.a.set(opt::rcvhwm, 10);
    p.b.set(opt::sndhwm, 10); // senders wait on a full pipe, woken as the reader drains it
    constexpr int count = 5000;
    int sent = 0, received = 0;
    std::function<void()> send_next = [&] {
        p.b.async_send(msg(std::to_string(sent)), [&](std::error_code ec, std::size_t) {
            REQUIRE(!ec);
            if (++sent < count)
                send_next();
        });
    };
    message in;
    std::function<void()> recv_next = [&] {
        p.a.async_recv(in, [&](std::error_code ec, std::size_t) {
            REQUIRE(!ec);
            REQUIRE(in.to_string() == std::to_string(received));
            if (++received < count)
                recv_next();
        });
    };
    send_next();
    recv_next();
    run_to_completion(ioc);
    CHECK(sent == count);
    CHECK(received == count);
}

TEST_CASE("one send and one receive at a time; a second completes with EINPROGRESS", "[asio]") {
    context ctx;
    asio::io_context ioc;
    asio_socket s(ioc, ctx, socket_type::pair); // no peer: both kinds wait
    std::vector<std::error_code> results(4);
    message in1, in2;
    s.async_recv(in1, [&](std::error_code ec, std::size_t) { results[0] = ec; });
    s.async_recv(in2, [&](std::error_code ec, std::size_t) { results[1] = ec; });
    s.async_send(msg("1"), [&](std::error_code ec, std::size_t) { results[2] = ec; });
    s.async_send(msg("2"), [&](std::error_code ec, std::size_t) { results[3] = ec; });
    ioc.poll();
    CHECK(results[1] == std::errc::operation_in_progress);
    CHECK(results[3] == std::errc::operation_in_progress);
    CHECK(!results[0]); // still pending
    CHECK(!results[2]);
    CHECK(!ioc.stopped()); // the pending ones are outstanding work

    // Now give the socket a peer: the pending ones finish.
    asio_socket peer(ioc, ctx, socket_type::pair);
    s.bind("inproc://one-at-a-time");
    peer.connect("inproc://one-at-a-time");
    message back;
    peer.async_recv(back, [&](std::error_code ec, std::size_t) {
        CHECK(!ec);
        peer.async_send(msg("reply"), [](std::error_code ec2, std::size_t) { CHECK(!ec2); });
    });
    run_to_completion(ioc);
    CHECK(back.to_string() == "1");
    CHECK(in1.to_string() == "reply");
    CHECK(!results[0]);
    CHECK(!results[2]);
}

TEST_CASE("run() returns once no operation is pending", "[asio]") {
    context ctx;
    asio::io_context ioc;
    asio_socket s(ioc, ctx, socket_type::pull);
    s.bind("inproc://work-tracking");
    message in;
    std::error_code result;
    s.async_recv(in, [&](std::error_code ec, std::size_t) { result = ec; });
    ioc.poll();
    CHECK(!ioc.stopped()); // a waiting receive keeps run() going
    s.cancel();
    run_to_completion(ioc);
    CHECK(result == asio::error::operation_aborted);
    // With nothing pending, run() returns at once.
    ioc.restart();
    ioc.run();
    CHECK(ioc.stopped());
}
