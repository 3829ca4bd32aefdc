// The codec needs neither exceptions nor RTTI (issue 14): this program and its own copy of
// core/wire are compiled with -fno-exceptions -fno-rtti (tests/unit/wire/CMakeLists.txt). It
// decodes a peer's handshake and two frames, short and long, and encodes a frame back.
// Plain checks, no Catch2 (which needs exceptions). Exit status 0 on success.
#include "core/wire/frame.hpp"
#include "core/wire/frame_decoder.hpp"
#include "core/wire/greeting.hpp"
#include "core/wire/ready.hpp"

#include <cstdio>
#include <vector>

using namespace zmtp::wire;

namespace {
int failures = 0;

void check(bool ok, const char* what) {
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    failures += ok ? 0 : 1;
}
} // namespace

int main() {
    std::uint8_t g[greeting_size];
    encode_greeting(g);
    std::vector<std::uint8_t> in(g, g + greeting_size);
    append_ready(in, "PAIR", {});
    const std::vector<std::uint8_t> small(3, 's'), large(300, 'l');
    append_frame(in, small.data(), small.size(), true, false);
    append_frame(in, large.data(), large.size(), false, false);

    frame_decoder d(socket_kind::pair);
    d.feed(in.data(), in.size());
    check(d.next().status == decode_status::handshake_done, "handshake done");
    auto ev = d.next();
    check(ev.status == decode_status::frame && ev.header.size == 3 && ev.header.more(),
          "a 3-octet frame with MORE (short length)");
    ev = d.next();
    check(ev.status == decode_status::frame && ev.header.size == 300 && !ev.header.more() &&
              ev.body[0] == 'l' && ev.body[299] == 'l',
          "a 300-octet frame (8-octet big-endian length)");

    std::uint8_t header[max_header_size];
    const auto n = encode_frame_header(header, 300, false, false);
    check(n == long_header_size && header[0] == flag_long && header[7] == 1 && header[8] == 44,
          "the encoder writes 300 as 00..01 2c");
    return failures == 0 ? 0 : 1;
}
