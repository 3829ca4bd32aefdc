// Z85 text encoding (ZeroMQ RFC 32/Z85): 4 bytes <-> 5 printable characters, big-endian base 85.
// CURVE key functions exist for linking but fail with ENOTSUP: zmtp speaks the NULL mechanism.
#include "interop/capi/errors.hpp"

#include <zmq.h>

#include <cstdint>
#include <cstring>

using namespace zmtp::capi;

namespace {

constexpr char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            ".-:+=^!/*?&<>()[]{}@%$#";
static_assert(sizeof alphabet == 86, "Z85 has 85 symbols");

/// Digit value of a Z85 character, or -1.
int digit(char c) noexcept {
    const char *p = c ? std::strchr(alphabet, c) : nullptr;
    return p ? static_cast<int>(p - alphabet) : -1;
}

} // namespace

extern "C" {

char *zmq_z85_encode(char *dest_, const uint8_t *data_, size_t size_) {
    if (!dest_ || !data_ || size_ % 4 != 0)
        return fail_null<char>(std::errc::invalid_argument);
    char *out = dest_;
    for (size_t i = 0; i < size_; i += 4) {
        std::uint32_t value = (std::uint32_t{data_[i]} << 24) |
                              (std::uint32_t{data_[i + 1]} << 16) |
                              (std::uint32_t{data_[i + 2]} << 8) | data_[i + 3];
        for (int k = 4; k >= 0; --k) {
            out[k] = alphabet[value % 85];
            value /= 85;
        }
        out += 5;
    }
    *out = '\0';
    return dest_;
}

uint8_t *zmq_z85_decode(uint8_t *dest_, const char *string_) {
    if (!dest_ || !string_)
        return fail_null<uint8_t>(std::errc::invalid_argument);
    const size_t len = std::strlen(string_);
    if (len % 5 != 0)
        return fail_null<uint8_t>(std::errc::invalid_argument);
    uint8_t *out = dest_;
    for (size_t i = 0; i < len; i += 5) {
        std::uint64_t value = 0; // 64 bits so an overflowing group ("#####") is detectable
        for (size_t k = 0; k < 5; ++k) {
            const int d = digit(string_[i + k]);
            if (d < 0)
                return fail_null<uint8_t>(std::errc::invalid_argument);
            value = value * 85 + static_cast<std::uint64_t>(d);
        }
        if (value > 0xffffffffu)
            return fail_null<uint8_t>(std::errc::invalid_argument);
        for (int k = 3; k >= 0; --k) {
            out[k] = static_cast<uint8_t>(value & 0xff);
            value >>= 8;
        }
        out += 4;
    }
    return dest_;
}

int zmq_curve_keypair(char *z85_public_key_, char *z85_secret_key_) {
    (void)z85_public_key_;
    (void)z85_secret_key_;
    return fail(std::errc::not_supported); // libzmq built without CURVE answers the same
}

int zmq_curve_public(char *z85_public_key_, const char *z85_secret_key_) {
    (void)z85_public_key_;
    (void)z85_secret_key_;
    return fail(std::errc::not_supported);
}

} // extern "C"
