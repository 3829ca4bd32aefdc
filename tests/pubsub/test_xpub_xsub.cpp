// XPUB and XSUB between our own sockets over tcp, ipc and inproc (issue 12; C-PUB-12): which
// subscriptions an XPUB reports (first holder, VERBOSE, VERBOSER, leaving subscribers), what
// an XSUB sends upstream, XPUB_MANUAL and MANUAL_LAST_VALUE, WELCOME_MSG,
// ONLY_FIRST_SUBSCRIBE, the typed reports and "publish when subscribed". Every expectation
// was measured on libzmq 4.3.4 (the same cases run against it in test_xpub_xsub_interop.cpp
// and tests/capi/c/xpub_*.c). "Nothing reported" is proved by ordering: a later, distinct
// subscription from the same subscriber must be the next report.
#include "tests/pubsub/pubsub_support.hpp"
#include "tests/pubsub/raw_peer.hpp"
#include "tests/support/wait.hpp"

#include <chrono>
#include <set>
#include <string>

using namespace zmtp;
using namespace zmtp::pubsub_test;
using namespace std::chrono_literals;

namespace {

std::string sub_of(const std::string& topic) {
    return "\x01" + topic;
}
std::string unsub_of(const std::string& topic) {
    return std::string(1, '\0') + topic;
}

/// The next report of `xpub`, which must be a single frame.
std::string next_report(socket& xpub) {
    const auto m = expect_parts(xpub);
    REQUIRE(m.size() == 1);
    return m[0];
}

struct xpub_fixture {
    context ctx;
    socket xpub = make_socket(ctx, socket_type::xpub);
    std::string endpoint;

    explicit xpub_fixture(const std::string& transport) { endpoint = bind_any(xpub, transport); }
    socket subscriber(socket_type type = socket_type::sub) {
        auto s = make_socket(ctx, type);
        s.connect(endpoint);
        return s;
    }
};

} // namespace

TEST_CASE("C-PUB-12 XPUB reports a topic's first holder and its last leaving", "[xpub]") {
    const auto transport = GENERATE(from_range(transports()));
    const int mode = GENERATE(0, 40, 78); // default, XPUB_VERBOSE, XPUB_VERBOSER
    CAPTURE(transport, mode);
    xpub_fixture f(transport);
    if (mode == 40)
        f.xpub.set(opt::xpub_verbose, 1);
    if (mode == 78)
        f.xpub.set(opt::xpub_verboser, 1);
    auto a = f.subscriber();
    auto b = f.subscriber();

    a.set(opt::subscribe, std::string("A"));
    CHECK(next_report(f.xpub) == sub_of("A"));
    // Connections are not ordered with each other: each step ends with a marker subscription
    // from the same subscriber, whose report proves the step arrived.
    b.set(opt::subscribe, std::string("A")); // a second holder: reported only when verbose
    b.set(opt::subscribe, std::string("b-mark"));
    if (mode != 0)
        CHECK(next_report(f.xpub) == sub_of("A"));
    CHECK(next_report(f.xpub) == sub_of("b-mark"));
    a.set(opt::subscribe, std::string("A")); // a's second subscribe also goes upstream
    if (mode != 0)
        CHECK(next_report(f.xpub) == sub_of("A"));
    a.set(opt::unsubscribe, std::string("A")); // a still holds it once: nothing sent
    a.set(opt::subscribe, std::string("a-mark"));
    CHECK(next_report(f.xpub) == sub_of("a-mark"));
    a.set(opt::unsubscribe, std::string("A")); // CANCEL; b still holds A
    a.set(opt::subscribe, std::string("a-mark2"));
    if (mode == 78)
        CHECK(next_report(f.xpub) == unsub_of("A"));
    CHECK(next_report(f.xpub) == sub_of("a-mark2"));

    b.set(opt::subscribe, std::string("B"));
    CHECK(next_report(f.xpub) == sub_of("B"));
    b.close(); // its topics nobody else holds are reported gone, in topic order
    CHECK(next_report(f.xpub) == unsub_of("A"));
    CHECK(next_report(f.xpub) == unsub_of("B"));
    CHECK(next_report(f.xpub) == unsub_of("b-mark"));
    a.close();
    CHECK(next_report(f.xpub) == unsub_of("a-mark"));
    CHECK(next_report(f.xpub) == unsub_of("a-mark2"));
    message m;
    CHECK_FALSE(f.xpub.recv(m, recv_flags::dontwait));
}

