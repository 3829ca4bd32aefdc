// wire_ceiling: what the kernel alone carries over a tcp loopback connection or a Unix stream
// socket, the ceiling the large-message rows of zmq_bench are held against (issue 13: "70 % of
// the transport's limit"). No ZeroMQ: a sender thread writes `count` messages of `size` bytes
// with plain send(2) calls and a receiver thread reads them with recv(2) into one buffer of
// `size` bytes, each socket left at the kernel's default buffer sizes, as both libraries leave
// them.
//
//   wire_ceiling tcp|ipc <size> <count> fill|piped|shared|bare
//
// fill: the sender writes every payload (memset) before sending it, as zmq_bench does, so the
// memory is crossed three times per byte (memset, copy in, copy out) as in the benchmark.
// piped: a third thread writes the payloads into a ring of four buffers and the sender sends
// them, so writing overlaps sending, as it does in a library whose I/O thread sends while the
// application fills the next message. shared: as piped, but one thread both sends and
// receives (non-blocking sockets and poll(2)), as the single I/O thread of a process that
// holds both ends of the connection, which is how zmq_bench runs. bare: the same buffer is
// sent untouched (two crossings: the usual plain-socket figure, the kernel's own limit).
// WIRE_CEILING_SNDBUF / WIRE_CEILING_RCVBUF=<bytes> in the environment set SO_SNDBUF on the
// sender / SO_RCVBUF on the receiver. Still an upper bound for a messaging library, which
// also allocates each message and reads into it, and whose pipeline may be deeper than four
// messages. Prints one key=value line; timed at the receiver from its first byte to its last.
#include "plain_socket.hpp"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

using bench::connected_pair;
using bench::die;
using bench::send_all;

/// Messages written by a filler thread into a ring of four buffers: message i goes into slot
/// i % 4 once the sender is done with the message that was there.
class filled_ring {
public:
    filled_ring(std::size_t size, long count)
        : ring_(slots, std::vector<char>(size)), filler_([this, size, count] {
              for (long i = 0; i < count; ++i) {
                  {
                      std::unique_lock<std::mutex> lock(m_);
                      cv_.wait(lock, [&] { return i - sent_ < slots; });
                  }
                  std::memset(ring_[i % slots].data(), static_cast<int>('a' + i % 26), size);
                  std::lock_guard<std::mutex> lock(m_);
                  filled_ = i + 1;
                  cv_.notify_all();
              }
          }) {}
    ~filled_ring() { filler_.join(); }
    /// Message i, once written; `wait` false: null if it is not written yet.
    const char* get(long i, bool wait = true) {
        std::unique_lock<std::mutex> lock(m_);
        if (!wait && filled_ <= i)
            return nullptr;
        cv_.wait(lock, [&] { return filled_ > i; });
        return ring_[i % slots].data();
    }
    void sent(long i) {
        std::lock_guard<std::mutex> lock(m_);
        sent_ = i + 1;
        cv_.notify_all();
    }

private:
    static constexpr long slots = 4;
    std::vector<std::vector<char>> ring_;
    std::mutex m_;
    std::condition_variable cv_;
    long filled_ = 0, sent_ = 0; // guarded by m_
    std::thread filler_;
};

void send_piped(int fd, std::size_t size, long count) {
    filled_ring ring(size, count);
    for (long i = 0; i < count; ++i) {
        send_all(fd, ring.get(i), size);
        ring.sent(i);
    }
}

