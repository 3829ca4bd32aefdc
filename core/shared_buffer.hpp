// The reference-counted storage behind large message frames. One allocation holds the header
// and, for owned payloads, the bytes; adopted (zmq_msg_init_data) payloads carry a free callback.
#pragma once

#include "zmtp/message.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace zmtp::detail {

struct shared_buffer {
    std::atomic<std::uint32_t> refs;
    std::uint32_t capacity; ///< bytes reserved by buffer_pool (0: plain malloc); at most 1 MiB
    message::free_fn* free_fn; ///< null for owned bytes (freed with the header)
    void* hint;
    void* adopted; ///< caller's pointer for adopted payloads

    /// A buffer owning `size` uninitialised bytes right after the header.
    static shared_buffer* allocate(std::size_t size);
    /// A buffer pointing at caller memory; `ffn(data, hint)` runs when the last ref goes.
    static shared_buffer* adopt(void* data, message::free_fn* ffn, void* hint);
    // 32 bytes: a 64-byte body and its header fit the pool's 96-byte class.

    std::uint8_t* owned_bytes() noexcept { return reinterpret_cast<std::uint8_t*>(this + 1); }
    void add_ref() noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
    /// Drops one reference, freeing the buffer (and calling free_fn) on the last one.
    void release() noexcept;
};

} // namespace zmtp::detail
