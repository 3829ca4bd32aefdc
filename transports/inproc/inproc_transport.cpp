// inproc: a per-context registry of bound names and of connects waiting for their binder.
#include "transports/inproc/inproc_transport.hpp"

#include "core/context_impl.hpp"
#include "core/socket_base.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <vector>

namespace zmtp::detail {

namespace {

/// One side's HWMs, frozen when the bind or connect happens.
struct hwms {
    int snd;
    int rcv;
};

using clock = std::chrono::steady_clock;

struct pending_connect {
    pipe_end binder_side; ///< the end the binder will own (the connector holds the other)
    const void* owner; ///< the connect's handle, to withdraw it
    /// Set when the connector closed with a positive LINGER: a binder that comes later than
    /// this gets nothing (what was sent is dropped, as LINGER promises).
    bool expires = false;
    clock::time_point deadline{};
};

/// Drops the connects whose connector closed more than its LINGER ago.
void drop_expired(std::vector<pending_connect>& list, clock::time_point now) {
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](pending_connect& c) {
                                  if (!c.expires || now < c.deadline)
                                      return false;
                                  c.binder_side.close();
                                  return true;
                              }),
               list.end());
}

struct binding {
    std::weak_ptr<socket_base> socket;
    hwms binder;
    const void* owner;
};

struct registry {
    std::mutex mutex;
    std::map<std::string, binding, std::less<>> bound;
    std::map<std::string, std::vector<pending_connect>, std::less<>> pending;
};

std::shared_ptr<registry> registry_of(context_impl& ctx) {
    std::lock_guard<std::mutex> lock(ctx.registry_mutex());
    auto& slot = ctx.registry("inproc");
    if (!slot)
        slot = std::make_shared<registry>();
    return std::static_pointer_cast<registry>(slot);
}

/// Hands a connector's pipe to its binder, with the summed limits in both directions
/// (sender SNDHWM + receiver RCVHWM, C-HWM-4).
void join(const binding& b, pending_connect& c) {
    auto sock = b.socket.lock();
    if (!sock) {
        c.binder_side.close();
        return;
    }
    c.binder_side.join_as_socket(b.binder.snd, b.binder.rcv);
    sock->post_attach(c.binder_side);
}

class inproc_binding final : public endpoint_handle {
public:
    inproc_binding(std::shared_ptr<registry> r, std::string name)
        : registry_(std::move(r)), name_(std::move(name)) {}
    void close() noexcept override {
        std::lock_guard<std::mutex> lock(registry_->mutex);
        auto it = registry_->bound.find(name_);
        if (it != registry_->bound.end() && it->second.owner == this)
            registry_->bound.erase(it); // the name can be bound again (C-INP-4)
    }

private:
    std::shared_ptr<registry> registry_;
    std::string name_;
};

class inproc_connection final : public endpoint_handle {
public:
    inproc_connection(std::shared_ptr<registry> r, std::string name)
        : registry_(std::move(r)), name_(std::move(name)) {}
    void close() noexcept override {
        // A connect still waiting for its binder: the socket closed its pipe with its LINGER.
        // -1 keeps it for a later binder (C-INP-8); 0 withdraws it now; a positive LINGER
        // keeps it that long (a bind after that finds it dropped). The context drops what is
        // left when it terminates.
        std::lock_guard<std::mutex> lock(registry_->mutex);
        auto it = registry_->pending.find(name_);
        if (it == registry_->pending.end())
            return;
        auto& list = it->second;
        const auto now = clock::now();
        for (auto& c : list) {
            if (c.owner != this)
                continue;
            const int linger = c.binder_side.peer_linger();
            if (linger > 0) {
                c.expires = true;
                c.deadline = now + std::chrono::milliseconds(linger);
            }
        }
        list.erase(std::remove_if(list.begin(), list.end(),
                                  [&](pending_connect& c) {
                                      if (c.owner != this || c.binder_side.peer_linger() != 0)
                                          return false;
                                      c.binder_side.close();
                                      return true;
                                  }),
                   list.end());
        drop_expired(list, now);
        if (list.empty())
            registry_->pending.erase(it);
    }

private:
    std::shared_ptr<registry> registry_;
    std::string name_;
};

} // namespace

std::error_code inproc_transport::bind(const endpoint_request& req,
                                       std::shared_ptr<endpoint_handle>& out,
                                       std::string& resolved) {
    auto reg = registry_of(*req.ctx);
    auto handle = std::make_shared<inproc_binding>(reg, req.endpoint);
    std::vector<pending_connect> waiting;
    binding b{req.socket, {req.options.sndhwm(), req.options.rcvhwm()}, handle.get()};
    {
        std::lock_guard<std::mutex> lock(reg->mutex);
        if (reg->bound.count(req.endpoint))
            return std::make_error_code(std::errc::address_in_use);
        reg->bound.emplace(req.endpoint, b);
        auto it = reg->pending.find(req.endpoint);
        if (it != reg->pending.end()) {
            drop_expired(it->second, clock::now());
            waiting = std::move(it->second);
            reg->pending.erase(it);
        }
    }
    for (auto& c : waiting)
        join(b, c); // what a connect-first socket sent is delivered now
    resolved = req.endpoint;
    out = handle;
    return {};
}

std::error_code inproc_transport::connect(const endpoint_request& req, pipe_end pipe,
                                          std::shared_ptr<endpoint_handle>& out) {
    auto reg = registry_of(*req.ctx);
    auto handle = std::make_shared<inproc_connection>(reg, req.endpoint);
    pending_connect c{pipe, handle.get()};
    std::unique_lock<std::mutex> lock(reg->mutex);
    auto it = reg->bound.find(req.endpoint);
    if (it == reg->bound.end()) {
        // Until the bind only the connector's own SNDHWM applies (C-HWM-4).
        auto& list = reg->pending[req.endpoint];
        drop_expired(list, clock::now()); // so closed connectors cannot pile up here
        list.push_back(std::move(c));
    } else {
        binding b = it->second;
        lock.unlock();
        join(b, c);
    }
    out = handle;
    return {};
}

} // namespace zmtp::detail