TEST_CASE("XSUB subscribes by sending, counts, and sends other messages upstream", "[xsub]") {
    const auto transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    xpub_fixture f(transport);
    f.xpub.set(opt::xpub_verboser, 1);
    auto xsub = f.subscriber(socket_type::xsub);
    send_parts(xsub, {sub_of("A")});
    send_parts(xsub, {sub_of("A")});
    send_parts(xsub, {unsub_of("A")}); // one of two: not sent
    send_parts(xsub, {unsub_of("Q")}); // never subscribed: not sent
    send_parts(xsub, {"hello"});
    send_parts(xsub, {"m1", sub_of("B"), "m3"}); // every frame may subscribe (libzmq default)
    send_parts(xsub, {""});
    CHECK(expect_parts(f.xpub) == parts{sub_of("A")});
    CHECK(expect_parts(f.xpub) == parts{sub_of("A")});
    CHECK(expect_parts(f.xpub) == parts{"hello"});
    // libzmq's shape: the report of B ends the frames of m1's message; m3 comes on its own.
    CHECK(expect_parts(f.xpub) == parts{"m1", sub_of("B")});
    CHECK(expect_parts(f.xpub) == parts{"m3"});
    CHECK(expect_parts(f.xpub) == parts{""});
    send_parts(xsub, {unsub_of("A")});
    CHECK(expect_parts(f.xpub) == parts{unsub_of("A")});

    // XSUB does not filter: whatever the publisher sends for B arrives.
    send_parts(f.xpub, {"B-1"});
    send_parts(f.xpub, {"A-dropped-by-the-publisher"});
    send_parts(f.xpub, {"B-2", "tail"});
    CHECK(expect_parts(xsub) == parts{"B-1"});
    CHECK(expect_parts(xsub) == parts{"B-2", "tail"});
    CHECK(xsub.get(opt::type) == 10);
}

TEST_CASE("ONLY_FIRST_SUBSCRIBE: only a message that starts with a subscription subscribes",
          "[xpub][xsub]") {
    const bool on_xpub = GENERATE(true, false);
    CAPTURE(on_xpub);
    xpub_fixture f("inproc");
    f.xpub.set(opt::xpub_verboser, 1);
    if (on_xpub)
        f.xpub.set(opt::only_first_subscribe, 1);
    auto xsub = f.subscriber(socket_type::xsub);
    if (!on_xpub)
        xsub.set(opt::only_first_subscribe, 1);
    send_parts(xsub, {sub_of("K"), sub_of("L")});
    send_parts(xsub, {"m", sub_of("M")});
    CHECK(expect_parts(f.xpub) == parts{sub_of("K")});
    CHECK(expect_parts(f.xpub) == parts{sub_of("L")});
    CHECK(expect_parts(f.xpub) == parts{"m", sub_of("M")});
    send_parts(f.xpub, {"M1"});
    send_parts(f.xpub, {"K1"});
    // On the XPUB the second M is plain data; on the XSUB it is not counted there, but the
    // (default) XPUB still takes it as a subscription, as libzmq does.
    if (on_xpub)
        CHECK(expect_parts(xsub) == parts{"K1"});
    else {
        CHECK(expect_parts(xsub) == parts{"M1"});
        CHECK(expect_parts(xsub) == parts{"K1"});
    }
}

