// wire::frame_decoder, the receive path without I/O: handshake then frames, split anywhere,
// large bodies handed out to be read in place, limits checked on declared sizes, and the input
// buffer growing with traffic and shrinking back when it is light.
#include "core/wire/command_frame.hpp"
#include "core/wire/error.hpp"
#include "core/wire/frame_decoder.hpp"
#include "core/wire/ready.hpp"
#include "tests/support/catch.hpp"

#include <cstring>
#include <string>
#include <vector>

using namespace zmtp::wire;
using bytes = std::vector<std::uint8_t>;

namespace {

bytes peer_handshake(std::string_view type = "PAIR") {
    std::uint8_t g[greeting_size];
    encode_greeting(g);
    bytes out(g, g + greeting_size);
    append_ready(out, type, {});
    return out;
}

bytes data_frame(std::size_t size, bool more = false, std::uint8_t fill = 'x') {
    bytes body(size, fill);
    bytes out;
    append_frame(out, body.data(), body.size(), more, false);
    return out;
}

/// What came out, as text: "H" handshake done, "F<flags>:<size>:<first octet>", "E<code>".
struct transcript {
    std::vector<std::string> events;
    bool stopped = false;
};

/// Drains `d`, large bodies read from `rest` (as the engine reads them from the socket).
void drain(frame_decoder &d, transcript &t, const bytes &src, std::size_t &pos) {
    while (!t.stopped) {
        const auto ev = d.next();
        switch (ev.status) {
        case decode_status::need_more:
            return;
        case decode_status::handshake_done:
            t.events.push_back("H");
            break;
        case decode_status::failed:
            t.events.push_back("E" + std::to_string(ev.error.value()));
            t.stopped = true;
            return;
        case decode_status::frame:
            t.events.push_back("F" + std::to_string(ev.header.flags) + ":" +
                               std::to_string(ev.header.size) + ":" +
                               std::to_string(ev.header.size ? ev.body[0] : 0));
            break;
        case decode_status::large_body: {
            bytes body(static_cast<std::size_t>(ev.header.size));
            const std::size_t missing = d.begin_body(body.data());
            REQUIRE(missing > 0);
            if (src.size() - pos < missing) {
                t.stopped = true; // the stream ends mid-body
                return;
            }
            std::memcpy(body.data() + body.size() - missing, src.data() + pos, missing);
            pos += missing;
            d.end_body();
            t.events.push_back("F" + std::to_string(ev.header.flags) + ":" +
                               std::to_string(ev.header.size) + ":" + std::to_string(body[0]));
            break;
        }
        }
    }
}

/// Feeds `src` through read_buffer/commit in reads of at most `chunk` octets.
transcript run(const bytes &src, std::size_t chunk, std::int64_t max = -1) {
    frame_decoder d(socket_kind::pair, max);
    transcript t;
    std::size_t pos = 0;
    drain(d, t, src, pos);
    while (pos < src.size() && !t.stopped) {
        const auto room = d.read_buffer();
        REQUIRE(room.size > 0);
        const std::size_t n = std::min({room.size, chunk, src.size() - pos});
        std::memcpy(room.data, src.data() + pos, n);
        d.commit(n);
        pos += n;
        drain(d, t, src, pos);
    }
    return t;
}

} // namespace

TEST_CASE("frame_decoder: handshake then frames, whatever the read sizes", "[wire][decoder]") {
    bytes src = peer_handshake();
    for (std::size_t size : {0, 1, 255, 256, 8192, 8193, 70000, 3}) {
        const auto f = data_frame(size, size == 255, static_cast<std::uint8_t>(size));
        src.insert(src.end(), f.begin(), f.end());
    }
    const auto whole = run(src, src.size());
    REQUIRE(whole.events.size() == 9);
    CHECK(whole.events[0] == "H");
    CHECK(whole.events[3] == "F1:255:255");
    CHECK(whole.events[7] == "F2:70000:112"); // 70000 & 0xff
    for (std::size_t chunk : {1, 2, 7, 64, 100, 1000, 4096, 65536}) {
        INFO("chunk " << chunk);
        CHECK(run(src, chunk).events == whole.events);
    }
}

TEST_CASE("frame_decoder: a large body is handed out once its header is in",
          "[wire][decoder]") {
    frame_decoder d(socket_kind::pair);
    d.feed(peer_handshake().data(), peer_handshake().size());
    REQUIRE(d.next().status == decode_status::handshake_done);
    const auto f = data_frame(100000);
    d.feed(f.data(), 9 + 10); // header and 10 octets of the body
    const auto ev = d.next();
    REQUIRE(ev.status == decode_status::large_body);
    CHECK(ev.header.size == 100000);
    bytes body(100000);
    CHECK(d.begin_body(body.data()) == 100000 - 10);
    CHECK(d.buffered() == 0);
    d.end_body();
    // The read after a body is short: the next header comes without a big copy.
    CHECK(d.read_buffer().size <= frame_decoder::after_body_read);
}

