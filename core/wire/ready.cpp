// READY builder and metadata parser (RFC 23/37 §The NULL Security Mechanism, §Connection
// Metadata; C-HS-2, C-HS-4, C-HS-7).
#include "core/wire/ready.hpp"

#include "core/wire/byte_order.hpp"
#include "core/wire/error.hpp"

#include <algorithm>

namespace zmtp::wire {
namespace {

constexpr std::size_t value_length_size = 4;

std::size_t property_size(std::string_view name, std::string_view value) noexcept {
    return 1 + name.size() + value_length_size + value.size();
}

void append_property(std::vector<std::uint8_t> &out, std::string_view name,
                     std::string_view value) {
    out.push_back(static_cast<std::uint8_t>(name.size()));
    detail::append_chars(out, name);
    detail::append_be(out, value.size(), value_length_size);
    detail::append_chars(out, value);
}

char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

} // namespace

void append_ready(std::vector<std::uint8_t> &out, std::string_view socket_type,
                  std::string_view identity) {
    std::size_t data_size = property_size(socket_type_property, socket_type);
    if (!identity.empty()) {
        data_size += property_size(identity_property, identity);
    }
    append_command_header(out, ready_command, data_size);
    append_property(out, socket_type_property, socket_type);
    if (!identity.empty()) {
        append_property(out, identity_property, identity);
    }
}

void append_ready_properties(std::vector<std::uint8_t> &out, const property_list &properties) {
    std::size_t data_size = 0;
    for (const auto &[name, value] : properties) {
        data_size += property_size(name, value);
    }
    append_command_header(out, ready_command, data_size);
    for (const auto &[name, value] : properties) {
        append_property(out, name, value);
    }
}

ready_result parse_ready(const command_view &cmd) {
    ready_result r;
    if (cmd.name != ready_command) {
        r.error = wire_errc::unexpected_command;
        return r;
    }
    const std::uint8_t *p = cmd.data;
    std::size_t left = cmd.size;
    while (left > 0) {
        const std::size_t name_size = p[0];
        // Every bound is checked against what is left before anything is copied.
        if (name_size == 0 || left < 1 + name_size + value_length_size) {
            r.error = wire_errc::malformed_command;
            return r;
        }
        const std::uint64_t value_size = detail::load_be(p + 1 + name_size, value_length_size);
        const std::size_t fixed = 1 + name_size + value_length_size;
        if (value_size > max_property_value || value_size > left - fixed) {
            r.error = wire_errc::malformed_command;
            return r;
        }
        const auto *chars = reinterpret_cast<const char *>(p);
        r.properties.emplace_back(std::string(chars + 1, name_size),
                                  std::string(chars + fixed, static_cast<std::size_t>(value_size)));
        p += fixed + static_cast<std::size_t>(value_size);
        left -= fixed + static_cast<std::size_t>(value_size);
    }
    return r;
}

std::optional<std::string_view> find_property(const property_list &properties,
                                              std::string_view name) noexcept {
    for (const auto &[key, value] : properties) {
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(),
                       [](char a, char b) { return ascii_lower(a) == ascii_lower(b); })) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

} // namespace zmtp::wire
