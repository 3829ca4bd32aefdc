// 64-bit frame lengths against the machine's size_t: on a 32-bit target a declared length the
// address space cannot hold (2^40, 2^32, 2^31) is refused as message_too_large, never
// truncated to size_t; on a 64-bit target the same lengths decode exactly.
#include "core/wire/error.hpp"
#include "core/wire/frame.hpp"
#include "core/wire/frame_decoder.hpp"
#include "core/wire/greeting.hpp"
#include "core/wire/ready.hpp"
#include "tests/support/catch.hpp"

#include <cstdint>
#include <limits>
#include <vector>

using namespace zmtp::wire;

namespace {

std::vector<std::uint8_t> long_header(std::uint64_t size) {
    std::uint8_t out[max_header_size];
    const std::size_t n = encode_frame_header(out, size, false, false);
    return std::vector<std::uint8_t>(out, out + n);
}

constexpr bool narrow = sizeof(std::size_t) < 8;

// After large_body: what is left to read is the declared size less what was buffered.
void bytes_left(frame_decoder& d, const decode_event& ev, std::uint64_t size) {
    REQUIRE(ev.status == decode_status::large_body);
    std::vector<std::uint8_t> start(d.buffered());
    CHECK(static_cast<std::uint64_t>(d.begin_body(start.data())) == size - start.size());
}

} // namespace

TEST_CASE("max_frame_size is what one object can hold here", "[wire][width]") {
    CHECK(max_frame_size == static_cast<std::uint64_t>(PTRDIFF_MAX));
    CHECK(max_frame_size <= std::numeric_limits<std::size_t>::max());
    WARN("size_t: " << sizeof(std::size_t) * 8 << " bits; largest frame " << max_frame_size);
}

TEST_CASE("a header keeps the full 64-bit length on every target", "[wire][width]") {
    for (const std::uint64_t size : {std::uint64_t{1} << 40, std::uint64_t{1} << 32,
                                     (std::uint64_t{1} << 32) + 5, std::uint64_t{1} << 31}) {
        INFO("declared " << size);
        const auto h = long_header(size);
        REQUIRE(h.size() == long_header_size);
        const auto r = decode_frame_header(h.data(), h.size());
        REQUIRE(r.status == header_status::ok);
        CHECK(r.header.size == size); // never reduced modulo 2^32
    }
}

TEST_CASE("frame_decoder refuses a 2^40-octet frame on 32 bits, hands it out on 64",
          "[wire][decoder][width]") {
    frame_decoder d(socket_kind::pair);
    std::uint8_t g[greeting_size];
    encode_greeting(g);
    std::vector<std::uint8_t> src(g, g + greeting_size);
    append_ready(src, "PAIR", {});
    const std::uint64_t size = GENERATE(std::uint64_t{1} << 40, std::uint64_t{1} << 32,
                                        std::uint64_t{1} << 31, max_frame_size);
    INFO("declared " << size);
    const auto h = long_header(size);
    src.insert(src.end(), h.begin(), h.end());
    src.insert(src.end(), 16, 'x'); // the start of the body
    d.feed(src.data(), src.size());
    REQUIRE(d.next().status == decode_status::handshake_done);
    const auto ev = d.next();
    if (size > max_frame_size) { // a 32-bit target: all but the last size
        CHECK(narrow);
        REQUIRE(ev.status == decode_status::failed);
        CHECK(ev.error == wire_errc::message_too_large);
        CHECK(d.next().status == decode_status::failed); // and it stays failed
    } else {
        REQUIRE(ev.status == decode_status::large_body);
        CHECK(ev.header.size == size); // the caller sizes its buffer from it
        bytes_left(d, ev, size);
    }
}
