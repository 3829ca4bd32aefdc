// Socket-type names and the compatibility table (RFC 23 §The Socket-Type Property; C-TYPE-1).
#include "core/wire/socket_type.hpp"

#include <cstddef>
#include <cstdint>
#include <iterator>

namespace zmtp::wire {
namespace {

constexpr std::string_view names[] = {"PAIR",   "PUB",  "SUB",  "REQ",  "REP",  "DEALER",
                                      "ROUTER", "PULL", "PUSH", "XPUB", "XSUB", "STREAM"};
constexpr std::size_t kind_count = std::size(names);

constexpr std::uint32_t bit(socket_kind k) noexcept {
    return std::uint32_t{1} << static_cast<unsigned>(k);
}

// Valid peers for each kind, indexed by socket_kind. STREAM speaks raw TCP, never ZMTP, so it has
// no ZMTP partner.
constexpr std::uint32_t partners[kind_count] = {
    bit(socket_kind::pair),                                                      // PAIR
    bit(socket_kind::sub) | bit(socket_kind::xsub),                              // PUB
    bit(socket_kind::pub) | bit(socket_kind::xpub),                              // SUB
    bit(socket_kind::rep) | bit(socket_kind::router),                            // REQ
    bit(socket_kind::req) | bit(socket_kind::dealer),                            // REP
    bit(socket_kind::rep) | bit(socket_kind::dealer) | bit(socket_kind::router), // DEALER
    bit(socket_kind::req) | bit(socket_kind::dealer) | bit(socket_kind::router), // ROUTER
    bit(socket_kind::push),                                                      // PULL
    bit(socket_kind::pull),                                                      // PUSH
    bit(socket_kind::sub) | bit(socket_kind::xsub),                              // XPUB
    bit(socket_kind::pub) | bit(socket_kind::xpub),                              // XSUB
    0,                                                                           // STREAM
};

bool in_range(socket_kind k) noexcept {
    const auto i = static_cast<int>(k);
    return i >= 0 && static_cast<std::size_t>(i) < kind_count;
}

} // namespace

std::string_view socket_type_name(socket_kind kind) noexcept {
    return in_range(kind) ? names[static_cast<std::size_t>(kind)] : std::string_view{};
}

std::optional<socket_kind> socket_kind_from_name(std::string_view name) noexcept {
    for (std::size_t i = 0; i < kind_count; ++i) {
        if (names[i] == name) {
            return static_cast<socket_kind>(i);
        }
    }
    return std::nullopt;
}

bool socket_types_compatible(socket_kind ours, socket_kind peer) noexcept {
    if (!in_range(ours) || !in_range(peer)) {
        return false;
    }
    return (partners[static_cast<std::size_t>(ours)] & bit(peer)) != 0;
}

bool socket_types_compatible(std::string_view ours, std::string_view peer) noexcept {
    const auto a = socket_kind_from_name(ours);
    const auto b = socket_kind_from_name(peer);
    return a && b && socket_types_compatible(*a, *b);
}

} // namespace zmtp::wire
