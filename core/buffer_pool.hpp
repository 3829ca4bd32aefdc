// buffer_pool: a process-wide cache of message buffers in front of malloc.
//
// Why: a message body is allocated on one thread and freed on another. For small bodies
// (up to ~1 KiB) glibc then takes the sender's arena lock on both threads for every message;
// they are recycled through per-thread magazines instead. For large ones (16 KiB to 1 MiB)
// glibc trims and regrows the heap as queues fill and drain, and every regrown page faults
// again (measured: ~3 faults per 64 KiB message); freed buffers are kept mapped, up to a bound
// (8 MiB by default, ZMTP_BUFFER_POOL_MAX in the environment). Other sizes go to malloc.
#pragma once

#include <cstddef>

namespace zmtp::detail {

/// Memory for `bytes` (throws std::bad_alloc). `capacity` is set to what was really
/// reserved (a size class), or 0 when the block is a plain malloc outside the pooled range.
void* pool_allocate(std::size_t bytes, std::size_t& capacity);

/// Gives back a block from pool_allocate with the capacity it reported: cached for reuse while
/// its class has room (bounded), freed otherwise.
void pool_free(void* block, std::size_t capacity) noexcept;

} // namespace zmtp::detail
