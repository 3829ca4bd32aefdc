// msg_queue and pipe_end: whole-message HWM, multipart atomicity, wake-ups, close/drain.
#include "core/msg_queue.hpp"
#include "core/pipe.hpp"
#include "tests/support/catch.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
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

TEST_CASE("messages longer than a storage chunk stay whole; rollback across chunks",
          "[pipe]") {
    msg_queue q;
    for (int i = 0; i < 150; ++i)
        q.write(frame(i == 0 ? "first" : "part", i < 149), true);
    for (int i = 0; i < 100; ++i) // an unfinished message crossing a chunk boundary
        q.write(frame("lost", true), true);
    message m;
    int frames = 0;
    while (q.read(m)) {
        CHECK(m.view() != "lost");
        ++frames;
    }
    CHECK(frames == 150);
    CHECK_FALSE(m.more());
    q.rollback();
    CHECK_FALSE(q.readable());
    CHECK_FALSE(q.mid_message());
    q.write(frame("after"), true);
    REQUIRE(q.read(m));
    CHECK(m.view() == "after");
    // Frames left unread over several chunks are freed with the queue (ASan checks).
    for (int i = 0; i < 500; ++i)
        q.write(message(std::string(100, 'x')), i % 7 != 0);
}

namespace {
/// A waker a thread can block on: wait(seen) returns once a wake happened after `seen`.
struct blocking_waker final : waker {
    std::mutex mutex;
    std::condition_variable cv;
    std::uint64_t generation = 0;
    void wake() noexcept override {
        std::lock_guard<std::mutex> lock(mutex);
        ++generation;
        cv.notify_all();
    }
    std::uint64_t current() {
        std::lock_guard<std::mutex> lock(mutex);
        return generation;
    }
    bool wait(std::uint64_t seen) {
        std::unique_lock<std::mutex> lock(mutex);
        return cv.wait_for(lock, std::chrono::seconds(10), [&] { return generation != seen; });
    }
};
} // namespace

TEST_CASE("sleeping reader and writer are always woken (no lost wake-ups)", "[pipe][hwm]") {
    // Both sides block instead of spinning, so a lost wake-up shows as a 10 s timeout.
    msg_queue q(3);
    blocking_waker reader_w, writer_w;
    q.set_reader_waker(&reader_w);
    q.set_writer_waker(&writer_w);
    const int n = 30000;
    std::atomic<bool> writer_stuck{false};
    std::thread writer([&] {
        for (int i = 0; i < n && !writer_stuck; ++i) {
            for (;;) {
                const auto seen = writer_w.current();
                if (q.writable())
                    break;
                if (!writer_w.wait(seen)) {
                    writer_stuck = true;
                    return;
                }
            }
            const int parts = 1 + i % 3;
            for (int p = 0; p < parts; ++p) {
                std::string s = std::to_string(i) + "." + std::to_string(p);
                message m(s.data(), s.size());
                m.set_more(p + 1 < parts);
                q.write(std::move(m));
            }
        }
    });
    bool reader_stuck = false;
    int bad = 0;
    message m;
    for (int i = 0; i < n && !reader_stuck; ++i) {
        const int parts = 1 + i % 3;
        for (int p = 0; p < parts && !reader_stuck; ++p) {
            for (;;) {
                const auto seen = reader_w.current();
                if (q.read(m))
                    break;
                if (!reader_w.wait(seen)) {
                    reader_stuck = true;
                    break;
                }
            }
            if (!reader_stuck)
                bad += m.to_string() != std::to_string(i) + "." + std::to_string(p);
        }
    }
    writer.join();
    CHECK_FALSE(reader_stuck);
    CHECK_FALSE(writer_stuck);
    CHECK(bad == 0);
    q.set_reader_waker(nullptr);
    q.set_writer_waker(nullptr);
}

