// Interop: zmtp PAIR against the real libzmq 4.3 PAIR over tcp on loopback, in one process.
// Every case runs twice (GENERATE): zmtp binds / libzmq connects, and libzmq binds / zmtp
// connects; every payload travels both ways.
#include "tests/interop/interop_support.hpp"
#include "tests/support/catch.hpp"

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

using namespace zmtp::interop;

namespace {

// Skip a test case: SKIP where Catch2 has it (v3.3+), a warning and an early return otherwise.
#ifdef SKIP
#define INTEROP_SKIP(why) SKIP(why)
#else
#define INTEROP_SKIP(why)                                                                      \
    do {                                                                                       \
        WARN("skipped: " << why);                                                              \
        return;                                                                                \
    } while (false)
#endif

/// ours -> libzmq, then libzmq -> ours, checking content and that the frame is the last one.
void check_both_ways(pair_link& link, const std::string& a, const std::string& b) {
    send_ours(link.ours, a);
    bool more = true;
    const std::string got_a = link.theirs.recv(&more);
    REQUIRE(got_a.size() == a.size());
    REQUIRE(first_mismatch(got_a, a) == -1);
    REQUIRE_FALSE(more);

    link.theirs.send(b);
    more = true;
    const std::string got_b = recv_ours(link.ours, &more);
    REQUIRE(got_b.size() == b.size());
    REQUIRE(first_mismatch(got_b, b) == -1);
    REQUIRE_FALSE(more);
}

/// Sequence-numbered payload of 4..26 bytes: big-endian index, then (i % 23) filler bytes.
std::string seq_payload(std::uint32_t i) {
    std::string s(4 + i % 23, static_cast<char>(i * 7));
    s[0] = static_cast<char>(i >> 24);
    s[1] = static_cast<char>(i >> 16);
    s[2] = static_cast<char>(i >> 8);
    s[3] = static_cast<char>(i);
    return s;
}

} // namespace

TEST_CASE("C-FRM-2 C-FRM-3 PAIR frames of 0 B to 8 MiB cross byte-exact both ways",
          "[interop][tcp][pair]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    INFO(role_name(r));
    pair_link link(r);
    link.sync();
    // 56/57: our inline/heap storage edge; 255/256: the short/long frame edge (C-FRM-3).
    const std::vector<std::size_t> sizes = {0, 1, 56, 57, 255, 256, 65536, 8u << 20};

    SECTION("one message at a time") {
        for (std::size_t i = 0; i < sizes.size(); ++i) {
            INFO("size " << sizes[i]);
            check_both_ways(link, pattern(sizes[i], static_cast<std::uint32_t>(i)),
                            pattern(sizes[i], static_cast<std::uint32_t>(i + 100)));
        }
    }

    SECTION("pipelined: all sizes queued in both directions before any is received") {
        for (std::size_t i = 0; i < sizes.size(); ++i) {
            send_ours(link.ours, pattern(sizes[i], static_cast<std::uint32_t>(i)));
            link.theirs.send(pattern(sizes[i], static_cast<std::uint32_t>(i + 100)));
        }
        for (std::size_t i = 0; i < sizes.size(); ++i) {
            INFO("size " << sizes[i]);
            const std::string to_libzmq = pattern(sizes[i], static_cast<std::uint32_t>(i));
            const std::string to_zmtp = pattern(sizes[i], static_cast<std::uint32_t>(i + 100));
            bool more = true;
            const std::string got_l = link.theirs.recv(&more);
            REQUIRE(got_l.size() == to_libzmq.size());
            REQUIRE(first_mismatch(got_l, to_libzmq) == -1);
            REQUIRE_FALSE(more);
            const std::string got_z = recv_ours(link.ours, &more);
            REQUIRE(got_z.size() == to_zmtp.size());
            REQUIRE(first_mismatch(got_z, to_zmtp) == -1);
            REQUIRE_FALSE(more);
        }
    }
}

