// Test payloads (see payload.hpp).
#include "tests/support/payload.hpp"

#include <algorithm>

namespace zmtp::test {

std::string pattern(std::size_t n, std::uint32_t seed) {
    std::string out(n, '\0');
    std::uint32_t x = seed * 2654435761u + 0x9e3779b9u;
    for (std::size_t i = 0; i < n; ++i) {
        x = x * 1664525u + 1013904223u; // LCG: no short period, so offsets matter
        out[i] = static_cast<char>(x >> 24);
    }
    return out;
}

long long first_mismatch(const std::string& a, const std::string& b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i])
            return static_cast<long long>(i);
    return a.size() == b.size() ? -1 : static_cast<long long>(n);
}

} // namespace zmtp::test
