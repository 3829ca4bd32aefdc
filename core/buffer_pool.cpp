// buffer_pool: size classes in quarter-power-of-two steps (at most 25 % slack), each a
// mutex-guarded stack of free blocks. A lock per large message is noise next to copying it.
#include "core/buffer_pool.hpp"

#include <cstdlib>
#include <mutex>
#include <new>

namespace zmtp::detail {

namespace {

constexpr int min_shift = 14;                                // 16 KiB
constexpr int max_shift = 20;                                // 1 MiB
constexpr int classes = (max_shift - min_shift + 1) * 4;     // four per power of two
constexpr std::size_t cached_bytes_per_class = 4u << 20;     // bound on what each class keeps

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
    capacity = 0;
    std::size_t cap = 0;
    const int c = class_of(bytes, cap);
    size_class* p = c >= 0 ? pool() : nullptr;
    if (p) {
        std::lock_guard<std::mutex> lock(p[c].mutex);
        if (p[c].count > 0) {
            capacity = cap;
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
    std::size_t cap = 0;
    const int c = capacity ? class_of(capacity, cap) : -1;
    size_class* p = c >= 0 ? pool() : nullptr;
    if (p) {
        std::lock_guard<std::mutex> lock(p[c].mutex);
        const std::size_t limit = cached_bytes_per_class / cap;
        if (p[c].count < limit && p[c].count < sizeof p[c].blocks / sizeof p[c].blocks[0]) {
            p[c].blocks[p[c].count++] = block;
            return;
        }
    }
    std::free(block);
}

} // namespace zmtp::detail
