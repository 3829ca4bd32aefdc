// The send side's encoding, without I/O: frames appended to a write batch made of one copy
// buffer plus bodies sent in place. Small bodies are copied after their header; a large one
// becomes a piece of its own, so a scatter/gather write sends it from the message, uncopied.
#pragma once

#include "core/wire/frame.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace zmtp::wire {

/// One iovec of a batch: a run of the copy buffer, or a body sent from message `msg`.
struct batch_piece {
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    std::size_t offset; ///< into the copy buffer, when msg == npos
    std::size_t size;
    std::size_t msg; ///< the caller's index of the message whose body this is, or npos
};

/// Bodies up to this size are copied into the batch; larger ones are sent in place.
inline constexpr std::size_t batch_copy_threshold = 1024;

/// Builds one batch in the caller's buffers (kept across batches, so they keep their capacity).
/// `buf` may already hold bytes (commands) when the batch starts: they go out first.
class frame_batch {
public:
    frame_batch(std::vector<std::uint8_t> &buf, std::vector<batch_piece> &pieces) noexcept
        : buf_(buf), pieces_(pieces) {}

    /// Appends a data frame's header and, if small, its body. Returns true if the body is to
    /// be sent in place: it was recorded as piece `msg` and the caller keeps it alive.
    /// Inline: it runs once per message on the send path.
    bool add(const void *data, std::size_t size, bool more, std::size_t msg) {
        std::uint8_t header[max_header_size];
        const std::size_t hn = encode_frame_header(header, size, more, false);
        buf_.insert(buf_.end(), header, header + hn);
        if (size <= batch_copy_threshold) {
            const auto *d = static_cast<const std::uint8_t *>(data);
            buf_.insert(buf_.end(), d, d + size);
            return false;
        }
        pieces_.push_back({run_start_, buf_.size() - run_start_, batch_piece::npos});
        run_start_ = buf_.size();
        pieces_.push_back({0, size, msg});
        return true;
    }

    /// Closes the batch: the trailing run of the copy buffer becomes the last piece.
    void finish() {
        if (buf_.size() > run_start_) {
            pieces_.push_back({run_start_, buf_.size() - run_start_, batch_piece::npos});
        }
        run_start_ = buf_.size();
    }

private:
    std::vector<std::uint8_t> &buf_;
    std::vector<batch_piece> &pieces_;
    std::size_t run_start_ = 0; // start of the copy-buffer run not yet made a piece
};

} // namespace zmtp::wire