TEST_CASE("XPUB_MANUAL: the application subscribes the peer whose report it read last", "[xpub]") {
    const auto transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    xpub_fixture f(transport);
    f.xpub.set(opt::xpub_manual, 1);
    auto a = f.subscriber(socket_type::xsub);
    auto b = f.subscriber(socket_type::xsub);
    send_parts(a, {sub_of("A")});
    CHECK(next_report(f.xpub) == sub_of("A"));
    f.xpub.set(opt::subscribe, std::string("B")); // a gets B instead of A
    send_parts(b, {sub_of("A")});
    CHECK(next_report(f.xpub) == sub_of("A"));
    f.xpub.set(opt::subscribe, std::string("A"));
    send_parts(f.xpub, {"A1"});
    send_parts(f.xpub, {"B1"});
    send_parts(f.xpub, {sub_of("raw")}); // from the application it is plain data
    f.xpub.set(opt::subscribe, std::string("\x01"));
    send_parts(f.xpub, {sub_of("raw")});
    CHECK(expect_parts(a) == parts{"B1"});
    CHECK(expect_parts(b) == parts{"A1"});
    CHECK(expect_parts(b) == parts{sub_of("raw")});
    f.xpub.set(opt::unsubscribe, std::string("A"));
    send_parts(f.xpub, {"A2"});
    send_parts(f.xpub, {"B2"});
    CHECK(expect_parts(a) == parts{"B2"});

    send_parts(a, {"hello"}); // a peer's message does not change whom SUBSCRIBE applies to
    CHECK(expect_parts(f.xpub) == parts{"hello"});
    f.xpub.set(opt::subscribe, std::string("H"));
    send_parts(f.xpub, {"H1"});
    send_parts(f.xpub, {"B3"});
    CHECK(expect_parts(b) == parts{"H1"});
    CHECK(expect_parts(a) == parts{"B3"});

    send_parts(b, {sub_of("C")});
    CHECK(next_report(f.xpub) == sub_of("C"));
    b.close(); // every topic it asked for (and still holds) is reported gone
    CHECK(next_report(f.xpub) == unsub_of("A"));
    CHECK(next_report(f.xpub) == unsub_of("C"));

    // Without XPUB_MANUAL, ZMQ_SUBSCRIBE on an XPUB is EINVAL (a PUB's too).
    f.xpub.set(opt::xpub_manual, 0);
    std::error_code ec;
    f.xpub.set(opt::subscribe, std::string("x"), ec);
    CHECK(ec == std::errc::invalid_argument);
}

TEST_CASE("XPUB_MANUAL_LAST_VALUE: the first send after a subscription goes to its asker only",
          "[xpub]") {
    xpub_fixture f("tcp");
    f.xpub.set(opt::xpub_manual_last_value, 1);
    auto a = f.subscriber();
    a.set(opt::subscribe, std::string("A"));
    CHECK(next_report(f.xpub) == sub_of("A"));
    f.xpub.set(opt::subscribe, std::string("A"));
    auto b = f.subscriber();
    b.set(opt::subscribe, std::string("A"));
    CHECK(next_report(f.xpub) == sub_of("A"));
    f.xpub.set(opt::subscribe, std::string("A"));
    send_parts(f.xpub, {"A-last"});
    send_parts(f.xpub, {"A-all"});
    CHECK(expect_parts(b) == parts{"A-last"});
    CHECK(expect_parts(b) == parts{"A-all"});
    CHECK(expect_parts(a) == parts{"A-all"});
}

TEST_CASE("XPUB_WELCOME_MSG goes to every new subscriber first", "[xpub]") {
    const auto transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    xpub_fixture f(transport);
    f.xpub.set(opt::xpub_welcome_msg, std::string("W-hello"));
    auto s = f.subscriber();
    s.set(opt::subscribe, std::string("W"));
    CHECK(next_report(f.xpub) == sub_of("W")); // the XPUB attached it (and welcomed it)
    CHECK(expect_parts(s) == parts{"W-hello"});
    auto x = f.subscriber(socket_type::xsub);
    send_parts(x, {sub_of("X")});
    CHECK(next_report(f.xpub) == sub_of("X"));
    CHECK(expect_parts(x) == parts{"W-hello"});       // unfiltered: an XSUB always sees it
    f.xpub.set(opt::xpub_welcome_msg, std::string()); // empty: no welcome any more
    auto y = f.subscriber(socket_type::xsub);
    send_parts(y, {sub_of("Y")});
    CHECK(next_report(f.xpub) == sub_of("Y"));
    send_parts(f.xpub, {"Y1"});
    CHECK(expect_parts(y) == parts{"Y1"});
}

