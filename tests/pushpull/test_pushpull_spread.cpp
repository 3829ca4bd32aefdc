// Load balancing against the real libzmq 4.3, over tcp and ipc, either side binding: our PUSH
// round-robins whole messages over several libzmq PULLs, a libzmq PUSH spreads over several of
// our PULLs, and our PULL fair-queues several libzmq PUSHes (RFC 30: round robin out, fair queue
// in; a multipart message is never split across peers, C-FRM-6).
#include "tests/pushpull/pushpull_support.hpp"

#include "tests/support/wait.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace zmtp;
using namespace zmtp::pushpull_test;

namespace {

constexpr int peer_count = 3;

/// What the receivers got: per receiver, the sequence numbers in arrival order.
using arrivals = std::vector<std::vector<std::uint64_t>>;

/// Receives `total` numbered messages from "rr" spread over `receivers`; each must be whole
/// and each receiver must see its share in increasing order.
arrivals collect(const std::vector<recv_fn>& receivers, std::uint64_t total) {
    arrivals got(receivers.size());
    std::uint64_t received = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (received < total) {
        if (std::chrono::steady_clock::now() > deadline)
            FAIL("only " << received << " of " << total << " messages arrived");
        for (std::size_t i = 0; i < receivers.size(); ++i)
            while (auto m = receivers[i](i == 0 ? 5 : 0)) {
                const auto seq = check_numbered(*m, "rr");
                if (!got[i].empty() && seq <= got[i].back())
                    FAIL("receiver " << i << " got " << seq << " after " << got[i].back());
                got[i].push_back(seq);
                ++received;
            }
    }
    return got;
}

/// Every sequence number below `total` exactly once, over all receivers.
void check_exactly_once(const arrivals& got, std::uint64_t total) {
    std::set<std::uint64_t> all;
    for (const auto& g : got)
        all.insert(g.begin(), g.end());
    CHECK(all.size() == total);
    CHECK(*all.rbegin() == total - 1);
}

} // namespace

TEST_CASE("interop our PUSH round-robins whole messages over several libzmq PULLs",
          "[pushpull][interop][roundrobin]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(transport, role_name(r));
    context ctx;
    zmq_context zctx;
    auto push = make_socket(ctx, socket_type::push);
    std::vector<std::unique_ptr<zmq_sock>> pulls;
    std::vector<recv_fn> receivers;
    const auto ep = r == role::zmtp_binds ? bind_ours(push, transport) : std::string();
    for (int i = 0; i < peer_count; ++i) {
        pulls.push_back(std::make_unique<zmq_sock>(zctx, ZMQ_PULL));
        if (r == role::zmtp_binds)
            pulls.back()->connect(ep);
        else
            push.connect(bind_theirs(*pulls.back(), transport));
        receivers.push_back(receiver(*pulls.back()));
    }
    warm_up([&] { send_parts(push, {"warm-up"}); }, receivers);

    constexpr std::uint64_t total = 300;
    for (std::uint64_t i = 0; i < total; ++i)
        send_parts(push, numbered("rr", i));
    const auto got = collect(receivers, total);
    check_exactly_once(got, total);
    // Nobody is near its HWM, so the rotation is strict: each peer gets every third message.
    for (std::size_t p = 0; p < got.size(); ++p) {
        CAPTURE(p);
        CHECK(got[p].size() == total / peer_count);
        for (std::size_t k = 1; k < got[p].size(); ++k)
            CHECK(got[p][k] - got[p][k - 1] == peer_count);
    }
}

