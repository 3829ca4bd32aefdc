// buffer_pool: message bodies made on one thread and freed on another come back intact, for
// every small size class and the large ones; threads that exit holding cached blocks.
#include "tests/support/catch.hpp"
#include "zmtp/message.hpp"

#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

using zmtp::message;

namespace {

/// Writes a pattern that depends on the size and a sequence number.
message make(std::size_t size, unsigned seq) {
    message m(size);
    auto* p = static_cast<unsigned char*>(m.data());
    for (std::size_t i = 0; i < size; ++i)
        p[i] = static_cast<unsigned char>(seq * 31 + i);
    return m;
}

bool intact(const message& m, std::size_t size, unsigned seq) {
    if (m.size() != size)
        return false;
    const auto* p = static_cast<const unsigned char*>(m.data());
    for (std::size_t i = 0; i < size; ++i)
        if (p[i] != static_cast<unsigned char>(seq * 31 + i))
            return false;
    return true;
}

} // namespace

TEST_CASE("bodies made on one thread and freed on another stay intact", "[buffer_pool]") {
    // Each side of every small class boundary, and two large sizes.
    const std::size_t sizes[] = {49,  64,  65,   128,  129,   288,  289,
                                 544, 545, 1024, 1025, 20000, 70000};
    constexpr unsigned per_size = 3000;
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<std::pair<message, unsigned>> queue;
    bool done = false;
    bool ok = true;

    std::thread consumer([&] {
        unsigned seq = 0;
        for (;;) {
            std::unique_lock<std::mutex> lock(mutex);
            cv.wait(lock, [&] { return !queue.empty() || done; });
            if (queue.empty())
                return;
            auto item = std::move(queue.front());
            queue.pop_front();
            lock.unlock();
            const std::size_t size = sizes[(seq / per_size) % (sizeof sizes / sizeof sizes[0])];
            if (item.second != seq || !intact(item.first, size, seq))
                ok = false;
            ++seq; // item.first is freed here, on this thread
        }
    });
    unsigned seq = 0;
    for (std::size_t size : sizes) {
        for (unsigned i = 0; i < per_size; ++i, ++seq) {
            message m = make(size, seq);
            std::lock_guard<std::mutex> lock(mutex);
            queue.emplace_back(std::move(m), seq);
            cv.notify_one();
        }
    }
    {
        std::lock_guard<std::mutex> lock(mutex);
        done = true;
        cv.notify_one();
    }
    consumer.join();
    CHECK(ok);
}

TEST_CASE("threads exit holding cached bodies; later threads reuse the depot", "[buffer_pool]") {
    for (int round = 0; round < 4; ++round) {
        std::vector<message> made;
        std::thread maker([&] {
            for (unsigned i = 0; i < 1000; ++i)
                made.push_back(make(64 + (i % 4) * 300, i));
        });
        maker.join();
        std::thread freer([&] {
            for (unsigned i = 0; i < made.size(); ++i)
                CHECK(intact(made[i], 64 + (i % 4) * 300, i));
            made.clear(); // cached by this thread, which then exits
        });
        freer.join();
    }
    // And on this thread, freeing what another thread made after that thread exited.
    std::vector<message> made;
    std::thread([&] { made.push_back(make(64, 7)); }).join();
    CHECK(intact(made[0], 64, 7));
    made.clear();
}

namespace {
/// Holds a message until its thread exits; made before the pool's own per-thread state, so
/// it is destroyed after it (thread_local objects go in reverse order of construction).
struct late_holder {
    message m;
    std::vector<message> more;
};
} // namespace

TEST_CASE("a body freed by a thread_local destroyed after the pool's exit hook", "[buffer_pool]") {
    std::thread([] {
        thread_local late_holder holder; // constructed first, destroyed last
        holder.m = make(64, 1);          // first pool use on this thread: the hook comes now
        for (unsigned i = 0; i < 200; ++i)
            holder.more.push_back(make(64 + i, i)); // some cached, some not
        holder.more.resize(100);                    // the rest go into this thread's magazines
        CHECK(intact(holder.m, 64, 1));
    }).join(); // the hook empties the magazines, then holder frees 101 bodies: no crash, no leak
}
