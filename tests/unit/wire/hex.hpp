// Test helper for byte-vector tests of core/wire: hex strings with quoted ASCII, repetition and
// concatenation, e.g. bytes("04 0a 09 'SUBSCRIBE'").
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace zmtp::wire::test {

using byte_vec = std::vector<std::uint8_t>;

/// Parses whitespace-separated hex octets; 'text' in single quotes is taken literally.
inline byte_vec bytes(std::string_view spec) {
    byte_vec out;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    };
    std::size_t i = 0;
    while (i < spec.size()) {
        const char c = spec[i];
        if (c == ' ' || c == '\n' || c == '\t') {
            ++i;
        } else if (c == '\'') {
            const std::size_t end = spec.find('\'', i + 1);
            if (end == std::string_view::npos) {
                throw std::invalid_argument("unterminated quote");
            }
            for (std::size_t j = i + 1; j < end; ++j) {
                out.push_back(static_cast<std::uint8_t>(spec[j]));
            }
            i = end + 1;
        } else {
            if (i + 1 >= spec.size() || nibble(c) < 0 || nibble(spec[i + 1]) < 0) {
                throw std::invalid_argument("bad hex near: " + std::string(spec.substr(i)));
            }
            out.push_back(static_cast<std::uint8_t>(nibble(c) * 16 + nibble(spec[i + 1])));
            i += 2;
        }
    }
    return out;
}

/// `n` copies of `b`.
inline byte_vec repeat(std::uint8_t b, std::size_t n) {
    return byte_vec(n, b);
}

/// The octets of a string.
inline byte_vec text(std::string_view s) {
    return byte_vec(s.begin(), s.end());
}

/// Concatenation of any number of byte vectors.
template <typename... Parts> byte_vec cat(const Parts &...parts) {
    byte_vec out;
    (out.insert(out.end(), parts.begin(), parts.end()), ...);
    return out;
}

/// Lower-case, space-separated hex rendering (for readable failure messages).
inline std::string hex(const byte_vec &v) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i != 0) {
            s += ' ';
        }
        s += digits[v[i] >> 4];
        s += digits[v[i] & 0x0F];
    }
    return s;
}

/// A full ZMTP 3.x NULL greeting as libzmq sends it: padding ...00 01 (C-GRT-2), version
/// major.minor, "NULL", as-server 0, zero filler.
inline byte_vec libzmq_greeting(std::uint8_t major = 3, std::uint8_t minor = 1) {
    byte_vec g = cat(bytes("ff 00 00 00 00 00 00 00 01 7f"), byte_vec{major, minor}, text("NULL"),
                     repeat(0, 16), repeat(0, 32));
    return g;
}

} // namespace zmtp::wire::test
