// PUB/SUB on the wire, checked byte by byte with a raw TCP peer (C-TEST-4): what our SUB sends
// (C-SUBW-1/2/6, C-SUB-3/4/5; golden V-6..V-9) and what our PUB accepts and sends (C-SUBW-4/5,
// C-PUB-4/5; golden V-12..V-14), including a flood of subscriptions from one peer.
#include "core/sockets/pub.hpp"
#include "tests/pubsub/pubsub_support.hpp"
#include "tests/pubsub/raw_peer.hpp"
#include "tests/support/wait.hpp"

#include <atomic>
#include <cstdio>
#include <exception>
#include <set>
#include <string>
#include <thread>

using namespace zmtp;
using namespace zmtp::pubsub_test;

namespace {

/// "SUBSCRIBE"/"CANCEL" as bytes, for hand-written expectations.
const bytes subscribe_name = to_bytes("\x09SUBSCRIBE");
const bytes cancel_name = to_bytes("\x06"
                                   "CANCEL");

bytes cat(std::initializer_list<bytes> parts) {
    bytes out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

/// The whole frame as it came off the wire.
bytes wire_of(const raw_frame& f) {
    return cat({f.header, f.body});
}

/// A raw "publisher" that our SUB connected to, after the handshake.
struct raw_publisher {
    context ctx;
    socket sub = make_socket(ctx, socket_type::sub);
    raw_listener listener;
    raw_conn conn;

    void connect_and_accept(std::uint8_t minor) {
        sub.set(opt::reconnect_ivl, 20);
        sub.connect(listener.endpoint());
        conn = listener.accept();
        const auto greeting = conn.handshake(minor, "PUB");
        REQUIRE(greeting.size() == 64);
        CHECK(greeting[10] == 3);
        CHECK(greeting[11] == 1); // we always announce 3.1
        CHECK(conn.peer_socket_type() == "SUB");
    }
    /// Lets our SUB process its mailbox (reconnects) while the raw peer waits.
    std::function<void()> pump() {
        return [this] {
            message m;
            std::error_code ec;
            sub.recv(m, recv_flags::dontwait, ec);
        };
    }
    bytes next_frame() { return wire_of(conn.expect_frame(timeout_ms, pump())); }
};

/// A raw "subscriber" connected to our PUB, after the handshake.
struct raw_subscriber {
    context ctx;
    socket pub = make_socket(ctx, socket_type::pub);
    raw_conn conn;

    explicit raw_subscriber(std::uint8_t minor) {
        const auto ep = bind_any(pub, "tcp");
        conn = raw_conn::connect(ep);
        const auto greeting = conn.handshake(minor, "SUB");
        CHECK(greeting[10] == 3);
        CHECK(greeting[11] == 1);
        CHECK(conn.peer_socket_type() == "PUB");
    }
    /// Probes under `topic` until the raw peer receives them (the subscription is active).
    std::uint64_t sync(const std::string& topic) {
        return sync_probe([&](const std::string& f) { REQUIRE(pub.send(f)); },
                          [&](int ms) { return conn.read_message(ms); }, topic);
    }
    std::vector<std::string> next_message() {
        auto m = conn.read_message(timeout_ms);
        REQUIRE(m);
        return *m;
    }
};

/// A frame header by the rule of RFC 23 §Framing: LONG (0x02) and 8 size octets iff the body
/// is over 255 octets.
bytes header_for(std::uint8_t flags, std::size_t size) {
    if (size <= 255)
        return {flags, static_cast<std::uint8_t>(size)};
    bytes h{static_cast<std::uint8_t>(flags | 0x02)};
    for (int shift = 56; shift >= 0; shift -= 8)
        h.push_back(static_cast<std::uint8_t>((static_cast<std::uint64_t>(size) >> shift) & 0xFF));
    return h;
}

bytes expected_command_subscription(bool subscribe, const std::string& topic) {
    const bytes& name = subscribe ? subscribe_name : cancel_name;
    const std::size_t size = name.size() + topic.size();
    return cat({header_for(0x04, size), name, to_bytes(topic)});
}

bytes expected_legacy_subscription(bool subscribe, const std::string& topic) {
    const std::size_t size = 1 + topic.size();
    return cat({header_for(0x00, size), bytes{static_cast<std::uint8_t>(subscribe ? 1 : 0)},
                to_bytes(topic)});
}

} // namespace

// ---- what our SUB sends ----------------------------------------------------------------------

TEST_CASE("V-6 V-7 V-8 C-SUBW-2 our SUB sends SUBSCRIBE/CANCEL commands to a 3.1 publisher",
          "[pubsub][wire]") {
    raw_publisher p;
    p.connect_and_accept(1);
    p.sub.set(opt::subscribe, std::string("A"));
    CHECK(hex(p.next_frame()) == "04 0b 09 53 55 42 53 43 52 49 42 45 41"); // V-6
    p.sub.set(opt::subscribe, std::string());
    CHECK(hex(p.next_frame()) == "04 0a 09 53 55 42 53 43 52 49 42 45"); // V-7
    p.sub.set(opt::unsubscribe, std::string("A"));
    CHECK(hex(p.next_frame()) == "04 08 06 43 41 4e 43 45 4c 41"); // V-8
}

TEST_CASE("V-9 C-SUBW-1 C-SUBW-4 our SUB sends 0x01/0x00 messages to a 3.0 publisher",
          "[pubsub][wire]") {
    raw_publisher p;
    p.connect_and_accept(0);
    p.sub.set(opt::subscribe, std::string("A"));
    CHECK(hex(p.next_frame()) == "00 02 01 41");
    p.sub.set(opt::subscribe, std::string());
    CHECK(hex(p.next_frame()) == "00 01 01");
    p.sub.set(opt::unsubscribe, std::string("A"));
    CHECK(hex(p.next_frame()) == "00 02 00 41");
}

TEST_CASE("C-SUBW-6 C-SUBW-7 long topics get the LONG flag from the final body size",
          "[pubsub][wire]") {
    const int minor = GENERATE(0, 1);
    CAPTURE(minor);
    raw_publisher p;
    p.connect_and_accept(static_cast<std::uint8_t>(minor));
    // 3.1: body = 10 + topic, so 245 is the last short one and 246..255 must be long (the libzmq
    // 4.3.4 bug range); 3.0: body = 1 + topic, 254 is the last short one, 255 must be long.
    for (std::size_t len : {244u, 245u, 246u, 250u, 254u, 255u, 256u, 300u, 70000u}) {
        CAPTURE(len);
        std::string topic(len, 'T');
        for (std::size_t i = 0; i < len; ++i)
            topic[i] = static_cast<char>('a' + i % 26);
        p.sub.set(opt::subscribe, topic);
        const auto sub_bytes = p.next_frame();
        const auto expect_sub = minor ? expected_command_subscription(true, topic)
                                      : expected_legacy_subscription(true, topic);
        CHECK(hex(bytes(sub_bytes.begin(), sub_bytes.begin() + 12)) ==
              hex(bytes(expect_sub.begin(), expect_sub.begin() + 12)));
        CHECK(sub_bytes == expect_sub);
        p.sub.set(opt::unsubscribe, topic);
        const auto cancel_bytes = p.next_frame();
        const auto expect_cancel = minor ? expected_command_subscription(false, topic)
                                         : expected_legacy_subscription(false, topic);
        CHECK(cancel_bytes == expect_cancel);
    }
}

TEST_CASE("C-SUB-4 every subscribe goes upstream, CANCEL only on the last unsubscribe",
          "[pubsub][wire]") {
    raw_publisher p;
    p.connect_and_accept(1);
    const auto subscribe_a = "04 0b 09 53 55 42 53 43 52 49 42 45 41";
    p.sub.set(opt::subscribe, std::string("A"));
    p.sub.set(opt::subscribe, std::string("A"));
    CHECK(hex(p.next_frame()) == subscribe_a);
    CHECK(hex(p.next_frame()) == subscribe_a);
    p.sub.set(opt::unsubscribe, std::string("A")); // one left: nothing on the wire
    p.sub.set(opt::subscribe, std::string("B"));   // marker
    CHECK(hex(p.next_frame()) == "04 0b 09 53 55 42 53 43 52 49 42 45 42");
    p.sub.set(opt::unsubscribe, std::string("A")); // the last one
    CHECK(hex(p.next_frame()) == "04 08 06 43 41 4e 43 45 4c 41");
    p.sub.set(opt::unsubscribe, std::string("A"));     // no longer subscribed: nothing
    p.sub.set(opt::unsubscribe, std::string("never")); // never subscribed: nothing
    p.sub.set(opt::subscribe, std::string("C"));
    CHECK(hex(p.next_frame()) == "04 0b 09 53 55 42 53 43 52 49 42 45 43");
}

TEST_CASE("C-SUB-4 subscriptions made before connecting are sent once per distinct topic",
          "[pubsub][wire]") {
    raw_publisher p;
    for (const char* t : {"X", "X", "Y", "W"})
        p.sub.set(opt::subscribe, std::string(t));
    p.sub.set(opt::unsubscribe, std::string("W"));
    p.connect_and_accept(1);
    std::multiset<std::string> got;
    for (int i = 0; i < 2; ++i)
        got.insert(hex(p.next_frame()));
    CHECK(got == std::multiset<std::string>{hex(expected_command_subscription(true, "X")),
                                            hex(expected_command_subscription(true, "Y"))});
    p.sub.set(opt::subscribe, std::string("Z")); // marker: nothing else came before it
    CHECK(p.next_frame() == expected_command_subscription(true, "Z"));
}

TEST_CASE("C-SUB-5 our SUB re-sends its subscriptions when the publisher reconnects",
          "[pubsub][wire][reconnect]") {
    const int second_minor = GENERATE(0, 1);
    CAPTURE(second_minor);
    raw_publisher p;
    p.connect_and_accept(1);
    p.sub.set(opt::subscribe, std::string("X"));
    p.sub.set(opt::subscribe, std::string("X"));
    p.sub.set(opt::subscribe, std::string("Y"));
    p.sub.set(opt::subscribe, std::string("W"));
    p.sub.set(opt::unsubscribe, std::string("W"));
    for (int i = 0; i < 5; ++i) // SUBSCRIBE X, X, Y, W, CANCEL W
        p.next_frame();

    p.conn.close(); // the publisher goes away; our SUB dials again
    p.conn = p.listener.accept(timeout_ms, p.pump());
    p.conn.handshake(static_cast<std::uint8_t>(second_minor), "PUB");
    auto expect = [&](bool subscribe, const std::string& t) {
        return hex(second_minor ? expected_command_subscription(subscribe, t)
                                : expected_legacy_subscription(subscribe, t));
    };
    std::multiset<std::string> got;
    for (int i = 0; i < 2; ++i)
        got.insert(hex(p.next_frame()));
    CHECK(got == std::multiset<std::string>{expect(true, "X"), expect(true, "Y")});
    p.sub.set(opt::subscribe, std::string("Z"));
    CHECK(hex(p.next_frame()) == expect(true, "Z"));
}

TEST_CASE("C-SUB-3 our SUB drops non-matching messages of a non-filtering publisher whole",
          "[pubsub][wire]") {
    raw_publisher p;
    p.sub.set(opt::subscribe, std::string("X"));
    p.connect_and_accept(1);
    CHECK(p.next_frame() == expected_command_subscription(true, "X"));
    const std::string big(5000, 'z');
    p.conn.send_bytes(cat({data_frame("Zno", true), data_frame("tail")}));
    p.conn.send_bytes(cat({data_frame("Xyes", true), data_frame("part2")}));
    p.conn.send_bytes(cat({data_frame("nope", true), data_frame(big, true), data_frame("X")}));
    p.conn.send_bytes(data_frame(""));
    p.conn.send_bytes(cat({data_frame("X", true), data_frame(big)}));
    p.conn.send_bytes(data_frame("X-end"));
    CHECK(expect_parts(p.sub) == parts{"Xyes", "part2"});
    CHECK(expect_parts(p.sub) == parts{"X", big});
    CHECK(expect_parts(p.sub) == parts{"X-end"});
}

TEST_CASE("C-FRM-4 our SUB skips an unknown command larger than 64 KiB",
          "[pubsub][wire]") {
    raw_publisher p;
    p.sub.set(opt::subscribe, std::string("X"));
    p.connect_and_accept(1);
    CHECK(p.next_frame() == expected_command_subscription(true, "X"));
    const std::string body = "\x07UNKNOWN" + std::string(100000, 'u');
    bytes cmd = header_for(0x04, body.size());
    const auto b = to_bytes(body);
    cmd.insert(cmd.end(), b.begin(), b.end());
    p.conn.send_bytes(cat({cmd, data_frame("X-after")}));
    CHECK(expect_parts(p.sub) == parts{"X-after"});
}

// ---- what our PUB accepts and sends ------------------------------------------------------------

TEST_CASE("V-12 V-13 V-14 our PUB frames messages for a raw subscriber", "[pubsub][wire]") {
    raw_subscriber s(1);
    s.conn.send_bytes(command_subscription(true, ""));
    s.sync("");
    REQUIRE(s.pub.send("hi"));
    CHECK(hex(wire_of(s.conn.expect_frame())) == "00 02 68 69"); // V-12
    send_parts(s.pub, {"B-head", "A-tail-not-matter"});
    const auto f1 = s.conn.expect_frame();
    const auto f2 = s.conn.expect_frame();
    CHECK(hex(cat({wire_of(f1), wire_of(f2)})) ==
          "01 06 42 2d 68 65 61 64 00 11 41 2d 74 61 69 6c 2d 6e 6f 74 2d 6d 61 74 74 65 72");
    REQUIRE(s.pub.send(std::string(308, 'L')));
    const auto f3 = s.conn.expect_frame();
    CHECK(hex(f3.header) == "02 00 00 00 00 00 00 01 34"); // V-14
    CHECK(f3.body == to_bytes(std::string(308, 'L')));
}

TEST_CASE("C-SUBW-4 our PUB accepts both subscription forms on 3.0 and 3.1 connections",
          "[pubsub][wire]") {
    const int minor = GENERATE(0, 1);
    const bool legacy = GENERATE(true, false);
    CAPTURE(minor, legacy);
    auto sub_frame = [&](bool subscribe, const std::string& t) {
        return legacy ? legacy_subscription(subscribe, t) : command_subscription(subscribe, t);
    };
    raw_subscriber s(static_cast<std::uint8_t>(minor));
    s.conn.send_bytes(sub_frame(true, "A"));
    s.sync("A");
    REQUIRE(s.pub.send("B-x"));
    REQUIRE(s.pub.send("A-end"));
    CHECK(s.next_message() == std::vector<std::string>{"A-end"});

    s.conn.send_bytes(cat({sub_frame(false, "A"), sub_frame(true, "M")}));
    s.sync("M");
    REQUIRE(s.pub.send("A-gone"));
    REQUIRE(s.pub.send("M-end"));
    CHECK(s.next_message() == std::vector<std::string>{"M-end"});
}

TEST_CASE("C-SUBW-7 our PUB accepts a long SUBSCRIBE command", "[pubsub][wire]") {
    raw_subscriber s(1);
    std::string topic(300, 'q');
    topic += "/";
    s.conn.send_bytes(command_subscription(true, topic));
    s.sync(topic);
    REQUIRE(s.pub.send(std::string(300, 'q')));
    REQUIRE(s.pub.send(topic + "end"));
    CHECK(s.next_message() == std::vector<std::string>{topic + "end"});
}

TEST_CASE("C-SUBW-7 our PUB takes subscriptions and skips upstream frames larger than 64 KiB",
          "[pubsub][wire]") {
    // libzmq accepts a SUBSCRIBE of any size, and an XSUB may send large messages upstream
    // that a PUB must discard (C-SUBW-5); neither may stall the connection.
    const int kind = GENERATE(0, 1, 2);
    CAPTURE(kind); // 0: SUBSCRIBE command, 1: 0x01 message, 2: ignored data frame first
    raw_subscriber s(1);
    std::string topic(100000, 't');
    topic += "/";
    if (kind == 0)
        s.conn.send_bytes(command_subscription(true, topic));
    else if (kind == 1)
        s.conn.send_bytes(legacy_subscription(true, topic));
    else
        s.conn.send_bytes(
            cat({data_frame(std::string(200000, 'x')), command_subscription(true, topic)}));
    s.sync(topic);
    REQUIRE(s.pub.send(std::string(100000, 't')));
    REQUIRE(s.pub.send(topic + "end"));
    CHECK(s.next_message() == std::vector<std::string>{topic + "end"});
}

TEST_CASE("a subscriber that leaves in the middle of a large upstream frame is forgotten",
          "[pubsub][wire]") {
    const bool huge = GENERATE(false, true);
    CAPTURE(huge);
    raw_subscriber s(1);
    s.conn.send_bytes(command_subscription(true, "A"));
    s.sync("A");
    REQUIRE(s.pub.subscribers().size() == 1);
    // A SUBSCRIBE of 1 MiB (huge: 2^40 bytes) of which only the header and a few KiB arrive.
    bytes partial =
        huge ? bytes{0x06, 0, 0, 0x01, 0, 0, 0, 0, 0} : bytes{0x06, 0, 0, 0, 0, 0, 0x10, 0, 0};
    const auto body = to_bytes("\x09SUBSCRIBE" + std::string(100000, 'z'));
    partial.insert(partial.end(), body.begin(), body.end());
    s.conn.send_bytes(partial);
    s.conn.close();
    CHECK(zmtp::test::wait_until([&] {
        REQUIRE(s.pub.send("A-x"));
        return s.pub.subscribers().empty();
    }));
}

TEST_CASE("C-PUB-5 a CANCEL for a topic never subscribed is ignored", "[pubsub][wire]") {
    raw_subscriber s(1);
    s.conn.send_bytes(cat({command_subscription(false, "Z"), legacy_subscription(false, "Y"),
                           command_subscription(false, ""), command_subscription(true, "A")}));
    s.sync("A");
    REQUIRE(s.pub.send("Z-1"));
    REQUIRE(s.pub.send("A-end"));
    CHECK(s.next_message() == std::vector<std::string>{"A-end"});
}

TEST_CASE("C-SUBW-5 upstream data that is not a subscription is ignored", "[pubsub][wire]") {
    raw_subscriber s(1);
    s.conn.send_bytes(cat({data_frame("xyz"), data_frame(""),
                           data_frame("\x02"
                                      "B"),
                           data_frame("q", true), data_frame("r"),
                           // an unknown command and a PING-like command are tolerated too
                           bytes{0x04, 0x04, 0x03, 'F', 'O', 'O'}}));
    s.conn.send_bytes(command_subscription(true, "A"));
    s.sync("A");
    REQUIRE(s.pub.subscribers().size() == 1);
    const auto before = s.pub.subscribers()[0].sent;
    for (const char* m : {"xyz", "B-x", "", "q", "r",
                          "\x02"
                          "B"})
        REQUIRE(s.pub.send(m));
    REQUIRE(s.pub.send("A-end"));
    CHECK(s.next_message() == std::vector<std::string>{"A-end"});
    CHECK(s.pub.subscribers()[0].sent == before + 1);
}

TEST_CASE("C-PUB-4 duplicate SUBSCRIBEs from one peer are a set: one CANCEL removes them",
          "[pubsub][wire]") {
    raw_subscriber s(1);
    s.conn.send_bytes(cat({command_subscription(true, "A"), command_subscription(true, "A"),
                           legacy_subscription(true, "A")}));
    s.sync("A");
    // One CANCEL, then a marker subscription: once M arrives, the CANCEL was processed.
    s.conn.send_bytes(cat({command_subscription(false, "A"), command_subscription(true, "M")}));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool got_m = false;
    for (int n = 0; !got_m && std::chrono::steady_clock::now() < deadline; ++n) {
        REQUIRE(s.pub.send("A-" + std::to_string(n)));
        REQUIRE(s.pub.send("M-" + std::to_string(n)));
        if (auto m = s.conn.read_message(20))
            got_m = m->front()[0] == 'M'; // A messages before the first M are fine
    }
    REQUIRE(got_m);
    REQUIRE(s.pub.send("A-after"));
    REQUIRE(s.pub.send("M-final"));
    for (;;) {
        const auto m = s.next_message();
        REQUIRE(m.size() == 1);
        INFO(m[0]);
        CHECK(m[0][0] == 'M'); // after the first M, no A: the single CANCEL removed A
        if (m[0] == "M-final")
            break;
    }
}

TEST_CASE("C-PUB-3 a subscriber flooding subscriptions (10k distinct, 100k repeated) does not "
          "hurt the PUB",
          "[pubsub][wire][flood]") {
    const bool distinct = GENERATE(true, false);
    CAPTURE(distinct);
    raw_subscriber s(1);
    auto good = make_socket(s.ctx, socket_type::sub);
    good.set(opt::subscribe, std::string("good"));
    good.connect(s.pub.get(opt::last_endpoint));
    sync_subscription(s.pub, good, "good");

    // Distinct topics up to the PUB's cap per subscriber (beyond it the subscriber is dropped:
    // test_pubsub_bounds.cpp); the same topic 100k times.
    const int n_subs = distinct ? static_cast<int>(detail::max_topics_per_subscriber) : 100000;
    bytes flood;
    flood.reserve(n_subs * 24);
    char topic[32];
    for (int i = 0; i < n_subs; ++i) {
        std::snprintf(topic, sizeof topic, "flood/%06d", distinct ? i : 0);
        const auto f = command_subscription(true, topic);
        flood.insert(flood.end(), f.begin(), f.end());
    }
    const auto rss_before = resident_bytes();
    std::atomic<bool> written{false};
    std::exception_ptr writer_error;
    std::thread writer([&] {
        try {
            s.conn.send_bytes(flood, 60000);
        } catch (...) {
            writer_error = std::current_exception();
        }
        written = true;
    });
    // The PUB takes subscriptions in as it publishes; keep publishing (and serving the good
    // subscriber) while the flood is being written.
    std::uint64_t n = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!written && std::chrono::steady_clock::now() < deadline) {
        REQUIRE(s.pub.send("good-" + std::to_string(n)));
        CHECK(expect_parts(good) == parts{"good-" + std::to_string(n)});
        ++n;
    }
    writer.join();
    if (writer_error)
        std::rethrow_exception(writer_error);
    REQUIRE(written);

