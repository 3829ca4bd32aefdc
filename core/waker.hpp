// The callback a pipe uses to tell its owner (a socket or an engine) that something changed.
#pragma once

namespace zmtp::detail {

/// Notified by pipes on state changes. Called with a pipe lock held: implementations must be
/// cheap and must never call back into the pipe.
class waker {
public:
    /// Data became readable, or space became writable.
    virtual void wake() noexcept = 0;
    /// The other end of the pipe was closed.
    virtual void peer_closed() noexcept { wake(); }

protected:
    ~waker() = default;
};

} // namespace zmtp::detail
