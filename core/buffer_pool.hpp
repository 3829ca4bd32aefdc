// buffer_pool: a small process-wide cache of large message buffers (16 KiB to 1 MiB).
//
// Why: a stream of large messages allocates on one thread and frees on another. glibc then
// trims and regrows the heap as queues fill and drain, and every regrown page faults again
// (measured: ~3 faults per 64 KiB message). Reusing freed buffers keeps those pages mapped.
// Smaller buffers are left to malloc, whose per-thread caches already serve them well.
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