TEST_CASE("as_subscription: typed reports, and messages that are not reports", "[xpub]") {
    xpub_fixture f("inproc");
    f.xpub.set(opt::xpub_verboser, 1);
    auto x = f.subscriber(socket_type::xsub);
    send_parts(x, {sub_of("")});
    send_parts(x, {"\x01 looks like one, but comes second", sub_of("T")});
    send_parts(x, {unsub_of("")});
    message m;
    REQUIRE(recv_for(f.xpub, m, timeout_ms));
    auto ev = as_subscription(m);
    REQUIRE(ev);
    CHECK(ev->subscribe);
    CHECK(ev->topic.empty());
    CHECK(m.view() == sub_of("")); // the frame still reads as libzmq's form
    // ONLY_FIRST is off, so the first frame is a subscription, and so is the second.
    REQUIRE(recv_for(f.xpub, m, timeout_ms));
    CHECK(as_subscription(m)->topic == " looks like one, but comes second");
    REQUIRE(recv_for(f.xpub, m, timeout_ms));
    CHECK(as_subscription(m)->topic == "T");
    REQUIRE(recv_for(f.xpub, m, timeout_ms));
    CHECK_FALSE(as_subscription(m)->subscribe);
    send_parts(x, {"plain"});
    REQUIRE(recv_for(f.xpub, m, timeout_ms));
    CHECK_FALSE(as_subscription(m));
    CHECK_FALSE(as_subscription(message(sub_of("built locally"))));
    // A report sent on through another socket is plain data there.
    auto pair_a = make_socket(f.ctx, socket_type::pair);
    auto pair_b = make_socket(f.ctx, socket_type::pair);
    pair_a.bind("inproc://xpub-report-forward");
    pair_b.connect("inproc://xpub-report-forward");
    send_parts(x, {sub_of("fwd")});
    REQUIRE(recv_for(f.xpub, m, timeout_ms));
    REQUIRE(pair_a.send(m));
    REQUIRE(recv_for(pair_b, m, timeout_ms));
    CHECK(m.view() == sub_of("fwd"));
    CHECK_FALSE(as_subscription(m));
}

TEST_CASE("publish when subscribed: wait_for_subscribers / wait_for_topic", "[xpub][pub]") {
    const auto transport = GENERATE(from_range(transports()));
    const auto type = GENERATE(socket_type::pub, socket_type::xpub);
    CAPTURE(transport, static_cast<int>(type));
    context ctx;
    auto pub = make_socket(ctx, type);
    const auto endpoint = bind_any(pub, transport);
    CHECK_FALSE(pub.wait_for_subscribers(1, 0ms)); // nobody yet: false at once
    CHECK_FALSE(pub.wait_for_topic("news", 20ms));
    auto s1 = make_socket(ctx, socket_type::sub);
    s1.connect(endpoint);
    CHECK_FALSE(pub.wait_for_subscribers(1, 20ms)); // connected, but subscribed to nothing
    s1.set(opt::subscribe, std::string("ne"));
    REQUIRE(pub.wait_for_topic("news", 10s));
    CHECK_FALSE(pub.wait_for_topic("other", 0ms));
    CHECK_FALSE(pub.wait_for_topic("news", 0ms, 2));
    auto s2 = make_socket(ctx, socket_type::sub);
    s2.connect(endpoint);
    s2.set(opt::subscribe, std::string("news"));
    REQUIRE(pub.wait_for_subscribers(2, 10s));
    REQUIRE(pub.wait_for_topic("news!", 10s, 2));
    // Nothing published after the wait is lost to a slow joiner.
    send_parts(pub, {"news!"});
    CHECK(expect_parts(s1) == parts{"news!"});
    CHECK(expect_parts(s2) == parts{"news!"});
    if (type == socket_type::xpub) { // the reports are still there for the application
        message m;
        REQUIRE(recv_for(pub, m, timeout_ms));
        CHECK(m.view() == sub_of("ne"));
    }
    s2.close(); // once its departure is seen, two is no longer true
    CHECK(zmtp::test::wait_until([&] { return !pub.wait_for_subscribers(2, 0ms); }));
    CHECK(pub.wait_for_subscribers(1, 0ms));

    auto sub = make_socket(ctx, socket_type::sub);
    std::error_code ec;
    CHECK_FALSE(sub.wait_for_subscribers(1, 0ms, ec));
    CHECK(ec == std::errc::not_supported);
}

