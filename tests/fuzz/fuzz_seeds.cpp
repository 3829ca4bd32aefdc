// Seed inputs for the core/wire fuzz target (see fuzz_seeds.hpp).
#include "tests/fuzz/fuzz_seeds.hpp"

#include "core/wire/command.hpp"
#include "core/wire/frame.hpp"
#include "core/wire/greeting.hpp"

#include <initializer_list>
#include <string>

namespace zmtp::wire::fuzz {
namespace {

using bytes = std::vector<std::uint8_t>;

bytes greeting(std::uint8_t major = 3, std::uint8_t minor = 1) {
    std::uint8_t g[greeting_size];
    encode_greeting(g, minor);
    g[8] = 0x01; // libzmq's padding (C-GRT-2)
    g[10] = major;
    return bytes(g, g + greeting_size);
}

bytes frame(const std::string &body, bool more = false, bool command = false) {
    bytes out;
    append_frame(out, reinterpret_cast<const std::uint8_t *>(body.data()), body.size(), more,
                 command);
    return out;
}

bytes join(std::initializer_list<bytes> parts) {
    bytes out;
    for (const auto &p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

bytes ready(const char *type) {
    bytes out;
    append_ready(out, type);
    return out;
}

} // namespace

std::vector<bytes> seeds() {
    std::vector<bytes> all;
    bytes traffic;
    append_ping(traffic, 15, "ctx");
    append_pong(traffic, "ctx");
    append_subscription(traffic, true, "A", 1);
    append_subscription(traffic, false, "A", 0);
    append_subscription(traffic, true, std::string(246, 'T'), 1);
    const bytes messages =
        join({frame("B-head", true), frame("A-tail"), frame(std::string(308, 'x'))});

    all.push_back(join({greeting(), ready("SUB"), traffic, messages}));
    all.push_back(join({greeting(3, 0), ready("PUB"), frame("\x01topic")}));
    all.push_back(join({greeting(4, 7), ready("PAIR"), messages}));
    all.push_back(join({greeting(2, 0), ready("SUB")}));

    bytes props;
    append_ready_properties(props, {{"Socket-Type", "XSUB"}, {"Identity", "id"}, {"X-Foo", ""}});
    all.push_back(join({greeting(), props}));

    bytes err;
    append_error(err, "400");
    all.push_back(join({greeting(), err}));

    bytes lower = greeting();
    lower[12] = 'n';
    all.push_back(lower);

    // Long-encoded READY, MORE + reserved bits on a command, huge and top-bit sizes.
    const bytes sub_ready = ready("SUB");
    all.push_back(join({greeting(), bytes{0x06, 0, 0, 0, 0, 0, 0, 0, 0x19},
                        bytes(sub_ready.begin() + 2, sub_ready.end())}));
    all.push_back(join({greeting(), bytes{0xFD}, bytes(sub_ready.begin() + 1, sub_ready.end())}));
    all.push_back(join({greeting(), bytes{0x06, 0x80, 0, 0, 0, 0, 0, 0, 0}}));
    all.push_back(join({greeting(), bytes{0x02, 0x00, 0, 1, 0, 0, 0, 0, 0, 'x'}}));
    // Malformed READY bodies and a zero-length command.
    all.push_back(join({greeting(), bytes{0x04, 0x07, 0x05, 'R', 'E', 'A', 'D', 'Y', 0x00}}));
    all.push_back(join(
        {greeting(), bytes{0x04, 0x0c, 0x05, 'R', 'E', 'A', 'D', 'Y', 0x01, 'A', 0x80, 0, 0, 0}}));
    all.push_back(join({greeting(), bytes{0x04, 0x00}}));
    // Bare traffic (no greeting) for the frame walker.
    all.push_back(join({traffic, messages}));
    all.push_back(bytes{});
    return all;
}

} // namespace zmtp::wire::fuzz
