// zmtp::message: one frame of a (possibly multipart) message. Small payloads live inline (no
// heap); large ones in a reference-counted buffer shared between copies, so fan-out copies
// nothing. A received frame also points at its connection's metadata (shared, read-only).
// The whole object fits in libzmq's 64-byte zmq_msg_t.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zmtp {

namespace detail {
struct shared_buffer;
class metadata;
struct message_metadata;
}

/// A frame: payload bytes plus the "more frames follow" flag.
class message {
public:
    /// Largest payload stored inline, without a heap allocation.
    static constexpr std::size_t inline_capacity = 48;
    /// Called with (data, hint) when the last owner of external data lets go.
    using free_fn = void(void* data, void* hint);

    /// An empty frame.
    message() noexcept { init_empty(); }
    /// A frame of `size` uninitialised bytes (throws std::bad_alloc).
    explicit message(std::size_t size);
    /// A frame holding a copy of `size` bytes at `data`.
    message(const void* data, std::size_t size);
    /// A frame holding a copy of `text`.
    explicit message(std::string_view text) : message(text.data(), text.size()) {}
    /// A frame that adopts caller-owned memory; `ffn` (may be null) frees it at the end.
    static message adopt(void* data, std::size_t size, free_fn* ffn, void* hint);

    message(message&& other) noexcept;
    message& operator=(message&& other) noexcept;
    message(const message&) = delete;
    message& operator=(const message&) = delete;
    ~message() { release(); }

    /// Another frame with the same content: shares the buffer of a large frame, copies a
    /// small one. The more flag is copied too.
    message share() const;

    /// Pointer to the payload (stable while the message lives and is not moved from, for
    /// large frames; inline payloads move with the object).
    void* data() noexcept;
    const void* data() const noexcept;
    std::size_t size() const noexcept { return is_inline() ? inline_size_ : ext_.size; }
    bool empty() const noexcept { return size() == 0; }
    std::string_view view() const noexcept {
        return {static_cast<const char*>(data()), size()};
    }
    std::string to_string() const { return std::string(view()); }

    /// True when more frames of the same message follow this one.
    bool more() const noexcept { return (flags_ & flag_more) != 0; }
    void set_more(bool more) noexcept {
        flags_ = more ? (flags_ | flag_more) : (flags_ & ~flag_more);
    }
    /// Internal flag: the frame is a subscription command (used by PUB/SUB).
    bool is_command() const noexcept { return (flags_ & flag_command) != 0; }
    void set_command(bool c) noexcept {
        flags_ = c ? (flags_ | flag_command) : (flags_ & ~flag_command);
    }

    /// Drops the payload and makes this an empty frame (flags cleared).
    void clear() noexcept {
        release();
        init_empty();
    }
    /// True when this frame shares its buffer with other frames.
    bool is_shared() const noexcept;

    /// Connection metadata of a received frame, as libzmq's zmq_msg_gets reports it:
    /// "Socket-Type" (the peer's type), "Peer-Address" (tcp: the peer's IP; ipc:
    /// "localhost:uid:gid:pid" of the peer process) and any other property the peer sent in
    /// its READY. Names match exactly. Empty when the property is missing or the frame has
    /// no metadata (built locally, or received over inproc). The view is NUL-terminated and
    /// valid while this frame (or a share() of it) lives.
    std::optional<std::string_view> property(std::string_view name) const noexcept;

private:
    friend struct detail::message_metadata;
    static constexpr std::uint8_t flag_more = 1;
    static constexpr std::uint8_t flag_command = 2;
    static constexpr std::uint8_t flag_marker = 4; // see detail::message_metadata::marker
    enum class storage : std::uint8_t { inline_bytes, shared };

    struct external {
        detail::shared_buffer* buf;
        std::uint8_t* data;
        std::size_t size;
    };

    bool is_inline() const noexcept { return kind_ == storage::inline_bytes; }
    void init_empty() noexcept {
        meta_ = nullptr;
        kind_ = storage::inline_bytes;
        inline_size_ = 0;
        flags_ = 0;
    }
    void release() noexcept;

    union {
        unsigned char inline_[inline_capacity];
        external ext_;
    };
    detail::metadata* meta_; // owned reference, or null
    std::uint8_t inline_size_;
    storage kind_;
    std::uint8_t flags_;
};

static_assert(sizeof(message) <= 64, "zmtp::message must fit in zmq_msg_t");

} // namespace zmtp
