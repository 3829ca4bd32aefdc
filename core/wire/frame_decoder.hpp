// The receive side of one connection as a pure object (no I/O): bytes in, events out. It runs
// the NULL handshake (greeting + READY), then splits the stream into frames. Small frames are
// returned from its own input buffer; a large body is handed to the caller, who reads it
// straight into the message that will carry it. Limits (MAXMSGSIZE, the handshake command cap)
// are checked on the declared size, before anything is allocated for it.
#pragma once

#include "core/wire/frame.hpp"
#include "core/wire/handshake.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

namespace zmtp::wire {

/// What frame_decoder::next found.
enum class decode_status {
    need_more,      ///< nothing complete is buffered: read more into read_buffer()
    handshake_done, ///< the peer's greeting and READY were accepted (once)
    frame,          ///< a whole frame: header + body (valid until the next call)
    large_body,     ///< a large frame's header: call begin_body, read the rest into it
    failed,         ///< protocol error: close (after sending handshake_reply(), if any)
};

/// One event from frame_decoder::next.
struct decode_event {
    decode_status status = decode_status::need_more;
    frame_header header;                ///< frame, large_body
    const std::uint8_t *body = nullptr; ///< frame: `header.size` octets
    std::error_code error;              ///< failed
};

/// Receive-path decoder of one connection, either role.
///
/// Usage: read into read_buffer() and commit() what arrived (or feed() a copy), then call
/// next() until need_more. For large_body: allocate header.size octets, begin_body(dst) copies
/// what is already buffered and returns how many octets are still missing; read those into
/// dst + (header.size - missing), then call end_body(). The body's frame is then the caller's.
///
/// Buffer policy: the input buffer starts at min_buffer and becomes max_buffer when a read
/// fills it, so a busy connection reads in large batches; once it is drained after a
/// read that would have fit the minimum, it shrinks back, so an idle connection holds little.
class frame_decoder {
public:
    /// Input buffer sizes, and the body size above which a frame not fully buffered is read
    /// straight into its message.
    static constexpr std::size_t min_buffer = 4 * 1024;
    static constexpr std::size_t max_buffer = 64 * 1024;
    static constexpr std::size_t direct_threshold = 8 * 1024;
    /// Read size right after a large body: the next large frame's header arrives without most
    /// of its body being copied through the input buffer.
    static constexpr std::size_t after_body_read = 4 * 1024;

    /// `max_msg_size` (-1 = none) bounds every frame (C-FRM-7); see null_handshake.
    explicit frame_decoder(socket_kind ours, std::int64_t max_msg_size = -1,
                           std::string identity = {});

    /// The handshake (our initial output, the peer's properties and version).
    const null_handshake &handshake() const noexcept { return handshake_; }

    /// Where the next read should go: never empty (grows or compacts as needed).
    struct span {
        std::uint8_t *data;
        std::size_t size;
    };
    span read_buffer();
    /// `n` octets were read into the last read_buffer().
    void commit(std::size_t n) noexcept;
    /// Copies [p, p+n) into the input (tests and fuzzing; the buffer grows to hold it all).
    void feed(const std::uint8_t *p, std::size_t n);
    /// Frees the input buffer if nothing is buffered (the next read_buffer() makes a new one):
    /// returns whether it did. For a connection that may stay idle for long.
    bool release_buffer() noexcept;
    /// Drops everything buffered (nobody reads this connection).
    void discard() noexcept { begin_ = end_ = 0; }
    /// Octets buffered and not yet decoded.
    std::size_t buffered() const noexcept { return end_ - begin_; }
    /// Current input buffer capacity.
    std::size_t capacity() const noexcept { return capacity_; }

    /// Decodes the next event from what is buffered.
    decode_event next();
    /// What the handshake wants sent before closing (an ERROR), after failed.
    const std::vector<std::uint8_t> &handshake_reply() const noexcept { return reply_; }

    /// After large_body: copies the buffered start of the body to `dst` (room for the whole
    /// body) and returns how many octets of it are still to be read.
    std::size_t begin_body(std::uint8_t *dst) noexcept;
    /// The large body was read completely.
    void end_body() noexcept { after_body_ = true; }

private:
    void reserve(std::size_t capacity);
    void compact() noexcept;

    null_handshake handshake_;
    std::int64_t max_msg_size_;
    bool handshaking_ = true;
    bool failed_ = false;
    std::error_code error_; // a framing failure (handshake failures stay in handshake_)
    std::vector<std::uint8_t> reply_;
    std::unique_ptr<std::uint8_t[]> buf_; // allocated on the first read
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0, end_ = 0; // [begin_, end_) is unconsumed
    std::size_t last_room_ = 0;       // size of the last read_buffer()
    bool grow_ = false;               // the last read filled its buffer
    bool last_read_small_ = false;    // the last read would have fit min_buffer
    bool after_body_ = false;
    frame_header pending_; // large_body header, its body starts at begin_
};

} // namespace zmtp::wire
