// Helpers for tests that drive our sockets (see socket_helpers.hpp).
#include "tests/support/socket_helpers.hpp"

namespace zmtp::test {

zmtp::socket make_socket(zmtp::context& ctx, zmtp::socket_type type) {
    zmtp::socket s(ctx, type);
    s.set(opt::linger, 0);
    s.set(opt::sndtimeo, timeout_ms);
    s.set(opt::rcvtimeo, timeout_ms);
    return s;
}

bool recv_for(zmtp::socket& s, zmtp::message& m, int ms) {
    s.set(opt::rcvtimeo, ms);
    std::error_code ec;
    const bool ok = s.recv(m, recv_flags::none, ec);
    s.set(opt::rcvtimeo, timeout_ms);
    if (!ok && !is_would_block(ec))
        FAIL("recv failed: " << ec.message());
    return ok;
}

std::optional<parts> recv_parts(zmtp::socket& s, int ms) {
    message m;
    if (!recv_for(s, m, ms))
        return std::nullopt;
    parts out{m.to_string()};
    while (m.more()) {
        // Whole messages only: a later frame is already here when the first one is (C-FRM-6).
        std::error_code ec;
        if (!s.recv(m, recv_flags::dontwait, ec))
            FAIL("frame " << out.size() << " of a multipart message missing: " << ec.message());
        out.push_back(m.to_string());
    }
    return out;
}

parts expect_parts(zmtp::socket& s, int ms) {
    auto msg = recv_parts(s, ms);
    if (!msg)
        FAIL("no message within " << ms << " ms");
    return std::move(*msg);
}

void send_parts(zmtp::socket& s, const parts& msg, zmtp::send_flags flags) {
    for (std::size_t i = 0; i < msg.size(); ++i) {
        const bool last = i + 1 == msg.size();
        const auto f = last ? flags : (flags | send_flags::sndmore);
        REQUIRE(s.send(msg[i], f));
    }
}

std::string be64(std::uint64_t n) {
    std::string s(8, '\0');
    for (int i = 7; i >= 0; --i) {
        s[static_cast<std::size_t>(i)] = static_cast<char>(n & 0xFF);
        n >>= 8;
    }
    return s;
}

std::uint64_t from_be64(const std::string& s) {
    REQUIRE(s.size() >= 8);
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < 8; ++i)
        n = (n << 8) | static_cast<unsigned char>(s[i]);
    return n;
}

} // namespace zmtp::test