TEST_CASE("interop a libzmq PUSH spreads whole messages over several of our PULLs",
          "[pushpull][interop][roundrobin]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(transport, role_name(r));
    context ctx;
    zmq_context zctx;
    zmq_sock push(zctx, ZMQ_PUSH);
    std::vector<socket> pulls;
    std::vector<recv_fn> receivers;
    const auto ep = r == role::libzmq_binds ? bind_theirs(push, transport) : std::string();
    for (int i = 0; i < peer_count; ++i)
        pulls.push_back(make_socket(ctx, socket_type::pull));
    for (auto& pull : pulls) {
        if (r == role::libzmq_binds)
            pull.connect(ep);
        else
            push.connect(bind_ours(pull, transport));
        receivers.push_back(receiver(pull));
    }
    warm_up([&] { REQUIRE(push.send_parts({"warm-up"})); }, receivers);

    constexpr std::uint64_t total = 300;
    for (std::uint64_t i = 0; i < total; ++i)
        REQUIRE(push.send_parts(numbered("rr", i)));
    const auto got = collect(receivers, total);
    check_exactly_once(got, total);
    for (std::size_t p = 0; p < got.size(); ++p) {
        CAPTURE(p);
        CHECK(!got[p].empty()); // libzmq balances over all of ours
    }
}

TEST_CASE("interop our PULL fair-queues several libzmq PUSHes: none starves, multipart whole",
          "[pushpull][interop][fairqueue]") {
    const std::string transport = ZMTP_STREAM_TRANSPORTS;
    const role r = GENERATE(role::zmtp_binds, role::libzmq_binds);
    CAPTURE(transport, role_name(r));
    context ctx;
    zmq_context zctx;
    auto pull = make_socket(ctx, socket_type::pull);
    const auto ep = r == role::zmtp_binds ? bind_ours(pull, transport) : std::string();
    std::vector<std::unique_ptr<zmq_sock>> pushes;
    for (int i = 0; i < peer_count; ++i) {
        pushes.push_back(std::make_unique<zmq_sock>(zctx, ZMQ_PUSH));
        if (r == role::zmtp_binds)
            pushes.back()->connect(ep);
        else
            pull.connect(bind_theirs(*pushes.back(), transport));
    }
    // Each PUSH once through, so every one is attached at both ends.
    for (auto& p : pushes)
        REQUIRE(p->send_parts({"hello"}));
    for (int i = 0; i < peer_count; ++i)
        CHECK(expect_parts(pull) == parts{"hello"});

    // Every PUSH floods until told to stop, so each always has more queued for us. A PULL that
    // kept serving one peer while it had data would starve the others; ours must take from all.
    std::atomic<bool> stop{false};
    std::vector<std::unique_ptr<background>> flooders;
    std::vector<std::atomic<std::uint64_t>> sent(peer_count);
    std::vector<std::atomic<bool>> backlogged(peer_count);
    for (int p = 0; p < peer_count; ++p) {
        pushes[p]->set_int(ZMQ_SNDTIMEO, 10);
        flooders.push_back(std::make_unique<background>([&, p]() -> std::string {
            const std::string tag = "p" + std::to_string(p);
            while (!stop) {
                if (pushes[p]->send_parts(numbered(tag, sent[p])))
                    ++sent[p];
                else
                    backlogged[p] = true; // its queue to us is full: we stopped reading
            }
            return "";
        }));
    }
    // Not a sleep: waits for a state every flooder must reach while we do not read.
    REQUIRE(test::wait_until([&] {
        for (auto& b : backlogged)
            if (!b)
                return false;
        return true;
    }));
    std::map<std::string, std::uint64_t> next{{"p0", 0}, {"p1", 0}, {"p2", 0}};
    auto take = [&] {
        const auto m = expect_parts(pull);
        const auto tag = numbered_tag(m);
        REQUIRE(next.count(tag) == 1);
        if (check_numbered(m, tag) != next[tag])
            FAIL("from " << tag << ": got " << test::from_be64(m[1]) << ", expected " << next[tag]);
        ++next[tag];
    };
    for (int i = 0; i < 300 * peer_count; ++i)
        take();
    INFO("received per peer: " << next["p0"] << ", " << next["p1"] << ", " << next["p2"]);
    for (const auto& [tag, count] : next)
        CHECK(count > 0); // no starvation
    stop = true;
    for (auto& f : flooders)
        CHECK(f->join().empty());
    // What is still queued arrives too, whole and in order per peer: nothing lost.
    auto all_in = [&] {
        for (int p = 0; p < peer_count; ++p)
            if (next["p" + std::to_string(p)] < sent[p])
                return false;
        return true;
    };
    while (!all_in())
        take();
}
