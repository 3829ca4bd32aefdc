// asio_bench, zmtp side: zmtp::asio_socket (each side on its own io_context thread, callbacks
// chaining one operation after the other) and the blocking zmtp::socket (one thread a side).
#include "asio_bench.hpp"

#include "zmtp/asio_socket.hpp"
#include "zmtp/zmtp.hpp"

#include <asio/io_context.hpp>

#include <cstring>
#include <functional>
#include <thread>

namespace asio_bench {

namespace {

zmtp::message payload(std::size_t size) {
    zmtp::message m(size);
    std::memset(m.data(), 'x', size); // written, as an application would
    return m;
}

template <typename Socket> std::string bind_any(Socket& s, const std::string& transport) {
    s.bind(bind_address(transport, "zmtp"));
    return s.get(zmtp::opt::last_endpoint);
}

void ok(const std::error_code& ec) {
    if (ec)
        die("zmtp: " + ec.message());
}

} // namespace

double zmtp_async_thr(const std::string& transport, std::size_t size, int count) {
    zmtp::context ctx;
    asio::io_context rx_ioc(1), tx_ioc(1);
    zmtp::asio_socket rx(rx_ioc, ctx, zmtp::socket_type::pair);
    zmtp::asio_socket tx(tx_ioc, ctx, zmtp::socket_type::pair);
    tx.connect(bind_any(rx, transport));
    int received = 0, sent = 0;
    bench_clock::time_point first, last;
    zmtp::message in;
    std::function<void()> recv_next = [&] {
        rx.async_recv(in, [&](std::error_code ec, std::size_t) {
            ok(ec);
            if (received++ == 0)
                first = bench_clock::now();
            if (received == count)
                last = bench_clock::now();
            else
                recv_next();
        });
    };
    std::function<void()> send_next = [&] {
        tx.async_send(payload(size), [&](std::error_code ec, std::size_t) {
            ok(ec);
            if (++sent < count)
                send_next();
        });
    };
    recv_next();
    send_next();
    std::thread sender([&] { tx_ioc.run(); });
    rx_ioc.run();
    sender.join();
    return (count - 1) / seconds(last - first);
}

double zmtp_async_lat(const std::string& transport, std::size_t size, int count) {
    zmtp::context ctx;
    asio::io_context srv_ioc(1), cli_ioc(1);
    zmtp::asio_socket srv(srv_ioc, ctx, zmtp::socket_type::pair);
    zmtp::asio_socket cli(cli_ioc, ctx, zmtp::socket_type::pair);
    cli.connect(bind_any(srv, transport));
    const int total = count + warmup_round_trips;
    int echoed = 0, done = 0;
    zmtp::message srv_in, cli_in;
    std::function<void()> echo = [&] {
        srv.async_recv(srv_in, [&](std::error_code ec, std::size_t) {
            ok(ec);
            srv.async_send(std::move(srv_in), [&](std::error_code ec2, std::size_t) {
                ok(ec2);
                if (++echoed < total)
                    echo();
            });
        });
    };
    bench_clock::time_point start;
    std::function<void()> ping = [&] {
        if (done == warmup_round_trips)
            start = bench_clock::now();
        cli.async_send(payload(size), [&](std::error_code ec, std::size_t) {
            ok(ec);
            cli.async_recv(cli_in, [&](std::error_code ec2, std::size_t) {
                ok(ec2);
                if (++done < total)
                    ping();
            });
        });
    };
    echo();
    ping();
    std::thread server([&] { srv_ioc.run(); });
    cli_ioc.run();
    const auto end = bench_clock::now();
    server.join();
    return seconds(end - start) * 1e6 / count;
}

double zmtp_blocking_thr(const std::string& transport, std::size_t size, int count) {
    zmtp::context ctx;
    zmtp::socket rx(ctx, zmtp::socket_type::pair), tx(ctx, zmtp::socket_type::pair);
    tx.connect(bind_any(rx, transport));
    std::thread sender([&] {
        for (int i = 0; i < count; ++i) {
            auto m = payload(size);
            tx.send(m);
        }
    });
    zmtp::message in;
    rx.recv(in);
    const auto first = bench_clock::now();
    for (int i = 1; i < count; ++i)
        rx.recv(in);
    const auto last = bench_clock::now();
    sender.join();
    return (count - 1) / seconds(last - first);
}

double zmtp_blocking_lat(const std::string& transport, std::size_t size, int count) {
    zmtp::context ctx;
    zmtp::socket srv(ctx, zmtp::socket_type::pair), cli(ctx, zmtp::socket_type::pair);
    cli.connect(bind_any(srv, transport));
    const int total = count + warmup_round_trips;
    std::thread server([&] {
        zmtp::message m;
        for (int i = 0; i < total; ++i) {
            srv.recv(m);
            srv.send(m);
        }
    });
    zmtp::message in;
    bench_clock::time_point start;
    for (int i = 0; i < total; ++i) {
        if (i == warmup_round_trips)
            start = bench_clock::now();
        auto m = payload(size);
        cli.send(m);
        cli.recv(in);
    }
    const auto end = bench_clock::now();
    server.join();
    return seconds(end - start) * 1e6 / count;
}

} // namespace asio_bench
