// Handle shells: allocation, recycling and tag checks for context and socket handles.
#include "interop/capi/handles.hpp"

#include <deque>
#include <utility>
#include <vector>

namespace zmtp::capi {

namespace {

/// Shells of one kind. Never destroyed: a stale handle must stay readable memory. A released
/// shell waits in a FIFO behind `quarantine` others before it is handed out again, so a stale
/// handle reads as dead (ENOTSOCK / EFAULT) until that many more handles were closed, instead
/// of aliasing the very next socket (libzmq's handles are fresh heap objects). The quarantine
/// bounds the memory kept: live shells plus `quarantine` dead ones (a few hundred KiB).
template <typename T> class shell_pool {
public:
    static constexpr std::size_t quarantine = 4096;

    T *acquire() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (free_.size() > quarantine) {
            T *shell = free_.front();
            free_.pop_front();
            return shell;
        }
        all_.push_back(std::make_unique<T>());
        return all_.back().get();
    }
    void release(T *shell) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        try {
            free_.push_back(shell);
        } catch (...) {
            // Out of memory: the shell is simply never reused (still readable, still dead).
        }
    }

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<T>> all_;
    std::deque<T *> free_;
};

template <typename T> shell_pool<T> &pool() {
    // Leaked on purpose: handles may be used (and rejected) until the process exits.
    static auto *p = new shell_pool<T>;
    return *p;
}

} // namespace

context_handle *as_context(void *p) noexcept {
    auto *h = static_cast<context_handle *>(p);
    return h && h->tag == context_tag ? h : nullptr;
}

context_handle *make_context(int io_threads) {
    auto state = std::make_unique<context_state>(io_threads);
    context_handle *h = pool<context_handle>().acquire();
    h->state = std::move(state);
    h->tag = context_tag;
    return h;
}

void retire_context(context_handle *h) noexcept {
    // Terminate while the tag is still valid: calls racing with termination (zmq_socket,
    // zmq_ctx_shutdown) then see ETERM from the context, as in libzmq.
    h->state->ctx.terminate();
    h->tag = 0;
    h->state.reset();
    pool<context_handle>().release(h);
}

socket_handle *make_socket(zmtp::socket s, context_state *ctx) {
    socket_handle *h = pool<socket_handle>().acquire();
    h->sock.emplace(std::move(s));
    h->ctx = ctx;
    h->monitor.reset();
    h->level = level_state{};
    h->tag = socket_tag;
    return h;
}

retired_socket retire_socket(socket_handle *h) noexcept {
    h->tag = 0;
    retired_socket r{std::move(*h->sock), std::move(h->monitor), h->level};
    h->sock.reset();
    h->monitor.reset();
    h->level = level_state{};
    h->ctx = nullptr;
    // From here on the shell may be reused; the caller closes what it got without touching `h`.
    pool<socket_handle>().release(h);
    return r;
}

} // namespace zmtp::capi
