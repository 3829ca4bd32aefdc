// PUB/SUB test support (see pubsub_support.hpp).
#include "tests/pubsub/pubsub_support.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace zmtp::pubsub_test {

namespace {
/// A topic short enough for a failure message.
std::string shown(const std::string& topic) {
    return topic.size() <= 40
               ? topic
               : topic.substr(0, 40) + "...(" + std::to_string(topic.size()) + " bytes)";
}
const std::string probe_marker = "\x7fprobe:";
std::atomic<unsigned> endpoint_counter{0};
} // namespace

const std::vector<std::string>& transports() {
    static const std::vector<std::string> list{"tcp", "ipc", "inproc"};
    return list;
}

std::vector<std::string> reconnecting_transports() {
    std::vector<std::string> out;
    for (const auto& t : transports())
        if (t != "inproc")
            out.push_back(t);
    return out;
}

std::string endpoint_for(const std::string& transport) {
    const unsigned n = endpoint_counter.fetch_add(1);
    if (transport == "tcp")
        return "tcp://127.0.0.1:*";
    if (transport == "ipc")
        return "ipc:///tmp/zmtp-pubsub-" + std::to_string(::getpid()) + "-" + std::to_string(n) +
               ".sock";
    if (transport == "inproc")
        return "inproc://pubsub-" + std::to_string(n);
    throw std::invalid_argument("unknown transport " + transport);
}

std::string bind_any(zmtp::socket& s, const std::string& transport) {
    s.bind(endpoint_for(transport));
    return s.get(opt::last_endpoint);
}

bool is_probe(const parts& msg) {
    return msg.size() == 1 && msg[0].find(probe_marker) != std::string::npos;
}

std::uint64_t sync_probe(const probe_send_fn& send, const probe_recv_fn& recv,
                         const std::string& topic, int ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    const std::string prefix = topic + probe_marker;
    std::uint64_t sent = 0;
    bool need_send = true;
    while (std::chrono::steady_clock::now() < deadline) {
        if (need_send) {
            send(prefix + std::to_string(++sent));
            need_send = false;
        }
        auto msg = recv(20);
        if (!msg) {
            // Nothing within 20 ms: the subscription may not be there yet, or the last probe
            // may have been dropped; the next probe becomes the one to wait for.
            need_send = true;
            continue;
        }
        if (msg->size() != 1 || msg->front().rfind(prefix, 0) != 0)
            FAIL("unexpected message while waiting for probe '" << shown(topic)
                                                                << "': " << shown(msg->front()));
        if (std::stoull(msg->front().substr(prefix.size())) == sent)
            return sent;
    }
    FAIL("no probe '" << shown(topic) << "' received within " << ms << " ms (" << sent << " sent)");
    return sent;
}

std::uint64_t sync_subscription(zmtp::socket& pub, zmtp::socket& sub, const std::string& topic) {
    return sync_probe([&](const std::string& f) { REQUIRE(pub.send(f)); },
                      [&](int ms) { return recv_parts(sub, ms); }, topic);
}

parts numbered_message(std::uint64_t seq, const std::string& body) {
    return {"T", be64(seq), body};
}

drain_result drain_numbered(const probe_recv_fn& recv, std::uint64_t end_from,
                            const std::string& payload,
                            const std::function<void(std::uint64_t)>& send_marker) {
    drain_result r;
    std::uint64_t marker = end_from, last = 0;
    bool have_last = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        auto m = recv(50);
        if (!m) {
            send_marker(marker++);
            continue;
        }
        REQUIRE(m->size() == 3); // whole messages only (C-PUB-7)
        REQUIRE((*m)[0] == "T");
        const auto seq = from_be64((*m)[1]);
        if (have_last) {
            REQUIRE(seq > last); // in order, no duplicates
            if (seq != last + 1)
                ++r.gaps;
        }
        have_last = true;
        last = seq;
        if (seq >= end_from) {
            CHECK((*m)[2] == "end");
            return r;
        }
        if ((*m)[2] != payload)
            FAIL("message " << seq << " has a wrong body of " << (*m)[2].size() << " bytes");
        ++r.received;
    }
    FAIL("no end marker within 60 s");
    return r;
}

std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

} // namespace zmtp::pubsub_test