TEST_CASE("XPUB/XSUB options: write-only, non-negative, on the right types", "[xpub][xsub]") {
    context ctx;
    auto xpub = make_socket(ctx, socket_type::xpub);
    auto pub = make_socket(ctx, socket_type::pub);
    auto xsub = make_socket(ctx, socket_type::xsub);
    auto sub = make_socket(ctx, socket_type::sub);
    std::error_code ec;
    for (auto* s : {&xpub, &pub}) { // PUB takes them too, as libzmq (it reports nothing)
        for (int id : {40, 69, 71, 78, 98, 108}) {
            CAPTURE(id);
            const int two = 2, minus = -1;
            CHECK_FALSE(s->set_option_raw(id, &two, sizeof two));
            CHECK(s->set_option_raw(id, &minus, sizeof minus) == std::errc::invalid_argument);
            CHECK(s->set_option_raw(id, &two, 1) == std::errc::invalid_argument);
            int out = 0;
            std::size_t size = sizeof out;
            CHECK(s->get_option_raw(id, &out, &size) == std::errc::invalid_argument);
        }
        CHECK_FALSE(s->set_option_raw(72, "welcome", 7));
        CHECK_FALSE(s->set_option_raw(72, nullptr, 0));
    }
    const int one = 1;
    CHECK_FALSE(xsub.set_option_raw(108, &one, sizeof one));
    for (int id : {40, 69, 71, 72, 78, 98})
        CHECK(xsub.set_option_raw(id, &one, sizeof one) == std::errc::invalid_argument);
    CHECK(xsub.set_option_raw(6, "A", 1) == std::errc::invalid_argument); // XSUB: send 0x01A
    for (int id : {40, 69, 71, 72, 78, 98, 108})
        CHECK(sub.set_option_raw(id, &one, sizeof one) == std::errc::invalid_argument);
    CHECK(socket(ctx, socket_type::xsub).get(opt::linger) == 0); // as SUB (C-SUB-8)
    CHECK(socket(ctx, socket_type::xpub).get(opt::linger) == -1);
    message m;
    CHECK_FALSE(xpub.recv(m, recv_flags::dontwait)); // XPUB can receive: EAGAIN, not ENOTSUP
    CHECK(xsub.send(std::string_view("x")));         // XSUB never blocks, even with no publisher
}

TEST_CASE("XPUB never read: subscriptions still take effect, waiting reports stay bounded",
          "[xpub][hwm]") {
    // An XPUB used only for NODROP or a welcome, never read: libzmq applies every subscription
    // (and keeps an unbounded list of reports). We apply them too; past RCVHWM waiting reports
    // are coalesced per topic, so the application later reads each topic's net state.
    const auto transport = GENERATE(from_range(transports()));
    CAPTURE(transport);
    xpub_fixture f(transport);
    f.xpub.set(opt::rcvhwm, 10);
    auto s = f.subscriber();
    s.set(opt::sndhwm, 0);
    constexpr int n = 1500;
    for (int i = 0; i < n; ++i)
        s.set(opt::subscribe, "t" + std::to_string(i));
    s.set(opt::subscribe, std::string("churn"));
    s.set(opt::unsubscribe, std::string("churn")); // cancels out while waiting
    REQUIRE(f.xpub.wait_for_topic("t" + std::to_string(n - 1), 10s));
    send_parts(f.xpub, {"t1499 data"});
    CHECK(expect_parts(s) == parts{"t1499 data"});
    std::set<std::string> reported;
    message m;
    while (recv_for(f.xpub, m, 0)) {
        auto ev = as_subscription(m);
        REQUIRE(ev);
        CHECK(ev->subscribe);
        CHECK(reported.insert(ev->topic).second); // each once
    }
    CHECK(reported.size() == n);
    CHECK(reported.count("churn") == 0);
}

