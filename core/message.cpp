// zmtp::message storage management: inline small frames, shared large ones.
#include "zmtp/message.hpp"

#include "core/buffer_pool.hpp"
#include "core/metadata.hpp"
#include "core/shared_buffer.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

namespace zmtp {

namespace detail {

// 32 bytes on 64-bit targets (20 on 32-bit ones): a 64-byte body and its header fill a
// 96-byte block.
static_assert(sizeof(shared_buffer) <= 32, "a 64-byte body and its header fit a 96-byte block");

shared_buffer* shared_buffer::allocate(std::size_t size) {
    if (size > SIZE_MAX - sizeof(shared_buffer))
        throw std::bad_alloc();
    std::size_t capacity = 0;
    void* mem = pool_allocate(sizeof(shared_buffer) + size, capacity);
    auto* b = new (mem) shared_buffer;
    b->capacity = static_cast<std::uint32_t>(capacity);
    b->refs.store(1, std::memory_order_relaxed);
    b->free_fn = nullptr;
    b->hint = nullptr;
    b->adopted = nullptr;
    return b;
}

shared_buffer* shared_buffer::adopt(void* data, message::free_fn* ffn, void* hint) {
    auto* b = allocate(0);
    b->free_fn = ffn;
    b->hint = hint;
    b->adopted = data;
    return b;
}

void shared_buffer::release() noexcept {
    // acq_rel: the thread that frees must see every write made through other references.
    if (refs.fetch_sub(1, std::memory_order_acq_rel) != 1)
        return;
    if (free_fn)
        free_fn(adopted, hint);
    const std::size_t capacity = this->capacity;
    this->~shared_buffer();
    pool_free(this, capacity);
}

} // namespace detail

message::message(std::size_t size) {
    meta_ = nullptr;
    flags_ = 0;
    if (size <= inline_capacity) {
        kind_ = storage::inline_bytes;
        inline_size_ = static_cast<std::uint8_t>(size);
        return;
    }
    auto* b = detail::shared_buffer::allocate(size);
    kind_ = storage::shared;
    ext_ = {b, b->owned_bytes(), size};
}

message::message(const void* data, std::size_t size) : message(size) {
    if (size)
        std::memcpy(this->data(), data, size);
}

message message::adopt(void* data, std::size_t size, free_fn* ffn, void* hint) {
    message m;
    auto* b = detail::shared_buffer::adopt(data, ffn, hint);
    m.kind_ = storage::shared;
    m.ext_ = {b, static_cast<std::uint8_t*>(data), size};
    return m;
}

message::message(message&& other) noexcept {
    // Trivially relocatable: a byte copy moves both representations.
    std::memcpy(static_cast<void*>(this), static_cast<const void*>(&other), sizeof(message));
    other.init_empty();
}

message& message::operator=(message&& other) noexcept {
    if (this != &other) {
        release();
        std::memcpy(static_cast<void*>(this), static_cast<const void*>(&other), sizeof(message));
        other.init_empty();
    }
    return *this;
}

message message::share() const {
    message m;
    if (is_inline()) {
        std::memcpy(m.inline_, inline_, inline_size_);
        m.inline_size_ = inline_size_;
    } else {
        ext_.buf->add_ref();
        m.kind_ = storage::shared;
        m.ext_ = ext_;
    }
    m.flags_ = flags_;
    if (meta_) {
        meta_->add_ref();
        m.meta_ = meta_;
    }
    return m;
}

void* message::data() noexcept { return is_inline() ? inline_ : ext_.data; }

const void* message::data() const noexcept { return is_inline() ? inline_ : ext_.data; }

bool message::is_shared() const noexcept {
    return !is_inline() && ext_.buf->refs.load(std::memory_order_acquire) > 1;
}

std::optional<std::string_view> message::property(std::string_view name) const noexcept {
    if (!meta_)
        return std::nullopt;
    const std::string* value = meta_->find(name);
    if (!value)
        return std::nullopt;
    return std::string_view(*value);
}

void message::release() noexcept {
    if (!is_inline())
        ext_.buf->release();
    if (meta_)
        meta_->release();
}

} // namespace zmtp
