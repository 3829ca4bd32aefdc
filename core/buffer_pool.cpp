// buffer_pool: two caches in front of malloc.
//
// Small blocks (message bodies up to ~1 KiB) — per-thread magazines over a shared depot. A
// message body is allocated on the sending thread and freed on the receiving one; with plain
// malloc every block then crosses glibc arenas (the receiver's free takes the sender's arena
// lock, the sender's malloc finds its cache empty and takes it too), about half the cost of an
// inproc 64-byte message. Here each thread keeps two magazines of up to 64 blocks per size
// class; a sender that runs dry swaps an empty magazine for a full one at the depot (one mutex
// per 64 messages), and a receiver whose magazines are full leaves one there. Every cached
// block is a plain malloc of its class size, so any block may always go back to free().
//
// Large blocks (16 KiB to 1 MiB) — size classes in quarter-power-of-two steps (at most 25 %
// slack), each a mutex-guarded stack of free blocks; a lock per large message is noise next
// to copying it. What they keep is bounded in all: 8 MiB by default, or ZMTP_BUFFER_POOL_MAX
// bytes from the environment, read once (0: keep none); each class keeps at most 4 MiB
// whatever the setting (28 classes: 112 MiB at most).
//
// So an idle process holds at most: large blocks 8 MiB (tunable), small blocks 1 MiB per
// class at the depot (5 MiB) plus, per thread that sent or received, two magazines per class
// (at most 280 KiB, usually a few blocks).
#include "core/buffer_pool.hpp"

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <new>
#include <utility>

