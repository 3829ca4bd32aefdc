// wire_tap: accept, dial upstream, forward and record until either side closes; repeat.
#include "tests/heartbeat/wire_tap.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace zmtp::test {

namespace {
constexpr std::size_t greeting_size = 64;
/// How often the thread looks at stopping_ while nothing happens; not a synchronisation.
constexpr int idle_poll_ms = 50;
} // namespace

wire_tap::wire_tap(const std::string& transport, std::string upstream)
    : acceptor_(transport), upstream_(std::move(upstream)), thread_([this] { run(); }) {}

wire_tap::~wire_tap() {
    stopping_ = true;
    thread_.join();
}

void wire_tap::run() {
    while (!stopping_) {
        raw_peer client = acceptor_.accept(std::chrono::milliseconds(idle_poll_ms));
        if (!client.connected())
            continue;
        raw_peer server;
        if (server.connect(upstream_))
            pump(client, server);
        client.close();
        server.close();
        {
            std::lock_guard<std::mutex> lock(m_);
            ++ended_;
        }
        cv_.notify_all();
    }
}

void wire_tap::pump(raw_peer& client, raw_peer& server) {
    parser from_client, from_server;
    while (!stopping_) {
        pollfd fds[2] = {{client.native_handle(), POLLIN, 0}, {server.native_handle(), POLLIN, 0}};
        const int rc = ::poll(fds, 2, idle_poll_ms);
        if (rc < 0 && errno != EINTR)
            return;
        if (rc <= 0)
            continue;
        if (fds[0].revents && !forward(client, server, from_client, from::client))
            return;
        if (fds[1].revents && !forward(server, client, from_server, from::server))
            return;
    }
}

bool wire_tap::forward(raw_peer& in, raw_peer& out, parser& p, from sender) {
    std::uint8_t buf[16 * 1024];
    const ssize_t n = ::recv(in.native_handle(), buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    if (n == 0)
        return false; // closed: the tap closes the other side too
    if (dead_)
        return true;
    p.buf.insert(p.buf.end(), buf, buf + n);
    parse(p, sender);
    return out.send(buf, static_cast<std::size_t>(n));
}

void wire_tap::parse(parser& p, from sender) {
    std::size_t pos = 0;
    if (!p.greeted) {
        if (p.buf.size() < greeting_size)
            return;
        p.greeted = true;
        pos = greeting_size;
    }
    std::vector<command_seen> found;
    for (;;) {
        if (p.buf.size() - pos < 2)
            break;
        const std::uint8_t flags = p.buf[pos];
        std::uint64_t size = p.buf[pos + 1];
        std::size_t header = 2;
        if (flags & 0x02) {
            if (p.buf.size() - pos < 9)
                break;
            size = 0;
            for (std::size_t i = 1; i < 9; ++i)
                size = (size << 8) | p.buf[pos + i];
            header = 9;
        }
        if (p.buf.size() - pos - header < size)
            break;
        raw_frame f;
        f.flags = flags;
        f.body.assign(p.buf.begin() + static_cast<std::ptrdiff_t>(pos + header),
                      p.buf.begin() + static_cast<std::ptrdiff_t>(pos + header + size));
        if (f.command())
            found.push_back({sender, f.command_name(), f.command_data()});
        pos += header + static_cast<std::size_t>(size);
    }
    p.buf.erase(p.buf.begin(), p.buf.begin() + static_cast<std::ptrdiff_t>(pos));
    if (found.empty())
        return;
    {
        std::lock_guard<std::mutex> lock(m_);
        seen_.insert(seen_.end(), found.begin(), found.end());
    }
    cv_.notify_all();
}

bool wire_tap::wait_commands(from sender, std::string_view name, std::size_t n,
                             std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(m_);
    return cv_.wait_for(lock, timeout, [&] {
        return static_cast<std::size_t>(std::count_if(seen_.begin(), seen_.end(), [&](auto& c) {
                   return c.sender == sender && c.name == name;
               })) >= n;
    });
}

bool wire_tap::wait_ended(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(m_);
    return cv_.wait_for(lock, timeout, [&] { return ended_ >= n; });
}

std::vector<wire_tap::command_seen> wire_tap::commands(from sender, std::string_view name) const {
    std::lock_guard<std::mutex> lock(m_);
    std::vector<command_seen> out;
    for (const auto& c : seen_)
        if (c.sender == sender && c.name == name)
            out.push_back(c);
    return out;
}

std::size_t wire_tap::ended() const {
    std::lock_guard<std::mutex> lock(m_);
    return ended_;
}

} // namespace zmtp::test
