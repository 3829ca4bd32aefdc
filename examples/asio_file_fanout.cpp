// asio_file_fanout: a coroutine PUB server fans a file out to subscribers, all on one
// io_context with zmtp::asio_socket. The PUB sets XPUB_NODROP, so async_send waits for the
// slowest subscriber instead of dropping. Subscribers join late (the slow-joiner problem):
// the server publishes "hello" every 10 ms until each has answered "ready" over PUSH/PULL.
// Messages: ["hello"], ["data", chunk], ["end"]. Each subscriber checks what it got against
// the file and the program exits non-zero on any difference.
//
// usage: asio_file_fanout FILE [SUBSCRIBERS=3] [tcp|ipc|inproc]
#include "zmtp/asio_socket.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using asio::awaitable;
using asio::use_awaitable;
using namespace asio::experimental::awaitable_operators;
using namespace std::chrono_literals;

namespace {

std::vector<zmtp::message> frames(std::string_view kind, std::string_view body = {}) {
    std::vector<zmtp::message> f;
    f.emplace_back(kind);
    if (!body.empty())
        f.emplace_back(body);
    return f;
}

awaitable<void> serve(zmtp::asio_socket& pub, zmtp::asio_socket& ready, const std::string& file,
                      int subscribers) {
    // Slow joiners: say hello until every subscriber has heard it.
    asio::steady_timer tick(co_await asio::this_coro::executor);
    zmtp::message answer;
    for (int joined = 0; joined < subscribers;) {
        co_await pub.async_send_multipart(frames("hello"), use_awaitable);
        tick.expires_after(10ms);
        auto r =
            co_await (ready.async_recv(answer, use_awaitable) || tick.async_wait(use_awaitable));
        if (r.index() == 0)
            ++joined;
    }
    constexpr std::size_t chunk = 64 * 1024;
    for (std::size_t at = 0; at < file.size(); at += chunk)
        co_await pub.async_send_multipart(frames("data", std::string_view(file).substr(at, chunk)),
                                          use_awaitable);
    co_await pub.async_send_multipart(frames("end"), use_awaitable);
    std::printf("server: sent %zu bytes to %d subscribers\n", file.size(), subscribers);
}

awaitable<void> subscribe(zmtp::asio_socket& sub, zmtp::asio_socket& push, int id,
                          const std::string& expected, int& failures) {
    std::string got;
    bool said_ready = false;
    std::vector<zmtp::message> m;
    for (;;) {
        co_await sub.async_recv_multipart(m, use_awaitable);
        const auto kind = m[0].view();
        if (kind == "hello" && !said_ready) {
            said_ready = true;
            co_await push.async_send(zmtp::message(std::to_string(id)), use_awaitable);
        } else if (kind == "data") {
            got += m[1].view();
        } else if (kind == "end") {
            break;
        }
    }
    const bool same = got == expected;
    std::printf("subscriber %d: %zu bytes, %s\n", id, got.size(), same ? "identical" : "DIFFERENT");
    if (!same)
        ++failures;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE [SUBSCRIBERS] [tcp|ipc|inproc]\n", argv[0]);
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const int subscribers = argc > 2 ? std::stoi(argv[2]) : 3;
    const std::string transport = argc > 3 ? argv[3] : "tcp";
    const std::string any = transport == "tcp"   ? "tcp://127.0.0.1:*"
                            : transport == "ipc" ? "ipc://*"
                                                 : "inproc://fanout";

    zmtp::context ctx;
    asio::io_context ioc;
    zmtp::asio_socket pub(ioc, ctx, zmtp::socket_type::pub);
    zmtp::asio_socket ready(ioc, ctx, zmtp::socket_type::pull);
    pub.set(zmtp::opt::xpub_nodrop, 1); // wait for slow subscribers, never drop
    pub.bind(any);
    ready.bind(transport == "inproc" ? "inproc://fanout-ready" : any);
    const std::string pub_ep = pub.get(zmtp::opt::last_endpoint);
    const std::string ready_ep = ready.get(zmtp::opt::last_endpoint);

    std::vector<zmtp::asio_socket> subs, pushes;
    int failures = 0;
    for (int i = 0; i < subscribers; ++i) {
        subs.emplace_back(ioc, ctx, zmtp::socket_type::sub);
        pushes.emplace_back(ioc, ctx, zmtp::socket_type::push);
        subs.back().set(zmtp::opt::subscribe, std::string());
        subs.back().connect(pub_ep);
        pushes.back().connect(ready_ep);
    }
    for (int i = 0; i < subscribers; ++i)
        asio::co_spawn(ioc, subscribe(subs[i], pushes[i], i, file, failures), asio::detached);
    asio::co_spawn(ioc, serve(pub, ready, file, subscribers), [](std::exception_ptr e) {
        if (e)
            std::rethrow_exception(e);
    });
    ioc.run(); // returns when the server and every subscriber are done
    return failures == 0 ? 0 : 1;
}
