// A fault-injecting TCP proxy for the network-fault tests: it listens on 127.0.0.1, forwards
// every accepted connection to a target port, and on request delays, throttles or stalls
// either direction, or cuts every live connection with a reset. One thread, poll(2).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace zmtp::test {

class fault_proxy {
public:
    enum dir { to_server = 0, to_client = 1 }; // client = who connected to the proxy

    explicit fault_proxy(std::uint16_t target_port);
    ~fault_proxy();
    fault_proxy(const fault_proxy&) = delete;
    fault_proxy& operator=(const fault_proxy&) = delete;

    /// "tcp://127.0.0.1:<listening port>": what the connecting side connects to.
    std::string endpoint() const;

    /// Every chunk read is forwarded `ms` after it arrived (0: at once).
    void set_delay_ms(int ms) { delay_ms_ = ms; }
    /// At most `bytes` forwarded per millisecond and direction (0: no limit).
    void set_throttle(std::size_t bytes_per_ms) { throttle_ = bytes_per_ms; }
    /// Stops (or resumes) reading in one direction: its sender's TCP buffers fill up.
    void stall(dir d, bool on) { stalled_[d] = on; }
    /// Resets both sides of every live connection (RST, no FIN), buffered bytes dropped.
    /// When it returns, no byte written to an old connection can reach the other side.
    void cut();

    /// Connections accepted so far, and bytes forwarded per direction.
    int accepted() const { return accepted_; }
    std::uint64_t forwarded(dir d) const { return forwarded_[d]; }

private:
    void run();

    int listen_fd_ = -1;
    int wake_fd_ = -1; // eventfd: a control request is waiting
    std::uint16_t target_port_;
    std::uint16_t port_ = 0;
    std::atomic<int> delay_ms_{0};
    std::atomic<std::size_t> throttle_{0};
    std::atomic<bool> stalled_[2] = {false, false};
    std::atomic<int> accepted_{0};
    std::atomic<std::uint64_t> forwarded_[2] = {0, 0};
    std::mutex control_mutex_;
    std::condition_variable control_done_;
    std::uint64_t cuts_requested_ = 0, cuts_done_ = 0; // guarded
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace zmtp::test
