// Connection metadata: the properties a received frame reports through message::property()
// and zmq_msg_gets (libzmq's "Socket-Type", "Peer-Address" and whatever else the peer put in
// its READY). One immutable, reference-counted record per connection, made by the stream
// engine after the handshake and shared by every frame that connection delivers.
#pragma once

#include "zmtp/message.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zmtp::detail {

class metadata {
public:
    using property = std::pair<std::string, std::string>;

    /// A record holding one reference (the caller's). Names are matched exactly, and the
    /// first occurrence of a name wins, as in libzmq.
    static metadata* create(std::vector<property> properties);

    void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
    /// Drops one reference; the last one deletes the record.
    void release() noexcept;

    /// The value of `name`, or null. "Identity" falls back to "Routing-Id" (libzmq's
    /// deprecated alias).
    const std::string* find(std::string_view name) const noexcept;

private:
    explicit metadata(std::vector<property> properties) : properties_(std::move(properties)) {}

    std::atomic<std::uint32_t> refs_{1};
    std::vector<property> properties_;
};

/// The library's access to a message's metadata slot (kept out of the public interface).
struct message_metadata {
    /// Takes the record out of `m` (the caller now owns that reference); may be null.
    static metadata* take(message& m) noexcept {
        auto* md = m.meta_;
        m.meta_ = nullptr;
        return md;
    }
    /// Gives `md` (an owned reference, may be null) to `m`, which must hold none.
    static void give(message& m, metadata* md) noexcept { m.meta_ = md; }
    static bool has(const message& m) noexcept { return m.meta_ != nullptr; }

    /// A marker frame: tells the reader of a pipe that the frames after it come from a
    /// connection described by `md` (owned reference). It travels as the first frame of the
    /// connection's first message, so it never becomes readable on its own.
    static message marker(metadata* md) noexcept {
        message m;
        m.meta_ = md;
        m.flags_ = message::flag_more | message::flag_marker;
        return m;
    }
    static bool is_marker(const message& m) noexcept {
        return (m.flags_ & message::flag_marker) != 0;
    }
};

} // namespace zmtp::detail