TEST_CASE("C-FRM-1 C-FRM-6 multipart PAIR messages with empty parts keep MORE and boundaries",
          "[interop][tcp][pair][multipart]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    INFO(role_name(r));
    pair_link link(r);
    link.sync();

    const std::vector<std::string> first = {"", "head", "", pattern(256, 1), "",
                                            pattern(70000, 2), ""};
    const std::vector<std::string> second = {"x", "", "y"};
    const std::vector<std::string> single = {"single"};

    SECTION("zmtp sends, libzmq receives") {
        send_multipart_ours(link.ours, first);
        send_multipart_ours(link.ours, second);
        send_multipart_ours(link.ours, single);
        // MORE is set on every part but the last (recv checks ZMQ_RCVMORE == zmq_msg_more).
        for (std::size_t i = 0; i < first.size(); ++i) {
            bool more = false;
            const std::string part = link.theirs.recv(&more);
            INFO("part " << i);
            REQUIRE(first_mismatch(part, first[i]) == -1);
            REQUIRE(more == (i + 1 < first.size()));
        }
        const auto got2 = link.theirs.recv_multipart();
        INFO(describe(got2));
        REQUIRE(got2 == second);
        REQUIRE(link.theirs.recv_multipart() == single);
    }

    SECTION("libzmq sends, zmtp receives") {
        link.theirs.send_multipart(first);
        link.theirs.send_multipart(second);
        link.theirs.send_multipart(single);
        // MORE on each part (recv checks opt::rcvmore == message::more()).
        for (std::size_t i = 0; i < first.size(); ++i) {
            bool more = false;
            const std::string part = recv_ours(link.ours, &more);
            INFO("part " << i);
            REQUIRE(first_mismatch(part, first[i]) == -1);
            REQUIRE(more == (i + 1 < first.size()));
        }
        const auto got2 = recv_multipart_ours(link.ours);
        INFO(describe(got2));
        REQUIRE(got2 == second);
        REQUIRE(recv_multipart_ours(link.ours) == single);
    }

    SECTION("both directions at once, then an all-empty message") {
        const std::vector<std::string> empties = {"", "", ""};
        send_multipart_ours(link.ours, first);
        link.theirs.send_multipart(first);
        send_multipart_ours(link.ours, empties);
        link.theirs.send_multipart(empties);
        REQUIRE(link.theirs.recv_multipart() == first);
        REQUIRE(recv_multipart_ours(link.ours) == first);
        REQUIRE(link.theirs.recv_multipart() == empties);
        REQUIRE(recv_multipart_ours(link.ours) == empties);
    }
}

TEST_CASE("C-PAIR-2 100000 small PAIR messages arrive in order, none lost or duplicated",
          "[interop][tcp][pair][stream]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    const bool zmtp_sends = GENERATE(true, false);
    INFO(role_name(r) << (zmtp_sends ? "; zmtp sends" : "; libzmq sends"));
    pair_link link(r);
    link.sync();

    constexpr std::uint32_t count = 100000;
    std::atomic<bool> stop{false};
    std::string send_error;
    // The sender runs on its own thread so HWM back-pressure cannot deadlock the receiver;
    // the socket is used by that thread alone until join().
    std::thread sender([&] {
        try {
            for (std::uint32_t i = 0; i < count && !stop; ++i) {
                if (zmtp_sends)
                    send_ours(link.ours, seq_payload(i));
                else
                    link.theirs.send(seq_payload(i));
            }
            if (zmtp_sends) // an end marker proves nothing extra trails the sequence
                send_ours(link.ours, "end");
            else
                link.theirs.send("end");
        } catch (const std::exception& e) {
            send_error = e.what();
        }
    });

    std::string recv_error;
    std::uint32_t received = 0;
    std::string bad; // description of the first out-of-order / corrupt message
    try {
        for (; received < count; ++received) {
            const std::string got = zmtp_sends ? link.theirs.recv() : recv_ours(link.ours);
            if (got != seq_payload(received)) {
                std::uint32_t seq = 0;
                if (got.size() >= 4)
                    seq = (std::uint32_t(std::uint8_t(got[0])) << 24) |
                          (std::uint32_t(std::uint8_t(got[1])) << 16) |
                          (std::uint32_t(std::uint8_t(got[2])) << 8) | std::uint8_t(got[3]);
                bad = "expected #" + std::to_string(received) + ", got " +
                      std::to_string(got.size()) + " bytes with sequence " + std::to_string(seq);
                break;
            }
        }
        if (bad.empty()) {
            const std::string last = zmtp_sends ? link.theirs.recv() : recv_ours(link.ours);
            if (last != "end")
                bad = "after " + std::to_string(count) + " messages: an extra " +
                      std::to_string(last.size()) + "-byte message instead of the end marker";
        }
    } catch (const std::exception& e) {
        recv_error = e.what();
    }
    stop = true;
    sender.join();

    INFO("received " << received << " of " << count);
    CHECK(send_error == "");
    REQUIRE(recv_error == "");
    REQUIRE(bad == "");
    REQUIRE(received == count);
}

