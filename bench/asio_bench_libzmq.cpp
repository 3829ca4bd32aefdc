// asio_bench, libzmq side: the way an Asio program drives libzmq today — ZMQ_FD wrapped in a
// posix::stream_descriptor and the edge-triggered ZMQ_EVENTS dance (after every send or recv,
// read ZMQ_EVENTS before waiting on the descriptor) — with the same contract as
// zmtp::asio_socket (one handler per message, posted when the operation finishes at once);
// and libzmq's blocking calls.
#include "asio_bench.hpp"

#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/post.hpp>
#include <zmq.h>

#include <cstring>
#include <functional>
#include <thread>

namespace asio_bench {

namespace {

void check(int rc, const char* what) {
    if (rc == -1)
        die(std::string("libzmq ") + what + ": " + zmq_strerror(zmq_errno()));
}

std::string bind_any(void* s, const std::string& transport) {
    check(zmq_bind(s, bind_address(transport, "libzmq").c_str()), "bind");
    char ep[256];
    std::size_t n = sizeof ep;
    check(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, ep, &n), "getsockopt");
    return ep;
}

void fill(zmq_msg_t* m, std::size_t size) {
    check(zmq_msg_init_size(m, size), "msg_init_size");
    std::memset(zmq_msg_data(m), 'x', size);
}

/// A libzmq socket driven by Asio through ZMQ_FD.
class zmq_asio_socket {
public:
    zmq_asio_socket(asio::io_context& ioc, void* s) : ioc_(ioc), s_(s), fd_(ioc) {
        int fd = -1;
        std::size_t n = sizeof fd;
        check(zmq_getsockopt(s, ZMQ_FD, &fd, &n), "getsockopt ZMQ_FD");
        fd_.assign(fd);
    }
    ~zmq_asio_socket() { fd_.release(); } // the descriptor belongs to libzmq

    /// Receives into `m` (initialised); handler() on completion.
    void async_recv(zmq_msg_t* m, std::function<void()> handler) {
        attempt(
            ZMQ_POLLIN, [this, m] { return zmq_msg_recv(m, s_, ZMQ_DONTWAIT); }, std::move(handler),
            true);
    }
    /// Sends `m` (consumed); handler() on completion.
    void async_send(zmq_msg_t* m, std::function<void()> handler) {
        attempt(
            ZMQ_POLLOUT, [this, m] { return zmq_msg_send(m, s_, ZMQ_DONTWAIT); },
            std::move(handler), true);
    }

private:
    template <typename Op>
    void attempt(int event, Op op, std::function<void()> handler, bool initiating) {
        for (;;) {
            if (op() >= 0) {
                if (initiating)
                    asio::post(ioc_, std::move(handler)); // never inline in the initiation
                else
                    handler();
                return;
            }
            if (zmq_errno() != EAGAIN)
                check(-1, "send/recv");
            // The descriptor is edge-triggered: read ZMQ_EVENTS, and wait only if the event
            // is really absent (it may have become ready without a new edge).
            int events = 0;
            std::size_t n = sizeof events;
            check(zmq_getsockopt(s_, ZMQ_EVENTS, &events, &n), "getsockopt ZMQ_EVENTS");
            if (events & event)
                continue;
            fd_.async_wait(asio::posix::descriptor_base::wait_read,
                           [this, event, op, h = std::move(handler)](std::error_code ec) mutable {
                               if (ec)
                                   die("async_wait: " + ec.message());
                               attempt(event, op, std::move(h), false);
                           });
            return;
        }
    }

    asio::io_context& ioc_;
    void* s_;
    asio::posix::stream_descriptor fd_;
};

struct zctx {
    void* ctx = zmq_ctx_new();
    ~zctx() { zmq_ctx_term(ctx); }
};
struct zsock {
    void* s;
    zsock(void* ctx, int type) : s(zmq_socket(ctx, type)) {
        int linger = 0;
        zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    }
    ~zsock() { zmq_close(s); }
};

} // namespace

