// libFuzzer entry point for core/wire: arbitrary bytes through the greeting parser, the NULL
// handshake (whole, split and byte-wise), the frame header decoder and every command parser,
// checking invariants (bounds, determinism, encode/decode round trips) and aborting on breakage.
#include "core/wire/command.hpp"
#include "core/wire/frame.hpp"
#include "core/wire/greeting.hpp"
#include "core/wire/handshake.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

using namespace zmtp::wire;

/// Aborts (a crash for libFuzzer, a failure for the replay test) when an invariant breaks.
void expect(bool ok) {
    if (!ok) {
        std::abort();
    }
}

/// True if [p, p+n) lies inside [base, base+size).
bool inside(const void *p, std::size_t n, const std::uint8_t *base, std::size_t size) {
    const auto *b = static_cast<const std::uint8_t *>(p);
    return n == 0 || (b >= base && b + n <= base + size);
}

void fuzz_greeting(const std::uint8_t *data, std::size_t size) {
    greeting_parser whole;
    const auto a = whole.feed(data, size);
    expect(a.consumed <= greeting_size && a.consumed <= size);
    expect((a.status == parse_status::failed) == static_cast<bool>(a.error));
    greeting_parser bytewise;
    greeting_result b;
    std::size_t total = 0;
    for (std::size_t i = 0; i < size && bytewise.status() == parse_status::need_more; ++i) {
        b = bytewise.feed(data + i, 1);
        total += b.consumed;
    }
    expect(bytewise.status() == whole.status());
    expect(size == 0 || (b.error == a.error && total == a.consumed));
}

void fuzz_handshake(const std::uint8_t *data, std::size_t size, socket_kind kind,
                    std::int64_t max) {
    null_handshake whole(kind, max);
    std::vector<std::uint8_t> out_whole;
    const auto a = whole.feed(data, size, out_whole);
    expect(a.consumed <= size);
    expect((a.status == parse_status::failed) == static_cast<bool>(a.error));
    if (a.status == parse_status::done) {
        expect(a.consumed >= greeting_size + short_header_size);
        expect(out_whole.empty());
    }

    // Any split must reach the same verdict after the same number of bytes.
    const std::size_t split = size == 0 ? 0 : data[size / 2] % (size + 1);
    null_handshake halves(kind, max);
    std::vector<std::uint8_t> out_halves;
    auto b = halves.feed(data, split, out_halves);
    std::size_t used = b.consumed;
    if (b.status == parse_status::need_more) {
        b = halves.feed(data + split, size - split, out_halves);
        used += b.consumed;
    }
    expect(b.status == a.status && b.error == a.error && used == a.consumed);
    expect(out_halves == out_whole);

    if (size <= 4096) {
        null_handshake bytewise(kind, max);
        std::vector<std::uint8_t> out_bytes;
        std::size_t total = 0;
        for (std::size_t i = 0; i < size && bytewise.status() == parse_status::need_more; ++i) {
            total += bytewise.feed(data + i, 1, out_bytes).consumed;
        }
        expect(bytewise.status() == a.status && bytewise.error() == a.error);
        expect(total == a.consumed && out_bytes == out_whole);
    }
}

void fuzz_command(const std::uint8_t *body, std::size_t n) {
    const auto cmd = parse_command(body, n);
    if (!cmd) {
        return;
    }
    expect(!cmd->name.empty() && inside(cmd->name.data(), cmd->name.size(), body, n));
    expect(inside(cmd->data, cmd->size, body, n));
    expect(1 + cmd->name.size() + cmd->size == n);

    const auto ready = parse_ready(*cmd);
    if (!ready.error) {
        // Re-encoding the properties and parsing again gives the same list.
        std::vector<std::uint8_t> again;
        append_ready_properties(again, ready.properties);
        const auto h = decode_frame_header(again.data(), again.size(), -1);
        expect(h.status == header_status::ok && h.header.command());
        const auto cmd2 = parse_command(again.data() + h.header.header_size,
                                        static_cast<std::size_t>(h.header.size));
        expect(cmd2.has_value());
        const auto ready2 = parse_ready(*cmd2);
        expect(!ready2.error && ready2.properties == ready.properties);
        (void)find_property(ready.properties, socket_type_property);
    }
    if (const auto reason = parse_error_reason(*cmd)) {
        expect(reason->size() <= max_error_reason &&
               inside(reason->data(), reason->size(), body, n));
    }
    const auto ping = parse_ping(*cmd);
    expect(inside(ping.context.data(), ping.context.size(), body, n));
    std::vector<std::uint8_t> pong;
    append_pong(pong, ping.context);
    expect(pong.size() <= short_header_size + 5 + max_ping_context);
}

void fuzz_subscription(std::uint8_t flags, const std::uint8_t *body, std::size_t n) {
    const auto sub = decode_subscription(flags, body, n);
    if (!sub) {
        return;
    }
    expect(inside(sub->topic.data(), sub->topic.size(), body, n));
    for (std::uint8_t minor : {0, 1}) {
        std::vector<std::uint8_t> frame;
        append_subscription(frame, sub->subscribe, sub->topic, minor);
        const auto h = decode_frame_header(frame.data(), frame.size(), -1);
        expect(h.status == header_status::ok);
        expect(h.header.header_size + h.header.size == frame.size());
        const auto back = decode_subscription(h.header.flags, frame.data() + h.header.header_size,
                                              static_cast<std::size_t>(h.header.size));
        expect(back && back->subscribe == sub->subscribe && back->topic == sub->topic);
    }
}

void fuzz_frames(const std::uint8_t *data, std::size_t size, std::int64_t max) {
    std::size_t pos = 0;
    while (pos < size) {
        const auto r = decode_frame_header(data + pos, size - pos, max);
        if (r.status != header_status::ok) {
            expect((r.status == header_status::failed) == static_cast<bool>(r.error));
            return;
        }
        const auto &h = r.header;
        expect(h.header_size == short_header_size || h.header_size == long_header_size);
        expect(h.header_size <= size - pos);
        expect(h.size < (std::uint64_t{1} << 63));
        expect(max < 0 || h.size <= static_cast<std::uint64_t>(max));
        expect((h.flags & ~(flag_more | flag_long | flag_command)) == 0);
        expect(!(h.command() && h.more()));

        // The canonical re-encoding decodes to the same frame.
        std::uint8_t hdr[max_header_size];
        const std::size_t hn = encode_frame_header(hdr, h.size, h.more(), h.command());
        const auto again = decode_frame_header(hdr, hn, -1);
        expect(again.status == header_status::ok && again.header.size == h.size);
        expect(again.header.more() == h.more() && again.header.command() == h.command());

        pos += h.header_size;
        if (h.size > size - pos) {
            return; // body not all here
        }
        const auto n = static_cast<std::size_t>(h.size);
        if (h.command()) {
            fuzz_command(data + pos, n);
        }
        fuzz_subscription(h.flags, data + pos, n);
        pos += n;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    fuzz_greeting(data, size);
    fuzz_handshake(data, size, socket_kind::pub, -1);
    fuzz_handshake(data, size, socket_kind::sub, 64);
    fuzz_handshake(data, size, socket_kind::pair, 0);
    fuzz_frames(data, size, -1);
    fuzz_frames(data, size, 300);
    if (size > greeting_size) {
        fuzz_frames(data + greeting_size, size - greeting_size, -1);
    }
    fuzz_command(data, size);
    if (size > 0) {
        fuzz_subscription(data[0], data + 1, size - 1);
    }
    return 0;
}
