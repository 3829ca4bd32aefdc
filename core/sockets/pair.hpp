// PAIR (RFC 31/EXPAIR): one peer at a time, never drops; sends block (or EAGAIN) at the HWM
// or with no peer. A second peer is refused while the first is connected (C-PAIR-5/6).
#pragma once

#include "core/socket_base.hpp"

#include <vector>

namespace zmtp::detail {

class pair_socket final : public socket_base {
public:
    explicit pair_socket(std::shared_ptr<context_impl> ctx)
        : socket_base(std::move(ctx), socket_type::pair) {}

protected:
    bool xattach(const pipe_end& p) override;
    void xdetach(const pipe_end& p) override;
    std::error_code xsend(message& msg) override;
    std::error_code xrecv(message& msg) override;
    bool xhas_in() override;
    bool xhas_out() override;

private:
    pipe_end peer_;
    /// Former peers that left with messages we have not read yet; read before peer_.
    std::vector<pipe_end> draining_;
    bool sending_multipart_ = false;
};

} // namespace zmtp::detail