TEST_CASE("C-TCP-3 bind tcp://127.0.0.1:* and the peer connects to LAST_ENDPOINT",
          "[interop][tcp][pair][endpoint]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    INFO(role_name(r));
    pair_link link(r);
    INFO("LAST_ENDPOINT " << link.endpoint);
    REQUIRE(link.endpoint.rfind("tcp://127.0.0.1:", 0) == 0);
    const int port = port_of(link.endpoint);
    REQUIRE(port > 0);
    REQUIRE(port <= 65535);
    if (r == role::libzmq_binds) // a connect reports the endpoint as given (C-TCP-3)
        CHECK(link.ours.get(zmtp::opt::last_endpoint) == link.endpoint);
    link.sync();
    round_trip(link.ours, link.theirs, "ephemeral");
}

TEST_CASE("C-TCP-4 C-TCP-3 IPv6 loopback tcp://[::1]:* with ipv6 = 1 on both sides",
          "[interop][tcp][pair][ipv6]") {
    if (!ipv6_loopback_available())
        INTEROP_SKIP("::1 is not available on this host");
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    INFO(role_name(r));
    pair_link link(r, "tcp://[::1]:*", true);
    INFO("LAST_ENDPOINT " << link.endpoint);
    REQUIRE(link.endpoint.rfind("tcp://[::1]:", 0) == 0);
    REQUIRE(port_of(link.endpoint) > 0);
    link.sync();
    round_trip(link.ours, link.theirs, "ipv6");
    check_both_ways(link, pattern(300000, 7), pattern(300000, 8));
    const std::vector<std::string> parts = {"", "v6", pattern(256, 9)};
    send_multipart_ours(link.ours, parts);
    REQUIRE(link.theirs.recv_multipart() == parts);
    link.theirs.send_multipart(parts);
    REQUIRE(recv_multipart_ours(link.ours) == parts);
}

TEST_CASE("C-TCP-2 the connector may name the binder's host as localhost",
          "[interop][tcp][pair][endpoint]") {
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    INFO(role_name(r));
    zmtp::context ctx;
    zctx zc;
    zmtp::socket ours = make_pair(ctx);
    zsock theirs(zc);
    if (r == role::zmtp_binds) {
        ours.bind("tcp://127.0.0.1:*");
        const int port = port_of(ours.get(zmtp::opt::last_endpoint));
        REQUIRE(port > 0);
        theirs.connect("tcp://localhost:" + std::to_string(port));
        theirs.send("by-name");
        REQUIRE(recv_ours(ours) == "by-name");
    } else {
        theirs.bind("tcp://127.0.0.1:*");
        const int port = port_of(theirs.last_endpoint());
        REQUIRE(port > 0);
        ours.connect("tcp://localhost:" + std::to_string(port));
        send_ours(ours, "by-name");
        REQUIRE(theirs.recv() == "by-name");
    }
    round_trip(ours, theirs, "localhost");
}
