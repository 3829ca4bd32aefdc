// pubsub_fanout: one PUB, several SUBs subscribed to everything, HWM 0 (no limit) on every
// socket, so nothing may be dropped: each subscriber must receive every message, in order.
// On tcp and ipc the publisher is zmtp and then libzmq, with subscribers alternating between
// the two libraries; on inproc (one context) all sockets are zmtp.
//
// Before the data, the publisher sends empty probes every few milliseconds until every
// subscriber has received one (PUB drops messages for subscriptions it has not seen yet: the
// slow-joiner problem); subscribers report that through a counter, as they are threads of this
// process. Data message i: 8-byte sequence number i (little endian), then i % 200 bytes equal to
// i & 0xff. The string "end" closes the stream.
//
// usage: pubsub_fanout [--transport tcp|ipc|inproc|all] [--messages N] [--subscribers K]
#include "demo_endpoint.hpp"
#include "demo_socket.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using demo_clock = std::chrono::steady_clock;

constexpr std::string_view end_marker = "end";

/// Data message `seq` as described above, written into `out`.
void make_message(std::uint64_t seq, std::vector<unsigned char>& out) {
    out.assign(8 + seq % 200, static_cast<unsigned char>(seq & 0xff));
    for (int i = 0; i < 8; ++i)
        out[static_cast<std::size_t>(i)] = static_cast<unsigned char>(seq >> (8 * i));
}

/// Checks that `msg` is data message `seq`; returns an empty string or what is wrong.
std::string check_message(std::uint64_t seq, std::string_view msg) {
    if (msg.size() < 8)
        return "a " + std::to_string(msg.size()) + "-byte message where #" + std::to_string(seq) +
               " was due";
    std::uint64_t got = 0;
    for (int i = 0; i < 8; ++i)
        got |= std::uint64_t{static_cast<unsigned char>(msg[static_cast<std::size_t>(i)])}
               << (8 * i);
    if (got != seq)
        return "message #" + std::to_string(got) + " where #" + std::to_string(seq) + " was due";
    if (msg.size() != 8 + seq % 200)
        return "message #" + std::to_string(seq) + " has the wrong size";
    for (std::size_t i = 8; i < msg.size(); ++i)
        if (static_cast<unsigned char>(msg[i]) != static_cast<unsigned char>(seq & 0xff))
            return "message #" + std::to_string(seq) + " has corrupt content";
    return {};
}

/// What one subscriber thread saw.
struct subscriber_report {
    std::uint64_t received = 0;
    std::string error;
};

/// Receives until the end marker, acknowledging the first probe through `joined`.
void run_subscriber(demo_socket& sub, std::atomic<int>& joined, subscriber_report& report) {
    bool acked = false;
    try {
        for (;;) {
            const std::string_view msg = sub.recv();
            if (msg.empty()) { // a probe, maybe a late one
                if (!acked)
                    joined.fetch_add(1);
                acked = true;
                continue;
            }
            if (msg == end_marker)
                return;
            report.error = check_message(report.received, msg);
            if (!report.error.empty())
                return;
            ++report.received;
        }
    } catch (const std::exception& e) {
        report.error = e.what();
        if (!acked)
            joined.fetch_add(1); // do not keep the publisher waiting for a dead subscriber
    }
}

