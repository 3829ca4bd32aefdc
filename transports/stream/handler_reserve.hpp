// handler_reserve: memory set aside for one asio handler at a time, so the posts that must
// not fail (an endpoint's close, a pipe's wake-up, each at most one in flight) never depend
// on the heap: posted through post_reserved, they cannot throw bad_alloc.
#pragma once

#include <asio/bind_allocator.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace zmtp::detail {

class handler_reserve {
public:
    void* allocate(std::size_t n) {
        if (n <= sizeof storage_ && !in_use_.exchange(true, std::memory_order_acquire))
            return storage_;
        return ::operator new(n); // a second handler at once: the heap, as usual
    }
    void deallocate(void* p) noexcept {
        if (p == storage_)
            in_use_.store(false, std::memory_order_release);
        else
            ::operator delete(p);
    }

private:
    alignas(std::max_align_t) unsigned char storage_[512];
    std::atomic<bool> in_use_{false};
};

/// An allocator over a handler_reserve (shared, so it outlives the object that owns it while
/// asio frees a handler that held the last reference to that object).
template <typename T>
class reserve_allocator {
public:
    using value_type = T;
    explicit reserve_allocator(std::shared_ptr<handler_reserve> r) noexcept : r_(std::move(r)) {}
    template <typename U>
    reserve_allocator(const reserve_allocator<U>& o) noexcept : r_(o.r_) {}
    T* allocate(std::size_t n) { return static_cast<T*>(r_->allocate(n * sizeof(T))); }
    void deallocate(T* p, std::size_t) noexcept { r_->deallocate(p); }
    template <typename U>
    bool operator==(const reserve_allocator<U>& o) const noexcept {
        return r_ == o.r_;
    }
    template <typename U>
    bool operator!=(const reserve_allocator<U>& o) const noexcept {
        return r_ != o.r_;
    }

private:
    template <typename U>
    friend class reserve_allocator;
    std::shared_ptr<handler_reserve> r_;
};

/// Posts `f` to `io` in `r`'s memory.
template <typename F>
void post_reserved(asio::io_context& io, const std::shared_ptr<handler_reserve>& r, F&& f) {
    asio::post(io, asio::bind_allocator(reserve_allocator<void>(r), std::forward<F>(f)));
}

} // namespace zmtp::detail