TEST_CASE("frame_decoder: limits refuse a declared size before any allocation",
          "[wire][decoder]") {
    SECTION("MAXMSGSIZE") {
        bytes src = peer_handshake();
        const std::uint8_t huge[] = {0x02, 0, 0, 0, 1, 0, 0, 0, 0}; // 2^32 declared
        src.insert(src.end(), huge, huge + sizeof huge);
        const auto t = run(src, src.size(), 1000);
        REQUIRE(t.events.size() == 2);
        CHECK(t.events[1] ==
              "E" + std::to_string(static_cast<int>(wire_errc::message_too_large)));
    }
    SECTION("a handshake command above 64 KiB, without MAXMSGSIZE") {
        std::uint8_t g[greeting_size];
        encode_greeting(g);
        bytes src(g, g + greeting_size);
        const std::uint8_t header[] = {0x06, 0, 0, 0, 0, 0, 1, 0, 1}; // 65537 declared
        src.insert(src.end(), header, header + sizeof header);
        frame_decoder d(socket_kind::pair);
        d.feed(src.data(), src.size());
        const auto ev = d.next();
        REQUIRE(ev.status == decode_status::failed);
        CHECK(ev.error == wire_errc::handshake_command_too_large);
        CHECK(d.next().status == decode_status::failed); // and it stays failed
    }
}

TEST_CASE("frame_decoder: handshake failure leaves the ERROR to send", "[wire][decoder]") {
    frame_decoder d(socket_kind::pair);
    const auto src = peer_handshake("PUB");
    d.feed(src.data(), src.size());
    const auto ev = d.next();
    REQUIRE(ev.status == decode_status::failed);
    CHECK(ev.error == wire_errc::socket_type_mismatch);
    CHECK(!d.handshake_reply().empty());
}

TEST_CASE("frame_decoder: the input buffer grows with traffic and shrinks when it is light",
          "[wire][decoder]") {
    frame_decoder d(socket_kind::pair);
    auto room = d.read_buffer();
    CHECK(room.size == frame_decoder::min_buffer); // an idle connection holds only this
    const auto hs = peer_handshake();
    std::memcpy(room.data, hs.data(), hs.size());
    d.commit(hs.size());
    REQUIRE(d.next().status == decode_status::handshake_done);
    // A read that fills the buffer makes it max_buffer at once (no doubling steps), and it
    // stays there while reads keep filling it.
    const auto small = data_frame(1);
    for (int i = 0; i < 10; ++i) {
        room = d.read_buffer();
        for (std::size_t off = 0; off + small.size() <= room.size; off += small.size())
            std::memcpy(room.data + off, small.data(), small.size());
        const std::size_t whole = room.size - room.size % small.size();
        // Fill completely: a trailing partial frame stays buffered.
        std::memcpy(room.data + whole, small.data(), room.size - whole);
        d.commit(room.size);
        while (d.next().status == decode_status::frame) {
        }
        if (i == 0) {
            d.read_buffer();
            CHECK(d.capacity() == frame_decoder::max_buffer);
        }
    }
    CHECK(d.capacity() == frame_decoder::max_buffer);
    // Drain with a small read, then the next read gets the small buffer again.
    while (d.buffered() != 0) {
        room = d.read_buffer();
        const std::size_t need = small.size() - d.buffered() % small.size();
        std::memcpy(room.data, small.data() + (small.size() - need), need);
        d.commit(need);
        while (d.next().status == decode_status::frame) {
        }
    }
    // One more small read, drained: the traffic is light now.
    room = d.read_buffer();
    std::memcpy(room.data, small.data(), small.size());
    d.commit(small.size());
    REQUIRE(d.next().status == decode_status::frame);
    room = d.read_buffer();
    CHECK(d.capacity() == frame_decoder::min_buffer); // the next read gets the small buffer
}

TEST_CASE("frame_decoder: a small frame larger than the buffer makes it grow",
          "[wire][decoder]") {
    bytes src = peer_handshake();
    const auto f = data_frame(frame_decoder::direct_threshold); // 8 KiB: not a large body
    src.insert(src.end(), f.begin(), f.end());
    const auto t = run(src, 512);
    REQUIRE(t.events.size() == 2);
    CHECK(t.events[1] == "F2:8192:120");
}
