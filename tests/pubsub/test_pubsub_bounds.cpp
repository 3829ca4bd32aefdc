// What subscriptions may cost (issue 10 item 17), checked with a raw TCP peer: a SUB churning
// subscriptions while its publisher is away queues at most SNDHWM commands (later changes are
// coalesced, the latest per topic winning), and a PUB stores at most
// max_topics_per_subscriber distinct topics for one subscriber, dropping a subscriber that asks
// for more while it keeps serving the others.
#include "core/sockets/pub.hpp"
#include "tests/pubsub/pubsub_support.hpp"
#include "tests/pubsub/raw_peer.hpp"

#include <atomic>
#include <map>
#include <string>

using namespace zmtp;
using namespace zmtp::pubsub_test;

namespace {

/// A SUBSCRIBE/CANCEL command frame split into its parts.
struct subscription_command {
    bool subscribe = false;
    std::string topic;
};

std::optional<subscription_command> parse_command(const raw_frame& f) {
    if (!f.command() || f.body.empty() || f.body[0] + 1u > f.body.size())
        return std::nullopt;
    const std::string name(f.body.begin() + 1, f.body.begin() + 1 + f.body[0]);
    if (name != "SUBSCRIBE" && name != "CANCEL")
        return std::nullopt;
    return subscription_command{name == "SUBSCRIBE",
                                std::string(f.body.begin() + 1 + f.body[0], f.body.end())};
}

} // namespace

TEST_CASE("A SUB churning subscriptions while its publisher is away queues at most SNDHWM "
          "commands, and the publisher ends up with the net state",
          "[pubsub][hwm][memory]") {
    constexpr int hwm = 100;
    const int churn = under_asan() ? 50'000 : 200'000;
    const bool distinct = GENERATE(false, true); // one topic, or a new topic each time
    CAPTURE(distinct);
    context ctx;
    socket sub = make_socket(ctx, socket_type::sub);
    sub.set(opt::sndhwm, hwm);
    raw_listener listener;
    sub.connect(listener.endpoint()); // nobody answers yet: the handshake cannot complete
    sub.set(opt::subscribe, std::string("keep"));
    for (int i = 0; i < churn; ++i) {
        const std::string topic = distinct ? "a" + std::to_string(i) : std::string("a");
        sub.set(opt::subscribe, topic);
        sub.set(opt::unsubscribe, topic);
    }
    sub.set(opt::subscribe, std::string("final"));

    raw_conn conn = listener.accept();
    conn.handshake(1, "PUB");
    auto pump = [&] { // lets the SUB send what waited for room
        message m;
        std::error_code ec;
        sub.recv(m, recv_flags::dontwait, ec);
    };
    int commands = 0;
    bool keep = false, final_seen = false;
    std::map<std::string, bool> last_word; ///< churned topic -> its last command a SUBSCRIBE?
    while (!final_seen && commands <= 2 * hwm + 10) {
        const auto f = conn.read_frame(timeout_ms, pump);
        REQUIRE(f);
        const auto cmd = parse_command(*f);
        REQUIRE(cmd);
        ++commands;
        keep = keep || (cmd->subscribe && cmd->topic == "keep");
        final_seen = cmd->subscribe && cmd->topic == "final";
        if (!cmd->topic.empty() && cmd->topic[0] == 'a')
            last_word[cmd->topic] = cmd->subscribe;
    }
    INFO(commands << " commands for " << 2 * churn + 2 << " calls");
    // SNDHWM queued in the pipe, then one change per topic still in question: the last churned
    // topic that reached the pipe, and "final".
    CHECK(commands <= hwm + 2);
    CHECK(final_seen);
    CHECK(keep);
    for (const auto& [topic, subscribed] : last_word) {
        INFO(topic);
        CHECK_FALSE(subscribed); // the latest word on every churned topic was CANCEL
    }
}

TEST_CASE("A PUB drops a subscriber that asks for more than max_topics_per_subscriber topics "
          "and keeps serving the others",
          "[pubsub][memory]") {
    constexpr std::size_t cap = detail::max_topics_per_subscriber;
    std::atomic<int> disconnects{0}; // first: outlives the sockets whose monitor counts here
    context ctx;
    socket pub = make_socket(ctx, socket_type::pub);
    pub.monitor(
        [&](socket_event e, std::uint32_t, const std::string&) {
            if (e == socket_event::disconnected)
                ++disconnects;
        },
        static_cast<std::uint32_t>(socket_event::disconnected));
    const auto ep = bind_any(pub, "tcp");
    socket good = make_socket(ctx, socket_type::sub);
    good.set(opt::subscribe, std::string(""));
    good.connect(ep);
    sync_subscription(pub, good, "good");

    raw_conn conn = raw_conn::connect(ep);
    conn.handshake(1, "SUB");
    bytes many;
    for (std::size_t i = 0; i < cap; ++i) {
        const auto one = command_subscription(true, "t" + std::to_string(i));
        many.insert(many.end(), one.begin(), one.end());
    }
    conn.send_bytes(many);
    // At the cap, still served: a probe under the last topic gets through.
    sync_probe([&](const std::string& f) { REQUIRE(pub.send(f)); },
               [&](int ms) { return conn.read_message(ms); }, "t" + std::to_string(cap - 1));

    conn.send_bytes(command_subscription(true, "one-too-many"));
    bool closed = false;
    for (int i = 0; i < 200 && !closed; ++i) { // the PUB reads subscriptions when it sends
        REQUIRE(pub.send("t0-probe"));
        closed = conn.wait_eof(25);
    }
    CHECK(closed);
    CHECK(disconnects.load() >= 1);

    // The other subscriber is untouched.
    REQUIRE(pub.send("after"));
    message m;
    bool after = false;
    while (!after && good.recv(m))
        after = m.to_string() == "after";
    CHECK(after);
}
