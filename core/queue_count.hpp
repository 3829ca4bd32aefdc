// The counters of msg_queue's lock-free protocol, as wide as the target's lock-free atomics.
//
// On every 64-bit target, and on 32-bit ones with a double-word atomic (armv7's ldrexd/strexd,
// i686's cmpxchg8b), they are 64 bits. Where a 64-bit atomic would need libatomic, which hides
// a lock behind it (32-bit MIPS, armv5, ...), they are 32 bits: the documented fallback. A
// build can force the 32-bit counters (ZMTP_QUEUE_COUNT_32, CMake -DZMTP_QUEUE_COUNT_32=ON) to
// run the fallback on any machine.
//
// Counters wrap. The queue keeps a flag in the low bit of its shared words, so counts are
// compared modulo 2^(bits - 1) with count_diff(). That is exact as long as the true difference
// is below 2^(bits - 1): a difference is a number of frames or messages held in the queue, each
// taking a 64-byte slot in memory, so on a 32-bit address space it stays below 2^26.
#pragma once

#include <atomic>
#include <cstdint>
#include <type_traits>

namespace zmtp::detail {

#if defined(ZMTP_QUEUE_COUNT_32)
using queue_count = std::uint32_t;
#else
using queue_count = std::conditional_t<std::atomic<std::uint64_t>::is_always_lock_free,
                                       std::uint64_t, std::uint32_t>;
#endif
static_assert(std::atomic<queue_count>::is_always_lock_free,
              "msg_queue needs a lock-free atomic of 32 bits at least");

/// The largest difference count_diff() can express; also the largest HWM a queue keeps.
inline constexpr queue_count count_mask = static_cast<queue_count>(~queue_count{0}) >> 1;

/// a - b for counts that may have wrapped, a being at most count_mask ahead of b.
constexpr queue_count count_diff(queue_count a, queue_count b) noexcept {
    return static_cast<queue_count>(a - b) & count_mask;
}

} // namespace zmtp::detail
