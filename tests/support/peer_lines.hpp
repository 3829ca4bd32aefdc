// The line protocol of the pyzmq peer scripts (tests/*/..._peer.py): multipart messages as
// comma-separated hex frames, and the "READY <endpoint> <version>" line a peer starts with.
#pragma once

#include "tests/support/child_process.hpp"

#include <string>
#include <vector>

namespace zmtp::test {

/// Lower-case hex of `s`.
std::string hex_of(const std::string& s);
/// The frames of a multipart message as "<hex>,<hex>,...".
std::string hex_line(const std::vector<std::string>& frames);

/// Reads the peer's first line within `ms`: "READY <endpoint> ..." gives the endpoint it bound
/// or connected to. Anything else fails the test; "NOZMQ ..." means `python` has no pyzmq.
std::string read_ready(child_process& peer, const std::string& python, int ms);

} // namespace zmtp::test
