// Command body split and command-frame builder (RFC 23/37 §Commands; C-FRM-5).
#include "core/wire/command_frame.hpp"

#include "core/wire/byte_order.hpp"
#include "core/wire/frame.hpp"

#include <algorithm>
#include <cassert>

namespace zmtp::wire {

std::optional<command_view> parse_command(const std::uint8_t *body, std::size_t n) noexcept {
    if (n < 1) {
        return std::nullopt;
    }
    const std::size_t name_size = body[0];
    if (name_size == 0 || name_size > n - 1) {
        return std::nullopt;
    }
    command_view cmd;
    cmd.name = {reinterpret_cast<const char *>(body + 1), name_size};
    cmd.data = body + 1 + name_size;
    cmd.size = n - 1 - name_size;
    return cmd;
}

void append_command_header(std::vector<std::uint8_t> &out, std::string_view name,
                           std::size_t data_size) {
    assert(!name.empty() && name.size() <= max_command_name);
    // LONG follows the final body size (name octet + name + data), never the data alone: that
    // mistake is libzmq 4.3.4's SUBSCRIBE bug (C-SUBW-6).
    const std::uint64_t body_size = 1 + name.size() + static_cast<std::uint64_t>(data_size);
    std::uint8_t header[max_header_size];
    const std::size_t header_size = encode_frame_header(header, body_size, false, true);
    // Grow geometrically: many commands appended one by one to the same buffer (subscriptions,
    // PONGs) must not copy it once each, which reserving the exact new size would do.
    const std::size_t needed = out.size() + header_size + static_cast<std::size_t>(body_size);
    if (needed > out.capacity())
        out.reserve(std::max(needed, 2 * out.capacity()));
    out.insert(out.end(), header, header + header_size);
    out.push_back(static_cast<std::uint8_t>(name.size()));
    detail::append_chars(out, name);
}

void append_command(std::vector<std::uint8_t> &out, std::string_view name, const std::uint8_t *data,
                    std::size_t size) {
    append_command_header(out, name, size);
    if (size != 0) {
        out.insert(out.end(), data, data + size);
    }
}

} // namespace zmtp::wire
