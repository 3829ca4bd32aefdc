// socket_base: what every socket type shares — options, endpoints, pipes, the mailbox through
// which I/O threads hand it new pipes, blocking with timeouts, close and linger. Socket types
// (core/sockets/) are policies over pipes: attach/detach/xsend/xrecv.
#pragma once

#include "core/monitor_channel.hpp"
#include "core/options.hpp"
#include "core/pipe.hpp"
#include "core/readiness_hook.hpp"
#include "core/signaler.hpp"
#include "core/transport.hpp"
#include "zmtp/message.hpp"
#include "zmtp/monitor.hpp"
#include "zmtp/socket_type.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace zmtp::detail {

class context_impl;

class socket_base : public std::enable_shared_from_this<socket_base> {
public:
    /// Makes a socket of `type` registered with `ctx`.
    static std::shared_ptr<socket_base> create(const std::shared_ptr<context_impl>& ctx,
                                               socket_type type, std::error_code& ec);
    virtual ~socket_base();
    socket_base(const socket_base&) = delete;
    socket_base& operator=(const socket_base&) = delete;

    // ---- application thread ----
    std::error_code bind(std::string_view endpoint);
    std::error_code connect(std::string_view endpoint);
    std::error_code unbind(std::string_view endpoint);
    std::error_code disconnect(std::string_view endpoint);
    /// Sends one frame; flags are ZMQ_DONTWAIT (1) | ZMQ_SNDMORE (2).
    std::error_code send(message& msg, int flags);
    /// Receives one frame; flags: ZMQ_DONTWAIT (1).
    std::error_code recv(message& msg, int flags);
    std::error_code set_option(int id, const void* value, std::size_t size);
    std::error_code get_option(int id, void* value, std::size_t* size);
    /// Per-peer counters (PUB: messages sent and dropped at the HWM per subscriber).
    virtual std::vector<std::pair<std::uint64_t, std::uint64_t>> peer_counters() { return {}; }
    /// PUB/XPUB: waits until `subscribers` subscribers hold a subscription (any, if `topic` is
    /// null) or would receive a message whose first frame is `*topic`; `timeout_ms` -1 waits
    /// forever. would_block on timeout, not_supported on other types, EINTR, ETERM.
    std::error_code wait_subscribed(std::size_t subscribers, const std::string* topic,
                                    int timeout_ms);
    /// Closes: endpoints stop, outbound pipes linger in their engines, inbound is dropped.
    void close() noexcept;
    bool is_closed() const noexcept { return closed_; }
    socket_type type() const noexcept { return options_.type; }
    context_impl& ctx() noexcept { return *ctx_; }

    // ---- any thread ----
    /// Hands the socket a new pipe (accepted connection, inproc peer); processed on its thread.
    void post_attach(pipe_end end);
    /// Installs (or, with an empty function, removes) the event callback; `mask` selects
    /// events by their bits. A callback removed or replaced gets monitor_stopped (after the
    /// close, once the last endpoint has reported its last event).
    void set_monitor(monitor_fn fn, std::uint32_t mask);
    /// Reports an event to the monitor, if one is installed and wants it. Thread-safe.
    void emit(socket_event event, std::uint32_t value, const std::string& endpoint);
    /// A connect-side pipe got a new connection (reconnect): SUB re-sends its subscriptions.
    void post_hiccup(pipe_end end);
    /// Wakes a blocked call so it re-checks its pipes, mailbox and the context state.
    void wake() noexcept { notify(); }

    // ---- readiness hook (the Asio layer: asio/) ----
    /// Installs the function called (from any thread, see readiness_hook) on the first wake
    /// after arm_ready(); empty removes it. Removing waits for a running call to end.
    void set_ready_callback(std::function<void()> fn) { ready_.set(std::move(fn)); }
    /// Arms the callback and returns the wake generation. A waiter arms, attempts without
    /// blocking, and waits only if wake_generation() still equals the returned value.
    std::uint32_t arm_ready() noexcept {
        ready_.arm();
        return signaler_.generation();
    }
    std::uint32_t wake_generation() const noexcept { return signaler_.generation(); }

protected:
    socket_base(std::shared_ptr<context_impl> ctx, socket_type type);

