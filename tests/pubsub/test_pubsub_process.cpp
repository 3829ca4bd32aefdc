// PUB/SUB against pyzmq (libzmq 4.3) in another process, both directions: a pyzmq SUB fed by
// our PUB and a pyzmq PUB feeding our SUB, with filters, multipart and either side binding.
#include "tests/pubsub/pubsub_support.hpp"
#include "tests/support/libzmq_socket.hpp"
#include "tests/support/peer_lines.hpp"
#include "tests/support/wait.hpp"

#include <chrono>
#include <memory>
#include <string>

using namespace zmtp;
using namespace zmtp::pubsub_test;
using namespace zmtp::test;

namespace {

const std::string python = ZMTP_PUBSUB_PYTHON;
const std::string peer_script = ZMTP_PUBSUB_PEER_SCRIPT;

/// Starts the peer and reads its READY line; the endpoint it bound or connected to.
std::string start_peer(child_process& peer) {
    return read_ready(peer, python, timeout_ms);
}

} // namespace

TEST_CASE("interop pyzmq SUB process receives from our PUB", "[pubsub][interop][pyzmq]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(role_name(r));
    context ctx;
    auto pub = make_socket(ctx, socket_type::pub);
    std::string ep;
    if (r == role::zmtp_binds)
        ep = bind_any(pub, "tcp");
    child_process peer({python, peer_script, "sub", r == role::zmtp_binds ? "connect" : "bind",
                        r == role::zmtp_binds ? ep : "tcp://127.0.0.1:*", hex_of("A"),
                        hex_of(std::string("\0", 1))});
    const auto peer_ep = start_peer(peer);
    if (r == role::libzmq_binds)
        pub.connect(peer_ep);

    // Probe until the peer reports one: its subscriptions are active at our PUB.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    bool synced = false;
    while (!synced && std::chrono::steady_clock::now() < deadline) {
        REQUIRE(pub.send("PROBE"));
        if (auto line = peer.read_line(20)) {
            REQUIRE(*line == "PROBE");
            synced = true;
        }
    }
    REQUIRE(synced);
    const std::vector<parts> input{{"A-1"},
                                   {"B-1"},
                                   {"A-multi", "", std::string(300, 'x')},
                                   {std::string("\0bin", 4), "y"},
                                   {"X", "A-not-first"},
                                   {"A-last"}};
    for (const auto& m : input)
        send_parts(pub, m);
    send_parts(pub, {"END"});
    std::vector<std::string> got;
    for (;;) {
        const auto line = peer.read_line(timeout_ms);
        REQUIRE(line);
        if (*line == "PROBE")
            continue;
        if (line->rfind("DONE ", 0) == 0) {
            CHECK(*line == "DONE 4");
            break;
        }
        REQUIRE(line->rfind("MSG ", 0) == 0);
        got.push_back(line->substr(4));
    }
    CHECK(got == std::vector<std::string>{hex_line(input[0]), hex_line(input[2]),
                                          hex_line(input[3]), hex_line(input[5])});
    CHECK(peer.wait_exit(timeout_ms) == 0);
}

TEST_CASE("interop pyzmq PUB process publishes to our SUB", "[pubsub][interop][pyzmq]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(role_name(r));
    context ctx;
    auto sub = make_socket(ctx, socket_type::sub);
    for (const char* t : {"A", "PROBE", "END"})
        sub.set(opt::subscribe, std::string(t));
    std::string ep;
    if (r == role::zmtp_binds)
        ep = bind_any(sub, "tcp");
    child_process peer({python, peer_script, "pub", r == role::zmtp_binds ? "connect" : "bind",
                        r == role::zmtp_binds ? ep : "tcp://127.0.0.1:*"});
    const auto peer_ep = start_peer(peer);
    if (r == role::libzmq_binds)
        sub.connect(peer_ep);

    // The peer probes until its first command; one probe here means our SUB is subscribed.
    auto first = expect_parts(sub);
    CHECK(first[0].rfind("PROBE", 0) == 0);
    const std::vector<parts> input{
        {"A-1"},    {"B-1"}, {"A-multi", "", std::string(300, 'x')}, {"X", "A-not-first"},
        {"A-last"}, {"END"}};
    for (const auto& m : input)
        peer.write_line("send " + hex_line(m));
    std::vector<parts> got;
    for (;;) {
        auto m = expect_parts(sub);
        if (m[0].rfind("PROBE", 0) == 0)
            continue;
        if (m[0] == "END")
            break;
        got.push_back(m);
    }
    CHECK(got == std::vector<parts>{input[0], input[2], input[4]});
    peer.write_line("quit");
    CHECK(peer.wait_exit(timeout_ms) == 0);
}
