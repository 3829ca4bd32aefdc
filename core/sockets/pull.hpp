// PULL (RFC 30/PIPELINE): fair-queues whole messages from its peers. Never sends.
#pragma once

#include "core/socket_base.hpp"

#include <vector>

namespace zmtp::detail {

class pull_socket final : public socket_base {
public:
    explicit pull_socket(std::shared_ptr<context_impl> ctx)
        : socket_base(std::move(ctx), socket_type::pull) {}

protected:
    bool xattach(const pipe_end& p) override;
    void xdetach(const pipe_end& p) override;
    std::error_code xsend(message& msg) override;
    std::error_code xrecv(message& msg) override;
    bool xhas_in() override;
    bool xhas_out() override { return false; }

private:
    std::vector<pipe_end> peers_;
    std::size_t next_ = 0;
    pipe_end current_; ///< the peer of the message being received (multipart)
};

} // namespace zmtp::detail