    /// A new pipe: return false to refuse it (the pipe is then closed as `rejected`).
    virtual bool xattach(const pipe_end& p) = 0;
    /// A pipe left (peer closed and drained, or the socket dropped it).
    virtual void xdetach(const pipe_end& p) = 0;
    /// Sends one frame without blocking: would_block, or done.
    virtual std::error_code xsend(message& msg) = 0;
    /// Receives one frame without blocking: would_block, or done.
    virtual std::error_code xrecv(message& msg) = 0;
    /// For ZMQ_EVENTS: a message can be received / sent without blocking.
    virtual bool xhas_in() = 0;
    virtual bool xhas_out() = 0;
    /// A pipe reconnected (see post_hiccup). Default: nothing.
    virtual void xhiccup(const pipe_end&) {}
    /// PUB/XPUB: whether wait_subscribed's condition holds now.
    virtual bool subscribed(std::size_t, const std::string*) { return false; }
    /// Type-specific options; return std::errc::not_supported when it is not one of them.
    virtual std::error_code xsetsockopt(int id, const void* value, std::size_t size);

    /// Forgets a pipe whose peer closed once nothing readable is left; true if detached.
    bool detach_if_drained(const pipe_end& p);
    /// Detaches a pipe now and closes it with `why` (the socket gave up on that peer).
    void drop_pipe(pipe_end p, close_reason why);
    const socket_options& options() const noexcept { return options_; }
    /// True (once) if any pipe woke the socket since the last call: lets PUB skip polling
    /// its subscribers' pipes for subscriptions on every send.
    bool take_pipe_activity() noexcept {
        return pipe_activity_.exchange(false, std::memory_order_acq_rel);
    }

private:
    struct pipe_slot;
    struct endpoint_entry {
        std::string endpoint;  ///< as given by the user
        std::string resolved;  ///< LAST_ENDPOINT form
        bool bound;
        std::shared_ptr<endpoint_handle> handle;
        pipe_end pipe; ///< connect side: the socket's end of the connection's pipe
    };

    std::error_code check_usable() const noexcept;
    /// close() in a child after fork() (socket_base_fork.cpp).
    void abandon_after_fork() noexcept;
    std::error_code parse(std::string_view endpoint, transport*& t, endpoint_request& req);
    void process_commands();
    void attach_now(pipe_end p);
    void forget_pipe(const pipe_end& p);
    void on_peer_closed(pipe_end p);
    void apply_hwm_to_pipes();
    using attempt_fn = std::error_code (socket_base::*)(message&);
    std::error_code blocking(attempt_fn fn, message& msg, bool dontwait, int timeout_ms);
    /// Retries `attempt` (an error_code() -> std::error_code callable) until it does not
    /// would_block, the deadline passes, a signal arrives or the context ends.
    template <typename Attempt>
    std::error_code blocking_loop(Attempt&& attempt, bool dontwait, int timeout_ms);
    /// Wakes a blocked call and fires the readiness hook.
    void notify() noexcept {
        signaler_.wake();
        ready_.fire();
    }

    std::shared_ptr<context_impl> ctx_;
    socket_options options_;
    signaler signaler_;
    readiness_hook ready_;
    bool closed_ = false;
    bool rcvmore_ = false;
    std::vector<endpoint_entry> endpoints_;
    std::vector<std::unique_ptr<pipe_slot>> pipes_;

    enum class command_kind : std::uint8_t { attach, peer_closed, hiccup };
    struct command {
        command_kind kind;
        pipe_end pipe;
    };
    void post(command_kind kind, pipe_end p);

    std::mutex mailbox_mutex_;
    std::vector<command> mailbox_; // guarded
    bool mailbox_closed_ = false;  // guarded
    std::atomic<bool> mailbox_pending_{false};
    std::atomic<bool> pipe_activity_{true};

    std::shared_ptr<monitor_channel> monitor_ = std::make_shared<monitor_channel>();
    /// Ours until close(); endpoints hold copies (the last one out stops the monitor).
    std::shared_ptr<monitor_lease> monitor_lease_ = std::make_shared<monitor_lease>(monitor_);
};

} // namespace zmtp::detail
