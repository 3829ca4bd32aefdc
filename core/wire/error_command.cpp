// ERROR command builder and parser (RFC 23 §Error Handling, RFC 37 grammar; C-TYPE-4/5).
#include "core/wire/error_command.hpp"

#include "core/wire/byte_order.hpp"

namespace zmtp::wire {

void append_error(std::vector<std::uint8_t> &out, std::string_view reason) {
    reason = reason.substr(0, max_error_reason);
    append_command_header(out, error_command, 1 + reason.size());
    out.push_back(static_cast<std::uint8_t>(reason.size()));
    detail::append_chars(out, reason);
}

std::optional<std::string_view> parse_error_reason(const command_view &cmd) noexcept {
    if (cmd.name != error_command || cmd.size < 1) {
        return std::nullopt;
    }
    const std::size_t reason_size = cmd.data[0];
    if (reason_size > cmd.size - 1) {
        return std::nullopt;
    }
    return std::string_view(reinterpret_cast<const char *>(cmd.data + 1), reason_size);
}

} // namespace zmtp::wire
