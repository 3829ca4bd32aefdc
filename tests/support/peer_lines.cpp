// The line protocol of the pyzmq peer scripts (see peer_lines.hpp).
#include "tests/support/peer_lines.hpp"

#include "tests/support/catch.hpp"

namespace zmtp::test {

std::string hex_of(const std::string& s) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string hex_line(const std::vector<std::string>& frames) {
    std::string out;
    for (std::size_t i = 0; i < frames.size(); ++i)
        out += (i ? "," : "") + hex_of(frames[i]);
    return out;
}

std::string read_ready(child_process& peer, const std::string& python, int ms) {
    const auto line = peer.read_line(ms);
    if (!line)
        FAIL("no line from the peer process within " << ms << " ms (" << python << ")");
    if (line->rfind("NOZMQ", 0) == 0)
        FAIL("pyzmq is not importable by " << python << ": " << *line);
    if (line->rfind("READY ", 0) != 0)
        FAIL("the peer process started with \"" << *line << "\" instead of READY");
    const auto rest = line->substr(6);
    return rest.substr(0, rest.find(' '));
}

} // namespace zmtp::test