TEST_CASE("XPUB never read: a subscriber's messages wait, in order, behind a full queue",
          "[xpub][hwm]") {
    xpub_fixture f("inproc");
    f.xpub.set(opt::xpub_verbose, 1);
    f.xpub.set(opt::rcvhwm, 10);
    auto x = f.subscriber(socket_type::xsub);
    x.set(opt::sndhwm, 0);
    constexpr int n = 100;
    for (int i = 0; i < n; ++i)
        send_parts(x, {"data " + std::to_string(i), "second frame"});
    send_parts(x, {sub_of("after")}); // behind the data: takes effect once the data is read
    send_parts(f.xpub, {"tick"});     // makes the XPUB read what it can
    for (int i = 0; i < n; ++i)
        REQUIRE(expect_parts(f.xpub) == parts{"data " + std::to_string(i), "second frame"});
    CHECK(next_report(f.xpub) == sub_of("after"));
    message m;
    CHECK_FALSE(f.xpub.recv(m, recv_flags::dontwait));
}

TEST_CASE("C-SUBW-3 our XSUB on the wire: an application's subscriptions go as data frames, "
          "re-sends after a reconnect in the peer's form",
          "[xsub][wire]") {
    const int second_minor = GENERATE(0, 1);
    CAPTURE(second_minor);
    context ctx;
    auto xsub = make_socket(ctx, socket_type::xsub);
    xsub.set(opt::reconnect_ivl, 20);
    raw_listener listener;
    xsub.connect(listener.endpoint());
    auto pump = [&] {
        int events = 0;
        std::size_t size = sizeof events;
        (void)xsub.get_option_raw(15 /* ZMQ_EVENTS: lets it process the reconnect */, &events,
                                  &size);
    };
    auto conn = listener.accept();
    conn.handshake(1, "PUB");
    CHECK(conn.peer_socket_type() == "XSUB");
    auto frame = [&] {
        const auto f = conn.expect_frame(timeout_ms, pump);
        bytes out = f.header;
        out.insert(out.end(), f.body.begin(), f.body.end());
        return hex(out);
    };
    send_parts(xsub, {sub_of("A")});
    CHECK(frame() == "00 02 01 41"); // libzmq's XSUB: data, even on ZMTP 3.1 (O-22)
    send_parts(xsub, {"hi", "x"});
    CHECK(frame() == "01 02 68 69");
    CHECK(frame() == "00 01 78");
    conn.close(); // our XSUB dials again and sends its subscriptions in the peer's form (O-30)
    conn = listener.accept(timeout_ms, pump);
    conn.handshake(static_cast<std::uint8_t>(second_minor), "PUB");
    CHECK(frame() == (second_minor ? "04 0b 09 53 55 42 53 43 52 49 42 45 41" : "00 02 01 41"));
}

TEST_CASE("XPUB reports carry their subscriber's connection metadata, as libzmq's",
          "[xpub][metadata]") {
    const std::string transport = GENERATE("tcp", "ipc");
    CAPTURE(transport);
    xpub_fixture f(transport);
    auto x = f.subscriber(socket_type::xsub);
    send_parts(x, {sub_of("A")});
    send_parts(x, {"hello"});
    message m;
    REQUIRE(recv_for(f.xpub, m, timeout_ms));
    CHECK(as_subscription(m));
    CHECK(m.property("Socket-Type") == std::optional<std::string_view>("XSUB"));
    CHECK(m.property("Peer-Address").has_value());
    REQUIRE(recv_for(f.xpub, m, timeout_ms));
    CHECK(m.view() == "hello");
    CHECK(m.property("Socket-Type") == std::optional<std::string_view>("XSUB"));
    x.close(); // a leave report has none (libzmq's has none either)
    REQUIRE(recv_for(f.xpub, m, timeout_ms));
    CHECK(m.view() == unsub_of("A"));
    CHECK_FALSE(m.property("Socket-Type").has_value());
}