TEST_CASE("hold_reads: messages read keep their place under the HWM until released",
          "[pipe][hwm]") {
    msg_queue q(4);
    counting_waker w;
    q.set_writer_waker(&w);
    q.hold_reads(); // an engine's write batch (issue 10 item 16)
    for (int i = 0; i < 4; ++i)
        q.write(frame("m"));
    CHECK_FALSE(q.writable());
    message m;
    for (int i = 0; i < 4; ++i)
        REQUIRE(q.read(m));
    CHECK_FALSE(q.writable()); // read, but held: still counted
    CHECK(w.wakes == 0);
    q.release_reads();
    CHECK(w.wakes == 1); // the sleeping writer hears of the room
    CHECK(q.writable());
    q.release_reads(); // nothing held: no-op
    CHECK(w.wakes == 1);
    q.set_writer_waker(nullptr);
}

TEST_CASE("ZMQ_CONFLATE: the queue keeps only the newest message, its last part only",
          "[pipe][conflate]") {
    msg_queue q(1);
    counting_waker w;
    q.set_conflate();
    q.set_reader_waker(&w);
    message m;
    CHECK_FALSE(q.read(m)); // the reader sleeps
    for (const char* t : {"1", "2", "3"}) {
        REQUIRE(q.writable()); // the HWM of 1 does not apply
        q.write(frame(t));
    }
    CHECK(w.wakes == 1); // woken once, by the first message
    CHECK(q.queued() == 1);
    REQUIRE(q.read(m));
    CHECK(m.to_string() == "3");
    CHECK_FALSE(q.read(m));
    q.write(frame("a", true));
    CHECK_FALSE(q.readable()); // a part with more to come is never kept
    q.write(frame("b"));
    REQUIRE(q.read(m));
    CHECK(m.to_string() == "b");
    CHECK_FALSE(m.more());
    q.set_reader_waker(nullptr);
}

TEST_CASE("C-HWM-6 HWM changes apply to an existing pipe", "[pipe][hwm]") {
    auto [a, b] = pipe_end::make_pair(2, 3); // a: SNDHWM 2, RCVHWM 3
    counting_waker wa;
    a.set_waker(&wa);
    a.write(frame("1"));
    a.write(frame("2"));
    REQUIRE_FALSE(a.writable()); // asleep at the limit
    const int before = wa.wakes;
    a.set_send_hwm(4);
    CHECK(wa.wakes > before); // the sleeping writer is told to look again
    CHECK(a.writable());
    a.write(frame("3"));
    a.write(frame("4"));
    CHECK_FALSE(a.writable());
    a.set_send_hwm(1); // below the fill: blocked until the reader drains below it
    message m;
    for (int i = 0; i < 4; ++i) { // 4 queued, limit 1: writable once all are read
        CHECK_FALSE(a.writable());
        REQUIRE(b.read(m));
    }
    CHECK(a.writable());
    a.set_send_hwm(0); // no limit
    for (int i = 0; i < 5000; ++i)
        a.write(frame("x"));
    CHECK(a.writable());

    // The other direction: b's writes are bounded by a's RCVHWM.
    for (int i = 0; i < 3; ++i)
        b.write(frame("y"));
    CHECK_FALSE(b.writable());
    a.set_recv_hwm(5);
    CHECK(b.writable());
}

TEST_CASE("C-HWM-4 an inproc pipe sums the writer's SNDHWM and the reader's RCVHWM",
          "[pipe][hwm]") {
    auto [a, b] = pipe_end::make_pair(5, 7); // connector: SNDHWM 5, RCVHWM 7
    b.join_as_socket(2, 3);                  // binder: SNDHWM 2, RCVHWM 3
    auto fill = [](pipe_end& p) {
        int n = 0;
        while (p.writable() && n < 100) {
            p.write(frame("x"));
            ++n;
        }
        return n;
    };
    CHECK(fill(a) == 8); // 5 + 3
    CHECK(fill(b) == 9); // 2 + 7
    b.set_recv_hwm(10);  // the binder's RCVHWM changes: 5 + 10
    CHECK(fill(a) == 7);
    a.set_send_hwm(0); // 0 on either side: no limit
    CHECK(fill(a) == 100);
}
