// PING flood from a peer that never reads (issue 11 item 7): each PING asks for a PONG, and
// while our write to that peer is stuck the PONGs must not pile up. As libzmq, only the answer
// to the latest PING is kept; what the peer finally reads is bounded by the kernel buffers
// between us plus one PONG, whatever the number of PINGs, and it ends with the PONG of the
// last PING (C-HB-4: a PONG echoes its PING's context). Meanwhile a well-behaved connection on
// the same I/O thread keeps being served.
//
// Budget: 100 000 PINGs (1.7 MB) are read within 10 s; the peer then reads at most 2 000
// PONGs (more than 2 x 8 KiB of kernel buffers can hold; 41 measured; one per PING before
// the fix); the probe's worst round trip stays under served_bound.
#include "tests/hostile/hostile_fixture.hpp"
#include "tests/support/catch.hpp"
#include "tests/support/raw_peer.hpp"

#include <sys/socket.h>

#include <cstring>

using namespace zmtp;
using namespace zmtp::test;

namespace {

constexpr int ping_count = 100'000;
constexpr int pong_budget = 2000;

/// A PING frame with TTL 0 and an 8-octet context holding `n` in decimal, zero-padded.
bytes ping_frame(int n) {
    char ctx[9];
    std::snprintf(ctx, sizeof ctx, "%08d", n);
    std::string data("\x00\x00", 2);
    data.append(ctx, 8);
    return command("PING", data);
}

} // namespace

TEST_CASE("hostile: a PING flood from a peer that never reads leaves one PONG pending",
          "[hostile][ping]") {
    zmtp::context ctx; // one I/O thread: the probe and the attacked socket share it
    service_probe probe(ctx);
    REQUIRE(probe.wait_round_trips(3));

    zmtp::socket server(ctx, socket_type::pair);
    server.set(opt::linger, 0);
    server.set(opt::rcvtimeo, 5000);
    server.set(opt::sndtimeo, 5000);
    server.set(option_tag<11, int>{}, 4096); // ZMQ_SNDBUF: little room in the kernel for PONGs
    server.bind("tcp://127.0.0.1:*");

    raw_peer raw;
    REQUIRE(raw.connect(port_of(server.get(opt::last_endpoint))));
    const int rcvbuf = 4096;
    REQUIRE(::setsockopt(raw.native_handle(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) ==
            0);
    REQUIRE(raw.handshake(greeting(), ready("PAIR")));
    REQUIRE(raw.send(message_frame("hello")));
    message m;
    REQUIRE(server.recv(m)); // the raw connection is the server's peer now
    REQUIRE(m.to_string() == "hello");

    // The flood, in 64 KiB writes, never reading. Each write must be taken within 10 s: a
    // server that slows down with every PING it answers would not keep up.
    probe.reset_worst();
    bytes batch;
    for (int i = 0; i < ping_count; ++i) {
        const auto f = ping_frame(i);
        batch.insert(batch.end(), f.begin(), f.end());
        if (batch.size() >= 64 * 1024 || i + 1 == ping_count) {
            REQUIRE(raw.send(batch, std::chrono::seconds(10)));
            batch.clear();
        }
    }
    // Proof the server read all of it: its reply to a message sent after the flood is
    // queued behind the PONGs, so only a message to the server can show it.
    REQUIRE(raw.send(message_frame("after-flood")));
    REQUIRE(server.recv(m));
    REQUIRE(m.to_string() == "after-flood");
    REQUIRE(probe.wait_round_trips(3));
    const auto worst_during = probe.worst();

    // Now read: PONGs until the one for the last PING (only the latest is kept, so it comes
    // last), then nothing else is owed.
    int pongs = 0;
    std::string last_context;
    const std::string wanted = [] {
        char ctx[9];
        std::snprintf(ctx, sizeof ctx, "%08d", ping_count - 1);
        return std::string(ctx);
    }();
    while (last_context != wanted) {
        raw_frame f;
        REQUIRE(raw.read_frame(f) == read_status::ok);
        REQUIRE(f.command());
        REQUIRE(f.command_name() == "PONG");
        const auto data = f.command_data();
        last_context.assign(data.begin(), data.end());
        ++pongs;
        REQUIRE(pongs <= pong_budget);
    }
    WARN("PONGs read after " << ping_count << " PINGs: " << pongs << "; probe worst round trip "
                             << worst_during.count() << " us");
    CHECK(pongs <= pong_budget);
    // And the connection is fine: a message both ways.
    REQUIRE(server.send(std::string("still-here")));
    raw_frame f;
    REQUIRE(raw.read_frame(f) == read_status::ok);
    CHECK(f.text() == "still-here");

    probe.stop();
    CHECK_FALSE(probe.failed());
    CHECK(worst_during < served_bound);
}