double libzmq_asio_thr(const std::string& transport, std::size_t size, int count) {
    zctx ctx;
    zsock rx_s(ctx.ctx, ZMQ_PAIR), tx_s(ctx.ctx, ZMQ_PAIR);
    check(zmq_connect(tx_s.s, bind_any(rx_s.s, transport).c_str()), "connect");
    {
        asio::io_context rx_ioc(1), tx_ioc(1);
        zmq_asio_socket rx(rx_ioc, rx_s.s), tx(tx_ioc, tx_s.s);
        int received = 0, sent = 0;
        bench_clock::time_point first, last;
        zmq_msg_t in, out;
        zmq_msg_init(&in);
        std::function<void()> recv_next = [&] {
            rx.async_recv(&in, [&] {
                if (received++ == 0)
                    first = bench_clock::now();
                if (received == count)
                    last = bench_clock::now();
                else
                    recv_next();
            });
        };
        std::function<void()> send_next = [&] {
            fill(&out, size);
            tx.async_send(&out, [&] {
                if (++sent < count)
                    send_next();
            });
        };
        recv_next();
        send_next();
        std::thread sender([&] { tx_ioc.run(); });
        rx_ioc.run();
        sender.join();
        zmq_msg_close(&in);
        return (count - 1) / seconds(last - first);
    }
}

double libzmq_asio_lat(const std::string& transport, std::size_t size, int count) {
    zctx ctx;
    zsock srv_s(ctx.ctx, ZMQ_PAIR), cli_s(ctx.ctx, ZMQ_PAIR);
    check(zmq_connect(cli_s.s, bind_any(srv_s.s, transport).c_str()), "connect");
    asio::io_context srv_ioc(1), cli_ioc(1);
    zmq_asio_socket srv(srv_ioc, srv_s.s), cli(cli_ioc, cli_s.s);
    const int total = count + warmup_round_trips;
    int echoed = 0, done = 0;
    zmq_msg_t srv_msg, cli_in, cli_out;
    zmq_msg_init(&srv_msg);
    zmq_msg_init(&cli_in);
    std::function<void()> echo = [&] {
        srv.async_recv(&srv_msg, [&] {
            srv.async_send(&srv_msg, [&] {
                if (++echoed < total)
                    echo();
            });
        });
    };
    bench_clock::time_point start;
    std::function<void()> ping = [&] {
        if (done == warmup_round_trips)
            start = bench_clock::now();
        fill(&cli_out, size);
        cli.async_send(&cli_out, [&] {
            cli.async_recv(&cli_in, [&] {
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
    zmq_msg_close(&srv_msg);
    zmq_msg_close(&cli_in);
    return seconds(end - start) * 1e6 / count;
}

double libzmq_blocking_thr(const std::string& transport, std::size_t size, int count) {
    zctx ctx;
    zsock rx(ctx.ctx, ZMQ_PAIR), tx(ctx.ctx, ZMQ_PAIR);
    check(zmq_connect(tx.s, bind_any(rx.s, transport).c_str()), "connect");
    std::thread sender([&] {
        for (int i = 0; i < count; ++i) {
            zmq_msg_t m;
            fill(&m, size);
            check(zmq_msg_send(&m, tx.s, 0), "send");
        }
    });
    zmq_msg_t in;
    zmq_msg_init(&in);
    check(zmq_msg_recv(&in, rx.s, 0), "recv");
    const auto first = bench_clock::now();
    for (int i = 1; i < count; ++i)
        check(zmq_msg_recv(&in, rx.s, 0), "recv");
    const auto last = bench_clock::now();
    sender.join();
    zmq_msg_close(&in);
    return (count - 1) / seconds(last - first);
}

double libzmq_blocking_lat(const std::string& transport, std::size_t size, int count) {
    zctx ctx;
    zsock srv(ctx.ctx, ZMQ_PAIR), cli(ctx.ctx, ZMQ_PAIR);
    check(zmq_connect(cli.s, bind_any(srv.s, transport).c_str()), "connect");
    const int total = count + warmup_round_trips;
    std::thread server([&] {
        zmq_msg_t m;
        zmq_msg_init(&m);
        for (int i = 0; i < total; ++i) {
            check(zmq_msg_recv(&m, srv.s, 0), "recv");
            check(zmq_msg_send(&m, srv.s, 0), "send");
        }
        zmq_msg_close(&m);
    });
    zmq_msg_t in;
    zmq_msg_init(&in);
    bench_clock::time_point start;
    for (int i = 0; i < total; ++i) {
        if (i == warmup_round_trips)
            start = bench_clock::now();
        zmq_msg_t m;
        fill(&m, size);
        check(zmq_msg_send(&m, cli.s, 0), "send");
        check(zmq_msg_recv(&in, cli.s, 0), "recv");
    }
    const auto end = bench_clock::now();
    server.join();
    zmq_msg_close(&in);
    return seconds(end - start) * 1e6 / count;
}

} // namespace asio_bench
