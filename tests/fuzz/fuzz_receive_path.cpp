// libFuzzer entry point for the whole receive path: greeting + NULL handshake + frames through
// wire::frame_decoder, fed once whole and once in reads whose sizes are derived from the input
// (large bodies read "in place" in chunks too, as the engine does). The events, frame contents
// and errors must be identical, and the buffer must stay within its bounds; else abort.
//
// Input layout: octet 0 picks our socket type and MAXMSGSIZE, octets 1-8 seed the read sizes,
// the rest is the peer's byte stream.
#include "core/wire/frame_decoder.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

using namespace zmtp::wire;

void expect(bool ok) {
    if (!ok) {
        std::abort();
    }
}

struct event {
    decode_status status;
    std::uint8_t flags = 0;
    std::string body; // frame contents, or the error's value
    bool operator==(const event &o) const {
        return status == o.status && flags == o.flags && body == o.body;
    }
};

struct outcome {
    std::vector<event> events;
    std::vector<std::uint8_t> reply;
    bool operator==(const outcome &o) const { return events == o.events && reply == o.reply; }
};

/// Read sizes: 1..70000 with many small ones, from an xorshift seeded by the input.
struct reads {
    std::uint64_t state;
    std::size_t next() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        switch (state % 4) {
        case 0:
            return 1 + (state >> 8) % 8;
        case 1:
            return 1 + (state >> 8) % 300;
        case 2:
            return 1 + (state >> 8) % 9000;
        default:
            return 1 + (state >> 8) % 70000;
        }
    }
};

/// Decodes `src` into `out`. `chunks`: read through read_buffer() in sizes from it, else feed
/// everything at once. Stops at a failure or when the stream ends (mid-frame or not).
void decode(frame_decoder &d, const std::uint8_t *src, std::size_t n, reads *chunks,
            std::int64_t max, outcome &out) {
    std::size_t pos = 0;
    if (!chunks) {
        d.feed(src, n);
        pos = n;
    }
    for (;;) {
        const auto ev = d.next();
        expect(d.buffered() <= d.capacity());
        switch (ev.status) {
        case decode_status::need_more: {
            if (pos == n) {
                return;
            }
            expect(chunks != nullptr);
            const auto room = d.read_buffer();
            expect(room.size > 0 && room.size <= frame_decoder::max_buffer);
            expect(d.capacity() <= frame_decoder::max_buffer);
            const std::size_t k = std::min({room.size, chunks->next(), n - pos});
            std::memcpy(room.data, src + pos, k);
            d.commit(k);
            pos += k;
            break;
        }
        case decode_status::handshake_done:
            out.events.push_back({ev.status, 0, {}});
            break;
        case decode_status::failed:
            expect(static_cast<bool>(ev.error));
            out.events.push_back({ev.status, 0, std::to_string(ev.error.value())});
            out.reply = d.handshake_reply();
            expect(d.next().status == decode_status::failed); // failure is final
            return;
        case decode_status::frame:
            expect(max < 0 || ev.header.size <= static_cast<std::uint64_t>(max));
            out.events.push_back({ev.status, ev.header.flags,
                                  std::string(reinterpret_cast<const char *>(ev.body),
                                              static_cast<std::size_t>(ev.header.size))});
            break;
        case decode_status::large_body: {
            const std::uint64_t size = ev.header.size;
            expect(size > frame_decoder::direct_threshold ||
                   size + ev.header.header_size > frame_decoder::max_buffer);
            expect(max < 0 || size <= static_cast<std::uint64_t>(max));
            // The engine would allocate `size` now; a body longer than the input cannot end.
            if (size > d.buffered() + (n - pos)) {
                return;
            }
            std::string body(static_cast<std::size_t>(size), '\0');
            auto *dst = reinterpret_cast<std::uint8_t *>(&body[0]);
            std::size_t missing = d.begin_body(dst);
            expect(missing > 0 && missing <= size && d.buffered() == 0);
            std::size_t at = static_cast<std::size_t>(size) - missing;
            while (missing > 0) { // the direct read, in chunks as the kernel returns them
                const std::size_t k =
                    std::min(missing, chunks ? chunks->next() : missing);
                std::memcpy(dst + at, src + pos, k);
                at += k;
                pos += k;
                missing -= k;
            }
            d.end_body();
            out.events.push_back({decode_status::frame, ev.header.flags, std::move(body)});
            break;
        }
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size < 9) {
        return 0;
    }
    static const socket_kind kinds[] = {socket_kind::pair, socket_kind::pub, socket_kind::sub,
                                        socket_kind::push, socket_kind::pull};
    static const std::int64_t maxes[] = {-1, 0, 300, 10000};
    const socket_kind kind = kinds[data[0] % 5];
    const std::int64_t max = maxes[(data[0] / 5) % 4];
    std::uint64_t seed = 0;
    std::memcpy(&seed, data + 1, 8);
    reads chunks{seed | 1};
    const std::uint8_t *stream = data + 9;
    const std::size_t n = size - 9;

    frame_decoder whole(kind, max);
    outcome a;
    decode(whole, stream, n, nullptr, max, a);
    frame_decoder split(kind, max);
    outcome b;
    decode(split, stream, n, &chunks, max, b);
    expect(a == b);
    return 0;
}
