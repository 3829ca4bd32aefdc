// Network-order (big-endian) integer load/store helpers used by every ZMTP encoder and parser
// (RFC 23 §Formal Grammar: multi-octet integers are big-endian). Internal to core/wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace zmtp::wire::detail {

/// Reads `width` big-endian octets (width <= 8) as an unsigned integer.
inline std::uint64_t load_be(const std::uint8_t *p, std::size_t width) noexcept {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) {
        v = (v << 8) | p[i];
    }
    return v;
}

/// Writes the low `width` octets of `v` big-endian (width <= 8).
inline void store_be(std::uint8_t *out, std::uint64_t v, std::size_t width) noexcept {
    for (std::size_t i = width; i-- > 0;) {
        out[i] = static_cast<std::uint8_t>(v & 0xFF);
        v >>= 8;
    }
}

/// Appends the low `width` octets of `v` big-endian (width <= 8).
inline void append_be(std::vector<std::uint8_t> &out, std::uint64_t v, std::size_t width) {
    std::uint8_t tmp[8];
    store_be(tmp, v, width);
    out.insert(out.end(), tmp, tmp + width);
}

/// Appends raw bytes of a string view.
template <typename Chars> void append_chars(std::vector<std::uint8_t> &out, const Chars &s) {
    const auto *p = reinterpret_cast<const std::uint8_t *>(s.data());
    out.insert(out.end(), p, p + s.size());
}

} // namespace zmtp::wire::detail
