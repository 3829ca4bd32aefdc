// frame_decoder: handshake, then frames, from an input buffer that grows with the traffic and
// shrinks back when it is light (RFC 23/37 §Framing; C-FRM-1..7, C-HS-*).
#include "core/wire/frame_decoder.hpp"

#include "core/wire/error.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace zmtp::wire {

frame_decoder::frame_decoder(socket_kind ours, std::int64_t max_msg_size, std::string identity)
    : handshake_(ours, max_msg_size, std::move(identity)), max_msg_size_(max_msg_size) {}

void frame_decoder::reserve(std::size_t capacity) {
    // Uninitialised on purpose: only the octets a read fills are ever touched.
    std::unique_ptr<std::uint8_t[]> bigger(new std::uint8_t[capacity]);
    const std::size_t live = end_ - begin_;
    if (live != 0) {
        std::memcpy(bigger.get(), buf_.get() + begin_, live);
    }
    buf_ = std::move(bigger);
    capacity_ = capacity;
    begin_ = 0;
    end_ = live;
}

bool frame_decoder::release_buffer() noexcept {
    if (begin_ != end_) {
        return false;
    }
    buf_.reset();
    capacity_ = begin_ = end_ = 0;
    grow_ = false;
    return true;
}

void frame_decoder::compact() noexcept {
    if (begin_ == 0) {
        return;
    }
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
}

frame_decoder::span frame_decoder::read_buffer() {
    if (begin_ == end_) {
        begin_ = end_ = 0;
        // Drained after a small read: the traffic is light, give the big buffer back.
        if (capacity_ > min_buffer && last_read_small_) {
            buf_.reset();
        }
    }
    if (!buf_) {
        reserve(min_buffer);
    } else if (grow_ && capacity_ < max_buffer) {
        // The last read filled it: traffic. Go straight to max_buffer rather than doubling
        // through 8, 16 and 32 KiB: measured on tcp 1 KiB PAIR throughput (8 interleaved
        // runs against the fixed 64 KiB buffer before the decoder), doubling ran at 0.65x
        // in most runs, the jump at 0.96x, and an idle connection still holds min_buffer.
        reserve(max_buffer);
    }
    grow_ = false;
    if (end_ == capacity_) {
        compact();
        if (end_ == capacity_) {
            // A partial frame fills the buffer: it is at most direct_threshold plus a header
            // (larger ones are read into their message), so this stops well below max_buffer.
            reserve(capacity_ * 2);
        }
    }
    std::size_t room = capacity_ - end_;
    if (after_body_) {
        room = std::min(room, after_body_read);
        after_body_ = false;
    }
    last_room_ = room;
    return {buf_.get() + end_, room};
}

void frame_decoder::commit(std::size_t n) noexcept {
    end_ += n;
    grow_ = n == last_room_ && end_ == capacity_;
    last_read_small_ = n < min_buffer;
}

void frame_decoder::feed(const std::uint8_t *p, std::size_t n) {
    if (n == 0) {
        return;
    }
    if (!buf_ || capacity_ - end_ < n) {
        compact();
        if (!buf_ || capacity_ - end_ < n) {
            reserve(std::max({min_buffer, capacity_ * 2, end_ + n}));
        }
    }
    std::memcpy(buf_.get() + end_, p, n);
    end_ += n;
}

decode_event frame_decoder::next() {
    decode_event ev;
    if (failed_) {
        ev.status = decode_status::failed;
        ev.error = handshake_.status() == parse_status::failed ? handshake_.error() : error_;
        return ev;
    }
    const std::uint8_t *p = buf_ ? buf_.get() + begin_ : nullptr;
    const std::size_t avail = end_ - begin_;
    if (handshaking_) {
        const auto r = handshake_.feed(p, avail, reply_);
        begin_ += r.consumed;
        if (r.status == parse_status::failed) {
            failed_ = true;
            ev.status = decode_status::failed;
            ev.error = r.error;
        } else if (r.status == parse_status::done) {
            handshaking_ = false;
            ev.status = decode_status::handshake_done;
        }
        return ev;
    }
    const auto r = decode_frame_header(p, avail, max_msg_size_);
    if (r.status == header_status::failed) {
        failed_ = true;
        error_ = r.error;
        ev.status = decode_status::failed;
        ev.error = r.error;
        return ev;
    }
    if (r.status == header_status::need_more) {
        return ev;
    }
    const frame_header &h = r.header;
    if (h.size > max_frame_size) {
        // Only on a 32-bit target: more than its address space, refused rather than truncated.
        failed_ = true;
        error_ = make_error_code(wire_errc::message_too_large);
        ev.status = decode_status::failed;
        ev.error = error_;
        return ev;
    }
    ev.header = h;
    const std::uint64_t total = h.header_size + h.size;
    if (avail >= total) {
        ev.status = decode_status::frame;
        ev.body = p + h.header_size;
        begin_ += static_cast<std::size_t>(total);
        return ev;
    }
    if (h.size > direct_threshold || total > max_buffer) {
        // Not buffered and large: the caller allocates it (the size passed the limits above).
        begin_ += h.header_size;
        pending_ = h;
        ev.status = decode_status::large_body;
        return ev;
    }
    return ev; // a small frame is incomplete
}

std::size_t frame_decoder::begin_body(std::uint8_t *dst) noexcept {
    // Called right after large_body: the body starts at begin_ and is not all here.
    const std::size_t have = end_ - begin_;
    if (have != 0) {
        std::memcpy(dst, buf_.get() + begin_, have);
    }
    begin_ = end_ = 0;
    return static_cast<std::size_t>(pending_.size) - have;
}

} // namespace zmtp::wire
