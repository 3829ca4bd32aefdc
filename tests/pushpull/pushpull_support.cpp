// PUSH/PULL interop support (see pushpull_support.hpp).
#include "tests/pushpull/pushpull_support.hpp"

#include "tests/support/wait.hpp"

#include <chrono>
#include <cstdio>

namespace zmtp::pushpull_test {

std::string bind_theirs(zmq_sock& theirs, const std::string& transport) {
    theirs.bind(test::bind_endpoint(transport));
    return theirs.last_endpoint();
}

std::string bind_ours(zmtp::socket& ours, const std::string& transport) {
    ours.bind(test::bind_endpoint(transport));
    return ours.get(opt::last_endpoint);
}

std::string link(role r, zmtp::socket& ours, zmq_sock& theirs, const std::string& transport) {
    if (r == role::zmtp_binds) {
        const auto ep = bind_ours(ours, transport);
        theirs.connect(ep);
        return ep;
    }
    const auto ep = bind_theirs(theirs, transport);
    ours.connect(ep);
    return ep;
}

namespace {
std::string body_of(std::uint64_t seq, std::size_t extra) {
    return test::pattern(seq % 300 + extra, static_cast<std::uint32_t>(seq));
}
} // namespace

parts numbered(const std::string& tag, std::uint64_t seq, std::size_t extra) {
    return {tag, test::be64(seq), body_of(seq, extra)};
}

std::string numbered_tag(const parts& msg) {
    if (msg.size() != 3)
        FAIL("a numbered message has 3 frames, got " << msg.size()
                                                     << (msg.empty() ? "" : " from " + msg[0]));
    return msg[0];
}

std::uint64_t check_numbered(const parts& msg, const std::string& tag, std::size_t extra) {
    if (numbered_tag(msg) != tag)
        FAIL("message from \"" << msg[0] << "\", expected one from \"" << tag << '"');
    const auto seq = test::from_be64(msg[1]);
    if (msg[2] != body_of(seq, extra))
        FAIL("message " << tag << "/" << seq << " has a wrong body (" << msg[2].size()
                        << " bytes): frames from different messages?");
    return seq;
}

recv_fn receiver(zmtp::socket& s) {
    return [&s](int ms) { return recv_parts(s, ms); };
}

recv_fn receiver(zmq_sock& s) {
    return [&s](int ms) { return s.recv_parts(ms); };
}

void warm_up(const std::function<void()>& send_one, const std::vector<recv_fn>& receivers) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    std::vector<bool> reached(receivers.size(), false);
    std::size_t sent = 0, received = 0, reached_count = 0;
    auto take = [&](std::size_t i, int ms) {
        auto m = receivers[i](ms);
        if (!m)
            return false;
        if (*m != parts{"warm-up"})
            FAIL("receiver " << i << " got a " << m->size() << "-part message during warm-up");
        ++received;
        if (!reached[i]) {
            reached[i] = true;
            ++reached_count;
        }
        return true;
    };
    while (reached_count < receivers.size()) {
        if (std::chrono::steady_clock::now() > deadline)
            FAIL("warm-up: only " << reached_count << " of " << receivers.size()
                                  << " receivers reached after " << sent << " messages");
        send_one();
        ++sent;
        for (std::size_t i = 0; i < receivers.size(); ++i)
            while (take(i, i == 0 ? 5 : 0)) {
            }
    }
    while (received < sent) {
        if (std::chrono::steady_clock::now() > deadline)
            FAIL("warm-up: " << sent - received << " warm-up messages never arrived");
        for (std::size_t i = 0; i < receivers.size(); ++i)
            take(i, 5);
    }
}

zmtp::monitor_fn event_log::fn() {
    return [this](zmtp::socket_event e, std::uint32_t, const std::string&) {
        std::lock_guard<std::mutex> lock(mutex_);
        events_.push_back(e);
    };
}

bool event_log::seen(zmtp::socket_event e) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto x : events_)
        if (x == e)
            return true;
    return false;
}

std::string event_log::describe() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    char buf[16];
    for (auto e : events_) {
        std::snprintf(buf, sizeof buf, "%s0x%x", out.empty() ? "" : " ", static_cast<unsigned>(e));
        out += buf;
    }
    return out;
}

bool event_log::wait_for(zmtp::socket_event e, int ms) {
    return test::wait_until([&] { return seen(e); }, std::chrono::milliseconds(ms));
}

background::background(std::function<std::string()> fn)
    : thread_([this, fn = std::move(fn)] {
          try {
              result_ = fn();
          } catch (const std::exception& e) {
              result_ = std::string("exception: ") + e.what();
          }
      }) {}

background::~background() {
    if (thread_.joinable())
        thread_.join();
}

std::string background::join() {
    if (thread_.joinable())
        thread_.join();
    return result_;
}

} // namespace zmtp::pushpull_test
