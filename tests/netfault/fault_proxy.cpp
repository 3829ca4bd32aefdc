// fault_proxy: non-blocking sockets and one poll loop. Each link holds what it read from one
// side, stamped with the time it may leave (delay), and writes it out within the per-tick
// byte budget (throttle). A stalled direction is simply not read.
#include "tests/netfault/fault_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <deque>
#include <stdexcept>
#include <vector>

namespace zmtp::test {
namespace {

using clock = std::chrono::steady_clock;
constexpr std::size_t max_buffered = 256 * 1024; // per direction; beyond it, stop reading

struct chunk {
    clock::time_point due;
    std::vector<char> bytes;
    std::size_t sent = 0;
};

struct link {
    int fd[2] = {-1, -1};   // [0] client side, [1] server side
    std::deque<chunk> q[2]; // q[d]: bytes on their way in direction d
    std::size_t queued[2] = {0, 0};
    bool eof[2] = {false, false}; // the source of direction d closed
    bool fin_sent[2] = {false, false};
    bool dead = false;
};

// Small kernel buffers keep the bytes in flight few, so back-pressure shows up soon.
void small_buffers(int fd) {
    int size = 64 * 1024;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Closes with a reset: the peer sees ECONNRESET, never an orderly FIN.
void reset_close(int fd) {
    if (fd < 0)
        return;
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

int connect_to(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    small_buffers(fd);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    nonblocking(fd);
    return fd;
}

} // namespace

fault_proxy::fault_proxy(std::uint16_t target_port) : target_port_(target_port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("fault_proxy: cannot listen");
    port_ = ntohs(a.sin_port);
    nonblocking(listen_fd_);
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    thread_ = std::thread([this] { run(); });
}

fault_proxy::~fault_proxy() {
    stop_ = true;
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
    ::close(listen_fd_);
    ::close(wake_fd_);
}

std::string fault_proxy::endpoint() const {
    return "tcp://127.0.0.1:" + std::to_string(port_);
}

void fault_proxy::cut() {
    std::unique_lock<std::mutex> lock(control_mutex_);
    const auto ticket = ++cuts_requested_;
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
    control_done_.wait(lock, [&] { return cuts_done_ >= ticket; });
}

void fault_proxy::run() {
    std::vector<link> links;
    auto last_tick = clock::now();
    std::size_t budget[2] = {0, 0};
    while (!stop_) {
        // Control: cuts are done here, on the proxy's own thread, between two poll rounds.
        {
            std::lock_guard<std::mutex> lock(control_mutex_);
            if (cuts_done_ < cuts_requested_) {
                for (auto& l : links) {
                    reset_close(l.fd[0]);
                    reset_close(l.fd[1]);
                }
                links.clear();
                cuts_done_ = cuts_requested_;
                control_done_.notify_all();
            }
        }
        const auto now = clock::now();
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - last_tick);
        const std::size_t rate = throttle_;
        if (ms.count() > 0) {
            last_tick = now;
            for (auto& b : budget)
                b = rate == 0 ? SIZE_MAX : std::min<std::size_t>(rate * ms.count(), rate * 10);
        }

        std::vector<pollfd> fds;
        fds.push_back({listen_fd_, POLLIN, 0});
        fds.push_back({wake_fd_, POLLIN, 0});
        for (auto& l : links)
            for (int side = 0; side < 2; ++side) {
                const int d = side; // reading fd[side] feeds direction `side`
                short ev = 0;
                if (!stalled_[d] && !l.eof[d] && l.queued[d] < max_buffered)
                    ev |= POLLIN;
                const int out = 1 - side; // fd[side] receives direction 1 - side
                if (!l.q[out].empty() && l.q[out].front().due <= now && budget[out] > 0)
                    ev |= POLLOUT;
                fds.push_back({l.fd[side], ev, 0});
            }
        ::poll(fds.data(), fds.size(), 1);

        if (fds[1].revents & POLLIN) {
            std::uint64_t v;
            [[maybe_unused]] auto n = ::read(wake_fd_, &v, sizeof v);
        }
        if (fds[0].revents & POLLIN) {
            int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c >= 0) {
                small_buffers(c);
                nonblocking(c);
                int s = connect_to(target_port_);
                if (s < 0) {
                    reset_close(c);
                } else {
                    link l;
                    l.fd[0] = c;
                    l.fd[1] = s;
                    links.push_back(std::move(l));
                    ++accepted_;
                    continue; // fds no longer matches links; poll again
                }
            }
        }
        const auto t = clock::now();
        for (std::size_t i = 0; i < links.size(); ++i) {
            auto& l = links[i];
            for (int side = 0; side < 2 && !l.dead; ++side) {
                const short re = fds[2 + 2 * i + side].revents;
                if ((re & POLLIN) || (re & (POLLHUP | POLLERR))) {
                    if (re & POLLIN && !stalled_[side]) {
                        chunk c;
                        c.due = t + std::chrono::milliseconds(delay_ms_.load());
                        c.bytes.resize(64 * 1024);
                        ssize_t n = ::read(l.fd[side], c.bytes.data(), c.bytes.size());
                        if (n > 0) {
                            c.bytes.resize(static_cast<std::size_t>(n));
                            l.queued[side] += static_cast<std::size_t>(n);
                            l.q[side].push_back(std::move(c));
                        } else if (n == 0) {
                            l.eof[side] = true;
                        } else if (errno != EAGAIN && errno != EINTR) {
                            l.dead = true;
                        }
                    } else if (re & POLLERR) {
                        l.dead = true;
                    }
                }
                // Writes toward fd[side]: direction 1 - side.
                const int d = 1 - side;
                while (!l.dead && !l.q[d].empty() && l.q[d].front().due <= t && budget[d] > 0) {
                    auto& c = l.q[d].front();
                    std::size_t len = std::min(c.bytes.size() - c.sent, budget[d]);
                    ssize_t n = ::send(l.fd[side], c.bytes.data() + c.sent, len, MSG_NOSIGNAL);
                    if (n < 0) {
                        if (errno != EAGAIN && errno != EINTR)
                            l.dead = true;
                        break;
                    }
                    c.sent += static_cast<std::size_t>(n);
                    l.queued[d] -= static_cast<std::size_t>(n);
                    forwarded_[d] += static_cast<std::uint64_t>(n);
                    if (budget[d] != SIZE_MAX)
                        budget[d] -= static_cast<std::size_t>(n);
                    if (c.sent == c.bytes.size())
                        l.q[d].pop_front();
                }
                // A side that closed: pass the FIN on once its bytes are through.
                if (l.eof[d] && l.q[d].empty() && !l.fin_sent[d]) {
                    ::shutdown(l.fd[side], SHUT_WR);
                    l.fin_sent[d] = true;
                }
            }
            if (l.eof[0] && l.eof[1] && l.q[0].empty() && l.q[1].empty())
                l.dead = true;
        }
        // A connection one side broke: the other side sees a reset too.
        for (auto it = links.begin(); it != links.end();) {
            if (it->dead) {
                reset_close(it->fd[0]);
                reset_close(it->fd[1]);
                it = links.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& l : links) {
        reset_close(l.fd[0]);
        reset_close(l.fd[1]);
    }
}

} // namespace zmtp::test
