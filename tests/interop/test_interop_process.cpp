// Interop with a libzmq peer in ANOTHER PROCESS: pyzmq_peer.py run by the system python3
// (pyzmq over libzmq 4.3). The test fails — never skips — when python3 or pyzmq is missing.
#include "tests/interop/interop_support.hpp"
#include "tests/support/catch.hpp"
#include "tests/support/child_process.hpp"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#ifndef ZMTP_INTEROP_PYTHON
#define ZMTP_INTEROP_PYTHON "/usr/bin/python3"
#endif
#ifndef ZMTP_INTEROP_PEER_SCRIPT
#error "ZMTP_INTEROP_PEER_SCRIPT must name tests/interop/pyzmq_peer.py"
#endif

using namespace zmtp::interop;
using zmtp::test::child_process;

namespace {

/// Python startup plus `import zmq` can be slow on a loaded CI machine.
constexpr int startup_timeout_ms = 30000;

std::string python() {
    const char* env = std::getenv("ZMTP_INTEROP_PYTHON");
    return env && *env ? env : ZMTP_INTEROP_PYTHON;
}

/// The peer process, started and past its "READY <endpoint> <version>" line.
struct py_peer {
    std::unique_ptr<child_process> proc;
    std::string endpoint; ///< the peer's LAST_ENDPOINT when it binds
};

py_peer start_peer(const std::string& mode, const std::string& action,
                   const std::string& endpoint, long count = 0) {
    const std::vector<std::string> argv = {python(), ZMTP_INTEROP_PEER_SCRIPT, mode, action,
                                           endpoint, std::to_string(count)};
    py_peer peer;
    peer.proc = std::make_unique<child_process>(argv);
    const auto line = peer.proc->read_line(startup_timeout_ms);
    INFO("interpreter " << argv[0] << ", script " << argv[1]);
    INFO("first line from the peer: " << (line ? *line : std::string("<none: EOF or timeout>")));
    // "NOZMQ ..." here means python3-zmq is not installed for this interpreter: a failure.
    REQUIRE(line.has_value());
    REQUIRE(line->rfind("READY ", 0) == 0);
    const auto space = line->find(' ', 6);
    peer.endpoint = line->substr(6, space == std::string::npos ? std::string::npos : space - 6);
    return peer;
}

/// Ends the peer with `stop` (answered "bye") and checks it exits with status 0.
void finish_peer(py_peer& peer, zmtp::socket& ours, const std::string& stop) {
    send_ours(ours, stop);
    REQUIRE(recv_ours(ours) == "bye");
    const auto status = peer.proc->wait_exit(timeout_ms);
    REQUIRE(status.has_value());
    REQUIRE(*status == 0);
}

/// Joins our PAIR to a fresh peer process in `mode`; returns the peer.
py_peer join(role r, zmtp::socket& ours, const std::string& mode, long count = 0) {
    if (r == role::zmtp_binds) {
        ours.bind("tcp://127.0.0.1:*");
        return start_peer(mode, "connect", ours.get(zmtp::opt::last_endpoint), count);
    }
    py_peer peer = start_peer(mode, "bind", "tcp://127.0.0.1:*", count);
    INFO("peer endpoint " << peer.endpoint);
    REQUIRE(port_of(peer.endpoint) > 0);
    ours.connect(peer.endpoint);
    return peer;
}

std::string seq_payload(std::uint32_t i) { // same layout as pyzmq_peer.py seq_payload
    std::string s(4 + i % 23, static_cast<char>(i * 7));
    s[0] = static_cast<char>(i >> 24);
    s[1] = static_cast<char>(i >> 16);
    s[2] = static_cast<char>(i >> 8);
    s[3] = static_cast<char>(i);
    return s;
}

} // namespace

TEST_CASE("C-FRM-2 C-FRM-6 a pyzmq PAIR echo peer in another process returns every message",
          "[interop][tcp][pair][process]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    INFO(role_name(r));
    zmtp::context ctx;
    zmtp::socket ours = make_pair(ctx);
    py_peer peer = join(r, ours, "echo");

    const std::vector<std::size_t> sizes = {0, 1, 255, 256, 65536, 8u << 20};
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        INFO("size " << sizes[i]);
        const std::string payload = pattern(sizes[i], static_cast<std::uint32_t>(i + 40));
        send_ours(ours, payload);
        bool more = true;
        const std::string echoed = recv_ours(ours, &more);
        REQUIRE(echoed.size() == payload.size());
        REQUIRE(first_mismatch(echoed, payload) == -1);
        REQUIRE_FALSE(more);
    }

    const std::vector<std::string> parts = {"", "head", "", pattern(300, 3), ""};
    send_multipart_ours(ours, parts);
    const auto echoed_parts = recv_multipart_ours(ours);
    INFO(describe(echoed_parts));
    REQUIRE(echoed_parts == parts);

    // 10000 small messages in windows of 500 (the echo cannot deadlock on HWMs).
    constexpr std::uint32_t count = 10000, window = 500;
    for (std::uint32_t base = 0; base < count; base += window) {
        for (std::uint32_t i = base; i < base + window; ++i)
            send_ours(ours, seq_payload(i));
        for (std::uint32_t i = base; i < base + window; ++i) {
            const std::string got = recv_ours(ours);
            if (got != seq_payload(i)) {
                FAIL("echo #" << i << " came back as " << got.size() << " different bytes");
            }
        }
    }
    finish_peer(peer, ours, "quit");
}

TEST_CASE("C-PAIR-2 50000 messages to and from a pyzmq PAIR in another process, in order",
          "[interop][tcp][pair][process][stream]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    const bool zmtp_sends = GENERATE(true, false);
    INFO(role_name(r) << (zmtp_sends ? "; zmtp sends" : "; pyzmq sends"));
    constexpr std::uint32_t count = 50000;
    zmtp::context ctx;
    zmtp::socket ours = make_pair(ctx);

    if (zmtp_sends) {
        py_peer peer = join(r, ours, "sink", count);
        for (std::uint32_t i = 0; i < count; ++i)
            send_ours(ours, seq_payload(i));
        REQUIRE(recv_ours(ours) == "ok " + std::to_string(count)); // the sink's verdict
        finish_peer(peer, ours, "quit");
    } else {
        py_peer peer = join(r, ours, "source", count);
        for (std::uint32_t i = 0; i < count; ++i) {
            bool more = true;
            const std::string got = recv_ours(ours, &more);
            if (got != seq_payload(i) || more) {
                FAIL("message #" << i << ": " << got.size() << " bytes, more=" << more
                                 << ", not the expected payload");
            }
        }
        finish_peer(peer, ours, "done");
    }
}
