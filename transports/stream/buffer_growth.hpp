// Geometric growth for the engine's output buffers. The wire encoders reserve exactly the
// size they are about to append; on a buffer that keeps growing (one write batch of many small
// commands) that would copy the whole buffer at every append (quadratic). Making room first,
// doubling, keeps every append amortised O(size appended): their exact reserve then finds the
// room already there and does nothing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace zmtp::detail {

inline void make_room(std::vector<std::uint8_t>& buf, std::size_t extra) {
    if (buf.capacity() - buf.size() >= extra)
        return;
    buf.reserve(std::max(buf.capacity() * 2, buf.size() + extra));
}

} // namespace zmtp::detail