    // Every subscription was taken in: the last one is live.
    std::snprintf(topic, sizeof topic, "flood/%06d", distinct ? n_subs - 1 : 0);
    s.sync(topic);
    sync_subscription(s.pub, good, "good");
    REQUIRE(s.pub.subscribers().size() == 2);
    const auto growth = resident_bytes() - std::min(rss_before, resident_bytes());
    INFO("RSS growth " << growth / 1024 << " KiB");
    if (!under_asan())
        CHECK(growth < (distinct ? 128u : 32u) * 1024 * 1024);

    // Cancelling them all leaves the PUB serving the good subscriber.
    bytes cancels;
    for (int i = 0; i < (distinct ? n_subs : 1); ++i) {
        std::snprintf(topic, sizeof topic, "flood/%06d", i);
        const auto f = command_subscription(false, topic);
        cancels.insert(cancels.end(), f.begin(), f.end());
    }
    const auto cancels_marker = command_subscription(true, "marker");
    cancels.insert(cancels.end(), cancels_marker.begin(), cancels_marker.end());
    written = false;
    std::thread canceller([&] {
        try {
            s.conn.send_bytes(cancels, 60000);
        } catch (...) {
            writer_error = std::current_exception();
        }
        written = true;
    });
    while (!written && std::chrono::steady_clock::now() < deadline) {
        REQUIRE(s.pub.send("good-" + std::to_string(n)));
        CHECK(expect_parts(good) == parts{"good-" + std::to_string(n)});
        ++n;
    }
    canceller.join();
    if (writer_error)
        std::rethrow_exception(writer_error);
    s.sync("marker");
    auto total_sent = [&] {
        std::uint64_t sum = 0;
        for (const auto& c : s.pub.subscribers())
            sum += c.sent;
        return sum;
    };
    const auto sent_before = total_sent();
    REQUIRE(s.pub.send("flood/000000-after-cancel"));
    CHECK(total_sent() == sent_before); // nobody subscribes to flood/ any more
}
