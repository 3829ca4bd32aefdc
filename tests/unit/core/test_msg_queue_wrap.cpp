// msg_queue across the wrap-around of its counters (core/queue_count.hpp): 32-bit targets
// without a lock-free 64-bit atomic count in 32 bits, so the wrap is reachable there. Each
// case starts the counters just before a wrap point and runs through it.
#include "core/msg_queue.hpp"
#include "tests/support/catch.hpp"

#include <atomic>
#include <string>
#include <thread>

using zmtp::message;
using namespace zmtp::detail;

namespace {
struct counting_waker final : waker {
    std::atomic<int> wakes{0};
    void wake() noexcept override { ++wakes; }
    void peer_closed() noexcept override {}
};

message frame(const std::string& text, bool more = false) {
    message m{std::string_view(text)};
    m.set_more(more);
    return m;
}

// Just before the flag-shifted counters wrap, and just before the plain ones do.
queue_count start_point(int which) {
    return which == 0 ? queue_count(count_mask - 7) : queue_count(~queue_count{0} - 7);
}
} // namespace

TEST_CASE("queue counters are as wide as the target's lock-free atomics", "[pipe][wrap]") {
    STATIC_REQUIRE(std::atomic<queue_count>::is_always_lock_free);
#if !defined(ZMTP_QUEUE_COUNT_32)
    if (std::atomic<std::uint64_t>::is_always_lock_free)
        CHECK(sizeof(queue_count) == 8);
#endif
    WARN("queue_count: " << sizeof(queue_count) * 8 << " bits");
}

TEST_CASE("HWM, LWM and wake-ups hold across the counters' wrap", "[pipe][hwm][wrap]") {
    const int which = GENERATE(0, 1);
    msg_queue q(3);
    q.start_counts_at(start_point(which));
    counting_waker rw, ww;
    q.set_reader_waker(&rw);
    q.set_writer_waker(&ww);
    message m;
    int next = 0, expect = 0, reader_wakes = 0, writer_wakes = 0;
    for (int round = 0; round < 12; ++round) { // 36 messages, 72 frames: well past the wrap
        CHECK_FALSE(q.read(m));                // empty: the reader goes to sleep
        for (int i = 0; i < 3; ++i) {
            REQUIRE(q.writable());
            q.write(frame(std::to_string(next), true));
            q.write(frame(std::to_string(next++)));
            if (i == 0)
                CHECK(rw.wakes == ++reader_wakes);
        }
        CHECK(q.queued() == 3);
        CHECK_FALSE(q.writable()); // full: the writer goes to sleep
        for (int i = 0; i < 3; ++i) {
            REQUIRE(q.read(m));
            CHECK(m.more());
            REQUIRE(q.read(m));
            CHECK_FALSE(m.more());
            CHECK(m.to_string() == std::to_string(expect++));
            if (i == 0)
                CHECK(ww.wakes == writer_wakes); // 2 left: above the LWM of 1
            if (i == 1)
                CHECK(ww.wakes == ++writer_wakes);
        }
        CHECK(q.queued() == 0);
    }
    q.set_reader_waker(nullptr);
    q.set_writer_waker(nullptr);
}

TEST_CASE("a staged message and a rollback across the wrap", "[pipe][wrap]") {
    msg_queue q(0);
    q.start_counts_at(start_point(GENERATE(0, 1)));
    message m;
    for (int i = 0; i < 20; ++i) {
        q.write(frame("half", true));
        CHECK_FALSE(q.readable());
        q.rollback();
        q.write(frame("a", true), false);
        q.write(frame("b"), false);
        CHECK_FALSE(q.readable()); // deferred until flush()
        q.flush();
        REQUIRE(q.read(m));
        CHECK(m.to_string() == "a");
        REQUIRE(q.read(m));
        CHECK(m.to_string() == "b");
        CHECK_FALSE(q.read(m));
    }
}

TEST_CASE("messages cross threads in order across the wrap", "[pipe][hwm][wrap]") {
    msg_queue q(16);
    q.start_counts_at(start_point(GENERATE(0, 1)));
    const int n = 20000;
    std::thread writer([&] {
        for (int i = 0; i < n;) {
            if (!q.writable()) {
                std::this_thread::yield();
                continue;
            }
            q.write(frame(std::to_string(i++)));
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

TEST_CASE("an HWM beyond what the counters express is kept at their limit", "[pipe][hwm]") {
    msg_queue q(0);
    q.set_hwm(std::int64_t{1} << 62);
    CHECK(static_cast<std::uint64_t>(q.hwm()) ==
          std::min<std::uint64_t>(count_mask, std::uint64_t{1} << 62));
    q.set_hwm(1000);
    CHECK(q.hwm() == 1000);
    q.set_hwm(-5);
    CHECK(q.hwm() == 0);
}
