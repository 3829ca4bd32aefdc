// Seed inputs for the core/wire fuzz target, shared by the replay test: valid handshakes and
// traffic built with the encoders, plus hand-made malformed streams.
#pragma once

#include <cstdint>
#include <vector>

namespace zmtp::wire::fuzz {

/// Every seed input, each a complete byte stream.
std::vector<std::vector<std::uint8_t>> seeds();

} // namespace zmtp::wire::fuzz
