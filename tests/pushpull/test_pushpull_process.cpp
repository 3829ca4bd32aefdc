// PUSH/PULL against pyzmq (python3-zmq on the system libzmq 4.3) in another process, one case
// each way: our PUSH binds over tcp and a pyzmq PULL connects; a pyzmq PUSH binds over ipc and
// our PULL connects. Multipart messages, an empty frame, a 64 KiB frame and 1000 messages in
// order. The test fails, never skips, when python3 or pyzmq is missing.
#include "tests/pushpull/pushpull_support.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/peer_lines.hpp"

#include <string>
#include <vector>

#ifndef ZMTP_PUSHPULL_PEER_SCRIPT
#error "ZMTP_PUSHPULL_PEER_SCRIPT must name tests/pushpull/pushpull_peer.py"
#endif

using namespace zmtp;
using namespace zmtp::pushpull_test;
using zmtp::test::child_process;
using zmtp::test::hex_line;

namespace {

const std::string python = ZMTP_PUSHPULL_PYTHON;
/// Python startup plus `import zmq` can be slow on a loaded machine.
constexpr int startup_timeout_ms = 30000;

const std::vector<parts> mixed{{"one"},
                               {"multi", "", std::string(300, 'x')},
                               {std::string("\0bin\xff", 5), "y"},
                               {test::pattern(64 * 1024, 7)},
                               {""}};

constexpr std::uint64_t count = 1000;

} // namespace

TEST_CASE("interop pyzmq PULL process receives from our PUSH", "[pushpull][interop][pyzmq]") {
    context ctx;
    auto push = make_socket(ctx, socket_type::push);
    const auto ep = bind_ours(push, "tcp");
    child_process peer({python, ZMTP_PUSHPULL_PEER_SCRIPT, "pull", "connect", ep});
    CHECK(test::read_ready(peer, python, startup_timeout_ms) == ep);
    for (const auto& m : mixed)
        send_parts(push, m); // a bound PUSH holds the first until the peer is attached
    for (std::uint64_t i = 0; i < count; ++i)
        send_parts(push, numbered("n", i));
    send_parts(push, {"END"});
    for (const auto& m : mixed) {
        const auto line = peer.read_line(timeout_ms);
        REQUIRE(line);
        CHECK(*line == "MSG " + hex_line(m));
    }
    for (std::uint64_t i = 0; i < count; ++i) {
        const auto line = peer.read_line(timeout_ms);
        REQUIRE(line);
        if (*line != "MSG " + hex_line(numbered("n", i)))
            FAIL("message " << i << ": the peer printed " << line->substr(0, 80));
    }
    const auto done = peer.read_line(timeout_ms);
    REQUIRE(done);
    CHECK(*done == "DONE " + std::to_string(mixed.size() + count));
    CHECK(peer.wait_exit(timeout_ms) == 0);
}

TEST_CASE("interop pyzmq PUSH process sends to our PULL", "[pushpull][interop][pyzmq]") {
    context ctx;
    auto pull = make_socket(ctx, socket_type::pull);
    child_process peer({python, ZMTP_PUSHPULL_PEER_SCRIPT, "push", "bind", "ipc://*"});
    const auto ep = test::read_ready(peer, python, startup_timeout_ms);
    REQUIRE(ep.rfind("ipc://", 0) == 0);
    pull.connect(ep);
    for (const auto& m : mixed)
        peer.write_line("send " + hex_line(m));
    peer.write_line("count " + std::to_string(count));
    for (const auto& m : mixed)
        CHECK(expect_parts(pull) == m);
    for (std::uint64_t i = 0; i < count; ++i) {
        const auto m = expect_parts(pull);
        if (m != parts{"n", test::be64(i)})
            FAIL("message " << i << " arrived as " << m.size() << " frames, first \"" << m.front()
                            << '"');
    }
    peer.write_line("quit");
    CHECK(peer.wait_exit(timeout_ms) == 0);
    CHECK_FALSE(recv_parts(pull, 0)); // nothing more
}
