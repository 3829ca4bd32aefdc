// roundtrip_floor: the least a 1-byte round trip can take on this machine for a program that
// sleeps while it waits, as both libraries' blocking calls do (no ZeroMQ). The reference the
// round-trip rows of zmq_bench are held against (issue 13: "round trip ≤ 0.7× libzmq").
//
//   roundtrip_floor tcp|ipc|inproc <roundtrips> direct|relay
//
// direct: a client thread and an echo thread pass the byte to each other. tcp/ipc: blocking
// send(2)/recv(2) on a connected pair; inproc: a shared word and a futex (what an inproc pipe
// does at the least), two thread wake-ups per round trip.
// relay (tcp/ipc): the one-I/O-thread design of both libraries. The client and echo threads
// hand the byte to a relay thread (a slot, then a write to an eventfd it polls with epoll, as
// Asio's and libzmq's I/O threads are woken) and sleep on a futex until the relay hands the
// answer back; the relay alone touches the sockets, reading only what epoll reported readable
// (a 1-byte send never blocks, so they can stay in blocking mode). Four thread wake-ups per
// round trip: client → relay → echo → relay → client.
//
// Prints one key=value line in zmq_bench's `lat` format: the mean and p50/p99/p99.9 of the
// single round trips.
#include "plain_socket.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

using clock_type = std::chrono::steady_clock;
using bench::die;

/// A sleep/wake point: the waker bumps a word and enters the kernel only when someone sleeps
/// on it (the pattern of zmtp's signaler; a lower bound for any futex-based wait).
class event {
public:
    std::uint32_t seen() const { return word_.load(); }
    void post() {
        word_.fetch_add(1);
        if (sleepers_.load() != 0)
            ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word_), FUTEX_WAKE_PRIVATE,
                      INT_MAX, nullptr, nullptr, 0);
    }
    void wait(std::uint32_t seen) {
        sleepers_.fetch_add(1);
        while (word_.load() == seen)
            ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word_), FUTEX_WAIT_PRIVATE,
                      seen, nullptr, nullptr, 0);
        sleepers_.fetch_sub(1);
    }

private:
    std::atomic<std::uint32_t> word_{0};
    std::atomic<int> sleepers_{0};
};

/// A one-message hand-over between two threads: put() then the taker's wait returns.
struct mailbox {
    event ready;
    std::atomic<bool> full{false};
    void put() {
        full.store(true);
        ready.post();
    }
    void take() {
        for (;;) {
            const auto seen = ready.seen();
            if (full.exchange(false))
                return;
            ready.wait(seen);
        }
    }
};

void recv_byte(int fd) {
    char c;
    if (::recv(fd, &c, 1, 0) != 1)
        die("recv");
}

/// Client and echo threads on blocking sockets (tcp/ipc) or on two mailboxes (inproc).
template <typename ClientTrip, typename Echo>
std::vector<double> run(long roundtrips, ClientTrip&& trip, Echo&& echo) {
    std::thread echoer([&] {
        for (long i = 0; i < roundtrips + 1; ++i)
            echo();
    });
    trip(); // warm-up round trip, not counted
    std::vector<double> us(static_cast<std::size_t>(roundtrips));
    for (auto& t : us) {
        const auto start = clock_type::now();
        trip();
        t = std::chrono::duration<double, std::micro>(clock_type::now() - start).count();
    }
    echoer.join();
    return us;
}

/// The relay thread: epoll over both sockets and its eventfd; forwards each byte.
class relay {
public:
    relay(int client_side, int echo_side) : a_(client_side), b_(echo_side) {
        efd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        ep_ = ::epoll_create1(EPOLL_CLOEXEC);
        if (efd_ < 0 || ep_ < 0)
            die("eventfd/epoll");
        for (int fd : {efd_, a_, b_}) {
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.fd = fd;
            if (::epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev) != 0)
                die("epoll_ctl");
        }
        thread_ = std::thread([this] { loop(); });
    }
    ~relay() {
        stop_.store(true);
        kick();
        thread_.join();
        ::close(ep_);
        ::close(efd_);
    }
    /// The application threads' side: hand a byte to the relay for sending on a / b.
    void send_on_a() { request(to_a_); }
    void send_on_b() { request(to_b_); }
    mailbox from_a, from_b; // bytes the relay received on a (for the client) / b (for the echo)

private:
    void request(std::atomic<bool>& flag) {
        flag.store(true);
        kick();
    }
    void kick() {
        const std::uint64_t one = 1;
        if (::write(efd_, &one, sizeof one) != sizeof one)
            die("eventfd write");
    }
    void loop() {
        epoll_event evs[3];
        while (!stop_.load()) {
            const int n = ::epoll_wait(ep_, evs, 3, -1);
            for (int i = 0; i < n; ++i) {
                const int fd = evs[i].data.fd;
                if (fd == efd_) {
                    std::uint64_t v;
                    [[maybe_unused]] auto r = ::read(efd_, &v, sizeof v);
                    if (to_a_.exchange(false))
                        bench::send_all(a_, "x", 1);
                    if (to_b_.exchange(false))
                        bench::send_all(b_, "x", 1);
                } else {
                    recv_byte(fd);
                    (fd == a_ ? from_a : from_b).put();
                }
            }
        }
    }
    int a_, b_, efd_, ep_;
    std::atomic<bool> to_a_{false}, to_b_{false}, stop_{false};
    std::thread thread_;
};

double percentile(const std::vector<double>& sorted, double p) {
    const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
    return sorted[i];
}

} // namespace

int main(int argc, char** argv) {
    const std::string transport = argc == 4 ? argv[1] : "", how = argc == 4 ? argv[3] : "";
    const long roundtrips = argc == 4 ? std::atol(argv[2]) : 0;
    const bool kernel = transport == "tcp" || transport == "ipc";
    if (roundtrips < 1 || !(kernel || transport == "inproc") ||
        !(how == "direct" || (how == "relay" && kernel))) {
        std::fprintf(stderr, "usage: roundtrip_floor tcp|ipc <roundtrips> direct|relay\n"
                             "       roundtrip_floor inproc <roundtrips> direct\n");
        return 2;
    }
    std::vector<double> us;
    if (transport == "inproc") {
        mailbox to_echo, to_client;
        us = run(
            roundtrips, [&] { to_echo.put(), to_client.take(); },
            [&] { to_echo.take(), to_client.put(); });
    } else {
        int a, b;
        bench::connected_pair(transport, "roundtrip_floor", a, b);
        if (how == "direct") {
            us = run(
                roundtrips, [&] { bench::send_all(a, "x", 1), recv_byte(a); },
                [&] { recv_byte(b), bench::send_all(b, "x", 1); });
        } else {
            relay r(a, b);
            us = run(
                roundtrips, [&] { r.send_on_a(), r.from_a.take(); },
                [&] { r.from_b.take(), r.send_on_b(); });
        }
        ::close(a);
        ::close(b);
    }
    double sum = 0;
    for (double t : us)
        sum += t;
    std::sort(us.begin(), us.end());
    std::printf("mode=floor transport=%s how=%s size=1 roundtrips=%ld usec_per_roundtrip=%.3f "
                "p50_usec=%.3f p99_usec=%.3f p999_usec=%.3f\n",
                transport.c_str(), how.c_str(), roundtrips, sum / static_cast<double>(us.size()),
                percentile(us, 0.5), percentile(us, 0.99), percentile(us, 0.999));
    return 0;
}