/// shared: payloads written by a filler thread as in piped, and one thread both sends and
/// receives (non-blocking, poll(2) when neither side can go on), as a single I/O thread
/// serves both ends of the benchmark's connection. Returns the seconds from the first byte
/// received to the last.
double run_shared(int tx, int rx, std::size_t size, long count) {
    filled_ring ring(size, count);
    std::vector<char> in(size);
    const std::size_t total = size * static_cast<std::size_t>(count);
    std::size_t got = 0, out = 0; // bytes received / sent
    std::chrono::steady_clock::time_point first;
    while (got < total) {
        bool progress = false;
        if (out < total) {
            const long i = static_cast<long>(out / size);
            if (const char* p = ring.get(i, got == out)) { // nothing in flight: wait for it
                const std::size_t off = out % size;
                const ssize_t n = send(tx, p + off, size - off, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n > 0) {
                    out += static_cast<std::size_t>(n);
                    progress = true;
                    if (out % size == 0)
                        ring.sent(i);
                } else if (errno != EAGAIN) {
                    die("send");
                }
            }
        }
        const std::size_t in_msg = got % size;
        const ssize_t n = recv(rx, in.data() + in_msg, size - in_msg, MSG_DONTWAIT);
        if (n > 0) {
            if (got == 0)
                first = std::chrono::steady_clock::now();
            got += static_cast<std::size_t>(n);
            progress = true;
        } else if (n == 0 || errno != EAGAIN) {
            die("recv");
        }
        if (!progress) {
            pollfd fds[2] = {{rx, POLLIN, 0}, {tx, POLLOUT, 0}};
            poll(fds, out < total ? 2 : 1, 1); // 1 ms: the filler may have a message ready
        }
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - first).count();
}

void report(const std::string& transport, long size, long count, const std::string& how,
            double seconds) {
    std::printf("mode=ceiling transport=%s size=%ld count=%ld payload=%s seconds=%.6f "
                "msgs_per_s=%.1f mb_per_s=%.1f\n",
                transport.c_str(), size, count, how.c_str(), seconds,
                static_cast<double>(count) / seconds,
                static_cast<double>(size) * static_cast<double>(count) / seconds / 1e6);
}

} // namespace

int main(int argc, char** argv) {
    const std::string how = argc == 5 ? argv[4] : "";
    if (how != "fill" && how != "piped" && how != "shared" && how != "bare") {
        std::fprintf(stderr, "usage: wire_ceiling tcp|ipc <size> <count> fill|piped|shared|bare\n");
        return 2;
    }
    const std::string transport = argv[1];
    const long size = std::atol(argv[2]), count = std::atol(argv[3]);
    const bool fill = how == "fill";
    if (size < 1 || count < 2)
        return 2;
    int tx, rx;
    connected_pair(transport, "wire_ceiling", tx, rx);
    // WIRE_CEILING_SNDBUF / _RCVBUF (bytes): what a larger SO_SNDBUF / SO_RCVBUF would buy.
    if (const char* v = std::getenv("WIRE_CEILING_SNDBUF")) {
        const int n = std::atoi(v);
        setsockopt(tx, SOL_SOCKET, SO_SNDBUF, &n, sizeof n);
    }
    if (const char* v = std::getenv("WIRE_CEILING_RCVBUF")) {
        const int n = std::atoi(v);
        setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &n, sizeof n);
    }

    if (how == "shared") {
        const double seconds = run_shared(tx, rx, static_cast<std::size_t>(size), count);
        report(transport, size, count, how, seconds);
        return 0;
    }
    std::thread sender([&] {
        if (how == "piped") {
            send_piped(tx, static_cast<std::size_t>(size), count);
            return;
        }
        std::vector<char> buf(static_cast<std::size_t>(size), 'x');
        for (long i = 0; i < count; ++i) {
            if (fill)
                std::memset(buf.data(), static_cast<int>('a' + i % 26), buf.size());
            send_all(tx, buf.data(), buf.size());
        }
    });

    std::vector<char> buf(static_cast<std::size_t>(size));
    const std::size_t total = buf.size() * static_cast<std::size_t>(count);
    std::size_t got = 0;
    std::chrono::steady_clock::time_point first;
    while (got < total) {
        // One message at a time, as a receiver that reads each message into its own buffer.
        const std::size_t in_msg = got % buf.size();
        const ssize_t n = recv(rx, buf.data() + in_msg, buf.size() - in_msg, 0);
        if (n <= 0)
            die("recv");
        if (got == 0)
            first = std::chrono::steady_clock::now();
        got += static_cast<std::size_t>(n);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - first).count();
    sender.join();
    close(tx);
    close(rx);
    report(transport, size, count, how, seconds);
    return 0;
}
