// PULL (RFC 30/PIPELINE): fair-queues whole messages from its peers. Never sends.
#pragma once

#include "core/socket_base.hpp"
#include "core/sockets/fair_queue.hpp"

namespace zmtp::detail {

class pull_socket final : public socket_base {
public:
    explicit pull_socket(std::shared_ptr<context_impl> ctx)
        : socket_base(std::move(ctx), socket_type::pull) {}

protected:
    bool xattach(const pipe_end& p) override {
        queue_.attach(p);
        return true;
    }
    void xdetach(const pipe_end& p) override { queue_.detach(p); }
    std::error_code xsend(message& msg) override;
    std::error_code xrecv(message& msg) override;
    bool xhas_in() override { return queue_.readable(); }
    bool xhas_out() override { return false; }

private:
    fair_queue queue_;
};

} // namespace zmtp::detail
