// Hostile-suite fixtures: the service probe and /proc figures.
#include "tests/hostile/hostile_fixture.hpp"

#include <dirent.h>

#include <fstream>
#include <string>

namespace zmtp::test {

service_probe::service_probe(zmtp::context& ctx)
    : server_(ctx, socket_type::pair), client_(ctx, socket_type::pair) {
    for (auto* s : {&server_, &client_}) {
        s->set(opt::linger, 0);
        s->set(opt::rcvtimeo, 5000);
        s->set(opt::sndtimeo, 5000);
    }
    server_.bind("tcp://127.0.0.1:*");
    client_.connect(server_.get(opt::last_endpoint));
    thread_ = std::thread([this] { run(); });
}

void service_probe::run() {
    using clock = std::chrono::steady_clock;
    long n = 0;
    while (!stop_.load()) {
        const auto t0 = clock::now();
        const auto text = "probe-" + std::to_string(n);
        message m;
        std::error_code ec;
        // Each leg is bounded by SNDTIMEO / RCVTIMEO: a stalled I/O thread fails the probe
        // instead of hanging it. The first round trip also waits out the connect.
        if (!client_.send(text.data(), text.size(), send_flags::none, ec) ||
            !server_.recv(m, recv_flags::none, ec) || m.to_string() != text ||
            !server_.send(m, send_flags::none, ec) || !client_.recv(m, recv_flags::none, ec) ||
            m.to_string() != text) {
            failed_.store(true);
            return;
        }
        const auto us =
            std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - t0).count();
        if (n > 0 && us > worst_us_.load()) // the first one includes connecting
            worst_us_.store(us);
        done_.store(++n);
    }
}

void service_probe::stop() {
    stop_.store(true);
    if (thread_.joinable())
        thread_.join();
}

bool service_probe::wait_round_trips(long n) {
    const auto target = done_.load() + n;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (done_.load() < target) {
        if (failed_.load() || std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1)); // polling a counter
    }
    return true;
}

std::size_t rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string key;
    while (in >> key) {
        if (key == "VmRSS:") {
            std::size_t kib = 0;
            in >> kib;
            return kib;
        }
        std::getline(in, key);
    }
    return 0;
}

std::size_t open_fds() {
    std::size_t n = 0;
    if (DIR* d = ::opendir("/proc/self/fd")) {
        while (const dirent* e = ::readdir(d))
            if (e->d_name[0] != '.')
                ++n;
        ::closedir(d);
    }
    return n > 0 ? n - 1 : 0; // the directory stream's own descriptor
}

std::uint16_t port_of(const std::string& endpoint) {
    return static_cast<std::uint16_t>(std::stoi(endpoint.substr(endpoint.rfind(':') + 1)));
}

} // namespace zmtp::test
