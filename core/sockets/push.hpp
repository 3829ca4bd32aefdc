// PUSH (RFC 30/PIPELINE): round-robins whole messages over its peers, skipping full ones;
// blocks (or EAGAIN) only when every peer is at its HWM or there is none. Never receives.
// zmtp supports PUSH/PULL mainly because pyzmq's zero-copy send uses them internally.
#pragma once

#include "core/socket_base.hpp"

#include <vector>

namespace zmtp::detail {

class push_socket final : public socket_base {
public:
    explicit push_socket(std::shared_ptr<context_impl> ctx)
        : socket_base(std::move(ctx), socket_type::push) {}

protected:
    bool xattach(const pipe_end& p) override;
    void xdetach(const pipe_end& p) override;
    std::error_code xsend(message& msg) override;
    std::error_code xrecv(message& msg) override;
    bool xhas_in() override { return false; }
    bool xhas_out() override;

private:
    std::vector<pipe_end> peers_;
    std::size_t next_ = 0;
    pipe_end current_; ///< the peer receiving the message in progress (multipart)
};

} // namespace zmtp::detail
