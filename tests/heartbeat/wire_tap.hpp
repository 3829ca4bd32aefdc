// wire_tap: a man in the middle between a client socket and the socket it should reach, so a
// test can watch the PINGs and PONGs two real implementations exchange (C-TEST-4), and can cut
// the line. Connections are served one at a time, in a thread: each accepted client gets a new
// connection to `upstream`; the bytes are forwarded unchanged both ways, and every command
// frame after each side's 64-octet greeting is recorded.
#pragma once

#include "tests/support/raw_acceptor.hpp"
#include "tests/support/raw_peer.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace zmtp::test {

class wire_tap {
public:
    enum class from { client, server };

    struct command_seen {
        from sender;
        std::string name;
        bytes data;
    };

    /// Listens on `transport` and forwards each connection to `upstream`.
    wire_tap(const std::string& transport, std::string upstream);
    ~wire_tap();
    wire_tap(const wire_tap&) = delete;
    wire_tap& operator=(const wire_tap&) = delete;

    /// Where the client connects.
    const std::string& endpoint() const noexcept { return acceptor_.endpoint(); }

    /// While set, every byte in transit is read and thrown away (a dead line that still
    /// carries connection closes): each side then hears nothing from the other.
    void set_dead(bool dead) { dead_ = dead; }

    /// Waits until `sender` has sent `n` commands named `name` (in all connections).
    bool wait_commands(from sender, std::string_view name, std::size_t n,
                       std::chrono::milliseconds timeout);
    /// Waits until `n` connections have ended (either side closed).
    bool wait_ended(std::size_t n, std::chrono::milliseconds timeout);
    /// The commands `sender` has sent with this name so far.
    std::vector<command_seen> commands(from sender, std::string_view name) const;
    std::size_t ended() const;

private:
    /// Splits one direction's byte stream into frames after its greeting.
    struct parser {
        bytes buf;
        bool greeted = false;
    };

    void run();
    void pump(raw_peer& client, raw_peer& server);
    /// Forwards what `in` has; false once it closed or the write failed.
    bool forward(raw_peer& in, raw_peer& out, parser& p, from sender);
    void parse(parser& p, from sender);

    raw_acceptor acceptor_;
    std::string upstream_;
    std::atomic<bool> dead_{false};
    std::atomic<bool> stopping_{false};

    mutable std::mutex m_;
    std::condition_variable cv_;
    std::vector<command_seen> seen_;
    std::size_t ended_ = 0;

    std::thread thread_; // last: starts once everything above exists
};

} // namespace zmtp::test