namespace zmtp::detail {

namespace {

// ---- small blocks ----

// Bodies up to 64 B, 128 B, 288 B, 544 B and 1 KiB plus their 32-byte header.
constexpr std::size_t small_sizes[] = {96, 160, 320, 576, 1056};
constexpr int small_classes = sizeof small_sizes / sizeof small_sizes[0];
constexpr std::size_t magazine_blocks = 64;
constexpr std::size_t depot_bytes = 1u << 20; // what the depot keeps per class, at most
constexpr std::size_t depot_magazines = depot_bytes / (magazine_blocks * 96);

struct magazine {
    std::size_t count = 0;
    void* blocks[magazine_blocks];
};

struct depot {
    std::mutex mutex;
    magazine* full[depot_magazines];
    std::size_t full_count = 0;
    magazine* empty[depot_magazines];
    std::size_t empty_count = 0;
    std::size_t full_limit = 0; // depot_bytes worth of blocks
};

depot* depots() noexcept {
    // Never destroyed: threads may return their magazines while static destructors run.
    static depot* d = [] {
        auto* made = new (std::nothrow) depot[small_classes];
        for (int c = 0; made && c < small_classes; ++c)
            made[c].full_limit = depot_bytes / (magazine_blocks * small_sizes[c]);
        return made;
    }();
    return d;
}

/// One thread's magazines. Trivial, so reaching it costs no guard; the thread's exit hook
/// (thread_exit below) empties it.
struct thread_cache {
    magazine* loaded[small_classes];   // blocks come from and go to this one...
    magazine* previous[small_classes]; // ...and this one is always full or empty
    bool ready;                        // magazines made and exit hook registered
    bool gone;                         // the thread is exiting: bypass the cache
};
thread_local thread_cache cache;

void free_magazine(magazine* m) noexcept {
    if (!m)
        return;
    for (std::size_t i = 0; i < m->count; ++i)
        std::free(m->blocks[i]);
    delete m;
}

struct thread_exit {
    ~thread_exit() {
        for (int c = 0; c < small_classes; ++c) {
            free_magazine(std::exchange(cache.loaded[c], nullptr));
            free_magazine(std::exchange(cache.previous[c], nullptr));
        }
        cache.ready = false; // a message freed later on this thread (another thread_local's
        cache.gone = true;   // destructor) goes straight to free()
    }
};

/// Makes this thread's magazines; false if the cache cannot be used (memory, thread exit).
bool prepare_cache() noexcept {
    if (cache.gone || !depots())
        return false;
    static thread_local thread_exit hook; // registers the exit hook on first use
    (void)hook;
    for (int c = 0; c < small_classes; ++c) {
        cache.loaded[c] = new (std::nothrow) magazine;
        cache.previous[c] = new (std::nothrow) magazine;
        if (!cache.loaded[c] || !cache.previous[c]) { // out of memory: go without
            for (int k = 0; k <= c; ++k) {
                delete std::exchange(cache.loaded[k], nullptr);
                delete std::exchange(cache.previous[k], nullptr);
            }
            cache.gone = true;
            return false;
        }
    }
    cache.ready = true;
    return true;
}

int small_class(std::size_t bytes) noexcept {
    for (int c = 0; c < small_classes; ++c)
        if (bytes <= small_sizes[c])
            return c;
    return -1;
}

/// A cached block of class `c`, or null (the caller mallocs).
void* small_take(int c) noexcept {
    if (!cache.ready && !prepare_cache())
        return nullptr;
    magazine*& loaded = cache.loaded[c];
    if (loaded->count == 0) {
        magazine*& previous = cache.previous[c];
        if (previous->count == 0) {
            // Both empty: trade one empty magazine for a full one at the depot.
            depot& d = depots()[c];
            std::lock_guard<std::mutex> lock(d.mutex);
            if (d.full_count == 0)
                return nullptr;
            if (d.empty_count < depot_magazines)
                d.empty[d.empty_count++] = previous;
            else
                delete previous;
            previous = loaded;
            loaded = d.full[--d.full_count];
        } else {
            std::swap(loaded, previous);
        }
    }
    return loaded->blocks[--loaded->count];
}

/// Caches a block of class `c`; false if it must be freed instead.
bool small_give(int c, void* block) noexcept {
    if (!cache.ready && !prepare_cache())
        return false;
    magazine*& loaded = cache.loaded[c];
    if (loaded->count == magazine_blocks) {
        magazine*& previous = cache.previous[c];
        if (previous->count == magazine_blocks) {
            // Both full: leave one full magazine at the depot for an allocating thread, and
            // take an empty one in its place.
            depot& d = depots()[c];
            magazine* spare = nullptr;
            {
                std::lock_guard<std::mutex> lock(d.mutex);
                if (d.full_count < d.full_limit) {
                    spare = d.empty_count > 0 ? d.empty[--d.empty_count]
                                              : new (std::nothrow) magazine;
                    if (spare)
                        d.full[d.full_count++] = previous;
                }
            }
            if (!spare) { // the depot is full: this magazine's blocks go back to malloc
                for (std::size_t i = 0; i < previous->count; ++i)
                    std::free(previous->blocks[i]);
                previous->count = 0;
                spare = previous;
            }
            previous = loaded;
            loaded = spare;
        } else {
            std::swap(loaded, previous);
        }
    }
    loaded->blocks[loaded->count++] = block;
    return true;
}

// ---- large blocks ----

constexpr int min_shift = 14;                                // 16 KiB
constexpr int max_shift = 20;                                // 1 MiB
constexpr int classes = (max_shift - min_shift + 1) * 4;     // four per power of two
constexpr std::size_t cached_bytes_per_class = 4u << 20;     // bound on what each class keeps
constexpr std::size_t default_cached_bytes = 8u << 20;       // ...and on all classes together

/// The bound on all large classes together (ZMTP_BUFFER_POOL_MAX, else the default).
std::size_t cached_bytes_limit() noexcept {
    static const std::size_t limit = [] {
        const char* env = std::getenv("ZMTP_BUFFER_POOL_MAX");
        if (!env || !*env)
            return default_cached_bytes;
        char* end = nullptr;
        const unsigned long long v = std::strtoull(env, &end, 10);
        return *end == '\0' ? static_cast<std::size_t>(v) : default_cached_bytes;
    }();
    return limit;
}
std::atomic<std::size_t> cached_bytes{0}; // in all large classes

struct size_class {
    std::mutex mutex;
    void* blocks[256];
    std::size_t count = 0;
};

size_class* pool() noexcept {
    // Never destroyed: blocks may still be freed while static destructors run.
    static size_class* classes_ = new (std::nothrow) size_class[classes];
    return classes_;
}

/// The class of a request, and its capacity; -1 when outside the pooled range.
int class_of(std::size_t bytes, std::size_t& capacity) noexcept {
    if (bytes < (std::size_t{1} << min_shift) || bytes > (std::size_t{1} << max_shift))
        return -1;
    int shift = min_shift;
    while ((std::size_t{1} << (shift + 1)) < bytes)
        ++shift;
    const std::size_t step = (std::size_t{1} << shift) / 4;
    std::size_t quarters = (bytes + step - 1) / step; // 4..8
    if (quarters == 8) {
        ++shift;
        quarters = 4;
        if (shift > max_shift)
            return -1;
    }
    capacity = quarters * ((std::size_t{1} << shift) / 4);
    return (shift - min_shift) * 4 + static_cast<int>(quarters - 4);
}

} // namespace

void* pool_allocate(std::size_t bytes, std::size_t& capacity) {
    const int sc = small_class(bytes);
    if (sc >= 0) {
        capacity = small_sizes[sc];
        if (void* block = small_take(sc))
            return block;
        if (void* block = std::malloc(capacity))
            return block;
        throw std::bad_alloc();
    }
    capacity = 0;
    std::size_t cap = 0;
    const int c = class_of(bytes, cap);
    size_class* p = c >= 0 ? pool() : nullptr;
    if (p) {
        std::lock_guard<std::mutex> lock(p[c].mutex);
        if (p[c].count > 0) {
            capacity = cap;
            cached_bytes.fetch_sub(cap, std::memory_order_relaxed);
            return p[c].blocks[--p[c].count];
        }
    }
    void* block = std::malloc(p ? cap : bytes);
    if (!block)
        throw std::bad_alloc();
    capacity = p ? cap : 0;
    return block;
}

void pool_free(void* block, std::size_t capacity) noexcept {
    if (capacity != 0 && capacity <= small_sizes[small_classes - 1]) {
        if (!small_give(small_class(capacity), block))
            std::free(block);
        return;
    }
    std::size_t cap = 0;
    const int c = capacity ? class_of(capacity, cap) : -1;
    size_class* p = c >= 0 ? pool() : nullptr;
    if (p) {
        std::lock_guard<std::mutex> lock(p[c].mutex);
        const std::size_t limit = cached_bytes_per_class / cap;
        if (p[c].count < limit && p[c].count < sizeof p[c].blocks / sizeof p[c].blocks[0] &&
            cached_bytes.load(std::memory_order_relaxed) + cap <= cached_bytes_limit()) {
            cached_bytes.fetch_add(cap, std::memory_order_relaxed);
            p[c].blocks[p[c].count++] = block;
            return;
        }
    }
    std::free(block);
}

} // namespace zmtp::detail
