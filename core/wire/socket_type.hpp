// Socket types as they appear in READY's Socket-Type property, and the table of valid peer
// combinations (RFC 23 §The Socket-Type Property, RFC 37; conformance C-TYPE-1, C-HS-7).
#pragma once

#include <optional>
#include <string_view>

namespace zmtp::wire {

/// Socket types, numbered as in libzmq's zmq.h.
enum class socket_kind {
    pair = 0,
    pub = 1,
    sub = 2,
    req = 3,
    rep = 4,
    dealer = 5,
    router = 6,
    pull = 7,
    push = 8,
    xpub = 9,
    xsub = 10,
    stream = 11,
};

/// Upper-case wire name: "PAIR", "PUB", ... ("" for an out-of-range value).
std::string_view socket_type_name(socket_kind kind) noexcept;

/// Kind for an exact (case-sensitive) wire name; nullopt for anything else, e.g. "pub".
std::optional<socket_kind> socket_kind_from_name(std::string_view name) noexcept;

/// True if a socket of kind `ours` may talk to a peer of kind `peer` (C-TYPE-1).
bool socket_types_compatible(socket_kind ours, socket_kind peer) noexcept;

/// Same on wire names; names compare case-sensitively as libzmq does (C-HS-7), unknown names are
/// never compatible.
bool socket_types_compatible(std::string_view ours, std::string_view peer) noexcept;

} // namespace zmtp::wire