/// One scenario: `pub_lib` publishes `count` messages to one subscriber per entry of
/// `sub_libs` over `transport`. Returns true if every subscriber got every message in order.
bool fan_out(const std::string& transport, demo_library& pub_lib,
             const std::vector<demo_library*>& sub_libs, std::uint64_t count,
             const scratch_dir& dir, int run) {
    std::printf("  %-6s PUB %-6s -> %zu SUB (", transport.c_str(), pub_lib.name(), sub_libs.size());
    for (std::size_t i = 0; i < sub_libs.size(); ++i)
        std::printf("%s%s", i ? ", " : "", sub_libs[i]->name());
    std::printf("), %llu messages: ", static_cast<unsigned long long>(count));
    std::fflush(stdout);

    std::vector<subscriber_report> reports(sub_libs.size());
    double seconds = 0;
    try {
        auto pub = pub_lib.socket(demo_socket_type::pub);
        pub->set_hwm(0);
        const std::string endpoint =
            pub->bind(dir.endpoint(transport, "fanout_" + std::to_string(run)));
        std::vector<std::unique_ptr<demo_socket>> subs;
        for (demo_library* lib : sub_libs) {
            subs.push_back(lib->socket(demo_socket_type::sub));
            subs.back()->set_hwm(0);
            subs.back()->subscribe_all();
            subs.back()->connect(endpoint);
        }

        std::atomic<int> joined{0};
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < subs.size(); ++i)
            threads.emplace_back([&, i] { run_subscriber(*subs[i], joined, reports[i]); });
        struct joiner { // the threads end by the end marker or their receive timeout
            std::vector<std::thread>& threads;
            ~joiner() {
                for (auto& t : threads)
                    t.join();
            }
        } join_all{threads};

        const auto deadline = demo_clock::now() + std::chrono::milliseconds(demo_timeout_ms);
        while (joined.load() < static_cast<int>(subs.size())) {
            if (demo_clock::now() > deadline)
                throw std::runtime_error("subscribers did not all join within the timeout");
            pub->send("", 0);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        const auto start = demo_clock::now();
        std::vector<unsigned char> buf;
        for (std::uint64_t seq = 0; seq < count; ++seq) {
            make_message(seq, buf);
            pub->send(buf.data(), buf.size());
        }
        pub->send(end_marker.data(), end_marker.size());
        for (auto& t : threads)
            t.join();
        threads.clear();
        seconds = std::chrono::duration<double>(demo_clock::now() - start).count();
    } catch (const std::exception& e) {
        std::printf("FAILED: %s\n", e.what());
        return false;
    }

    bool ok = true;
    for (const auto& r : reports)
        ok &= r.error.empty() && r.received == count;
    std::printf("%s in %.3f s (%.0f msg/s per subscriber)\n",
                ok ? "all received in order" : "FAILED", seconds,
                static_cast<double>(count) / seconds);
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const auto& r = reports[i];
        if (!r.error.empty() || r.received != count)
            std::printf("    SUB %zu (%s): %llu of %llu messages%s%s\n", i + 1, sub_libs[i]->name(),
                        static_cast<unsigned long long>(r.received),
                        static_cast<unsigned long long>(count), r.error.empty() ? "" : ": ",
                        r.error.c_str());
    }
    return ok;
}

int usage() {
    std::fprintf(stderr, "usage: pubsub_fanout [--transport tcp|ipc|inproc|all] [--messages N] "
                         "[--subscribers K]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    std::string transport_arg = "all";
    long messages = 200000, subscribers = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--transport")
            transport_arg = argv[i + 1];
        else if (arg == "--messages")
            messages = std::atol(argv[i + 1]);
        else if (arg == "--subscribers")
            subscribers = std::atol(argv[i + 1]);
        else
            return usage();
    }
    if (argc % 2 == 0 || messages < 1 || subscribers < 1 || subscribers > 32)
        return usage();
    try {
        const std::vector<std::string> transports = parse_transports(transport_arg);
        scratch_dir dir("zmtp_fanout_");
        auto zmtp = make_zmtp_library();
        auto libzmq = make_libzmq_library();
        std::printf("pubsub_fanout: PUB -> %ld SUB, SNDHWM = RCVHWM = 0, subscription \"\", "
                    "8..207-byte messages\n",
                    subscribers);

        // Subscribers alternate libraries, starting with the one the publisher is not.
        auto mixed = [&](demo_library* pub_lib) {
            demo_library* other = pub_lib == zmtp.get() ? libzmq.get() : zmtp.get();
            std::vector<demo_library*> libs;
            for (long i = 0; i < subscribers; ++i)
                libs.push_back(i % 2 == 0 ? other : pub_lib);
            return libs;
        };
        const auto count = static_cast<std::uint64_t>(messages);
        bool ok = true;
        int run = 0;
        for (const auto& transport : transports) {
            if (transport == "inproc") {
                const std::vector<demo_library*> all_zmtp(static_cast<std::size_t>(subscribers),
                                                          zmtp.get());
                ok &= fan_out(transport, *zmtp, all_zmtp, count, dir, run++);
            } else {
                ok &= fan_out(transport, *zmtp, mixed(zmtp.get()), count, dir, run++);
                ok &= fan_out(transport, *libzmq, mixed(libzmq.get()), count, dir, run++);
            }
        }
        std::printf("pubsub_fanout: %s\n", ok ? "OK" : "FAILED");
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pubsub_fanout: %s\n", e.what());
        return 1;
    }
}
