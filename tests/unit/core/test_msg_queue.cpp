// msg_queue and pipe_end: whole-message HWM, multipart atomicity, wake-ups, close/drain.
#include "core/msg_queue.hpp"
#include "core/pipe.hpp"
#include "tests/support/catch.hpp"

#include <atomic>
#include <thread>

using zmtp::message;
using namespace zmtp::detail;

namespace {
struct counting_waker final : waker {
    std::atomic<int> wakes{0};
    std::atomic<int> closes{0};
    void wake() noexcept override { ++wakes; }
    void peer_closed() noexcept override { ++closes; }
};

message frame(const char* text, bool more = false) {
    message m{std::string_view(text)};
    m.set_more(more);
    return m;
}
} // namespace

TEST_CASE("C-HWM-2 the HWM counts whole messages, not frames", "[pipe][hwm]") {
    msg_queue q(3);
    for (int i = 0; i < 3; ++i) {
        REQUIRE(q.writable());
        q.write(frame("a", true));
        q.write(frame("b", true));
        q.write(frame("c"));
    }
    CHECK_FALSE(q.writable());
    CHECK(q.queued() == 3);
}

TEST_CASE("HWM 0 means no limit", "[pipe][hwm]") {
    msg_queue q(0);
    for (int i = 0; i < 100000; ++i) {
        REQUIRE(q.writable());
        q.write(frame("x"));
    }
}

TEST_CASE("C-FRM-6 a reader never sees part of a message", "[pipe]") {
    msg_queue q(10);
    q.write(frame("head", true));
    message m;
    CHECK_FALSE(q.read(m)); // staged, not published
    q.write(frame("tail"));
    REQUIRE(q.read(m));
    CHECK(m.to_string() == "head");
    CHECK(m.more());
    REQUIRE(q.read(m));
    CHECK(m.to_string() == "tail");
    CHECK_FALSE(m.more());
}

TEST_CASE("rollback drops an unfinished message", "[pipe]") {
    msg_queue q(10);
    q.write(frame("half", true));
    q.rollback();
    q.write(frame("whole"));
    message m;
    REQUIRE(q.read(m));
    CHECK(m.to_string() == "whole");
}

TEST_CASE("a sleeping reader is woken by the next publish", "[pipe]") {
    msg_queue q(10);
    counting_waker w;
    q.set_reader_waker(&w);
    message m;
    CHECK_FALSE(q.read(m)); // arms the wake-up
    q.write(frame("x"));
    CHECK(w.wakes == 1);
    q.write(frame("y")); // reader not asleep: no extra wake
    CHECK(w.wakes == 1);
}

TEST_CASE("C-HWM-3 a full writer is woken at the low-water mark", "[pipe][hwm]") {
    msg_queue q(10);
    counting_waker w;
    q.set_writer_waker(&w);
    for (int i = 0; i < 10; ++i)
        q.write(frame("x"));
    CHECK_FALSE(q.writable());
    message m;
    for (int i = 0; i < 4; ++i)
        REQUIRE(q.read(m));
    CHECK(w.wakes == 0); // 6 still queued: above the LWM of 5
    REQUIRE(q.read(m));
    CHECK(w.wakes == 1);
    CHECK(q.writable());
}

TEST_CASE("messages cross threads in order under HWM pressure", "[pipe][hwm]") {
    msg_queue q(16);
    const int n = 200000;
    std::thread writer([&] {
        for (int i = 0; i < n;) {
            if (!q.writable()) {
                std::this_thread::yield();
                continue;
            }
            std::string s = std::to_string(i++);
            q.write(message(s.data(), s.size()));
        }
    });
    int bad = 0;
    message m;
    for (int i = 0; i < n;) {
        if (!q.read(m)) {
            std::this_thread::yield();
            continue;
        }
        bad += m.to_string() != std::to_string(i++);
    }
    writer.join();
    CHECK(bad == 0);
}

TEST_CASE("a closed pipe end drains before the peer sees it gone", "[pipe]") {
    auto [a, b] = pipe_end::make_pair(0, 0);
    counting_waker w;
    b.set_waker(&w);
    a.write(frame("last words"));
    a.close();
    CHECK(w.closes >= 1); // told as reader and as writer
    CHECK(b.peer_closed());
    CHECK_FALSE(b.drained());
    message m;
    REQUIRE(b.read(m));
    CHECK(m.to_string() == "last words");
    CHECK(b.drained());
}
