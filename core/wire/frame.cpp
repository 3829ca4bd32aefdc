// Frame header decoder and encoder (RFC 23/37 §Framing; conformance C-FRM-1..4, C-FRM-7).
#include "core/wire/frame.hpp"

#include "core/wire/byte_order.hpp"
#include "core/wire/error.hpp"

namespace zmtp::wire {
namespace {

constexpr std::uint64_t top_bit = std::uint64_t{1} << 63;
constexpr std::uint8_t known_flags = flag_more | flag_long | flag_command;

header_result fail(wire_errc e) noexcept {
    header_result r;
    r.status = header_status::failed;
    r.error = e;
    return r;
}

} // namespace

header_result decode_frame_header(const std::uint8_t *p, std::size_t n,
                                  std::int64_t max_size) noexcept {
    header_result r;
    if (n < 1) {
        return r;
    }
    const std::uint8_t raw = p[0];
    const bool is_long = (raw & flag_long) != 0;
    const std::size_t header_size = is_long ? long_header_size : short_header_size;
    if (n < header_size) {
        return r;
    }
    const std::uint64_t size = is_long ? detail::load_be(p + 1, 8) : p[1];
    // A peer length is checked before anybody can allocate for it.
    if ((size & top_bit) != 0) {
        return fail(wire_errc::invalid_frame_size);
    }
    if (max_size >= 0 && size > static_cast<std::uint64_t>(max_size)) {
        return fail(wire_errc::message_too_large);
    }
    // libzmq delivers frames with reserved bits set and ignores MORE on commands (C-FRM-4); the
    // RFC permits refusing them, we tolerate them for interop and normalise the flags instead.
    std::uint8_t flags = raw & known_flags;
    if ((flags & flag_command) != 0) {
        flags &= static_cast<std::uint8_t>(~flag_more);
    }
    r.status = header_status::ok;
    r.header.flags = flags;
    r.header.size = size;
    r.header.header_size = header_size;
    return r;
}

std::size_t encode_frame_header(std::uint8_t *out, std::uint64_t size, bool more,
                                bool command) noexcept {
    std::uint8_t flags = 0;
    if (command) {
        flags |= flag_command; // MORE SHALL be zero on commands (C-FRM-1)
    } else if (more) {
        flags |= flag_more;
    }
    if (size <= max_short_size) {
        out[0] = flags;
        out[1] = static_cast<std::uint8_t>(size);
        return short_header_size;
    }
    out[0] = flags | flag_long;
    detail::store_be(out + 1, size, 8);
    return long_header_size;
}

void append_frame(std::vector<std::uint8_t> &out, const std::uint8_t *data, std::size_t size,
                  bool more, bool command) {
    std::uint8_t header[max_header_size];
    const std::size_t header_size = encode_frame_header(header, size, more, command);
    out.insert(out.end(), header, header + header_size);
    if (size != 0) {
        out.insert(out.end(), data, data + size);
    }
}

} // namespace zmtp::wire
