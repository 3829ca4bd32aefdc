// NULL handshake state machine: greeting, then exactly one READY (or a fatal ERROR) from the
// peer (RFC 23/37 §The NULL Security Mechanism; C-HS-1..8, C-TYPE-1/2, C-FRM-7).
#include "core/wire/handshake.hpp"

#include "core/wire/command_frame.hpp"
#include "core/wire/error.hpp"
#include "core/wire/error_command.hpp"

#include <algorithm>
#include <utility>

namespace zmtp::wire {

null_handshake::null_handshake(socket_kind ours, std::int64_t max_msg_size, std::string identity)
    : ours_(ours), max_msg_size_(max_msg_size), identity_(std::move(identity)) {}

void null_handshake::initial_output(std::vector<std::uint8_t> &out) const {
    std::uint8_t greeting[greeting_size];
    encode_greeting(greeting, our_minor_version);
    out.insert(out.end(), greeting, greeting + greeting_size);
    append_ready(out, socket_type_name(ours_), identity_);
}

parse_status null_handshake::status() const noexcept {
    switch (phase_) {
    case phase::done:
        return parse_status::done;
    case phase::failed:
        return parse_status::failed;
    default:
        return parse_status::need_more;
    }
}

std::uint8_t null_handshake::peer_minor() const noexcept {
    const auto &peer = greeting_.peer();
    return (peer.major > 3 || peer.minor >= 1) ? 1 : 0;
}

std::string_view null_handshake::peer_socket_type() const noexcept {
    return find_property(properties_, socket_type_property).value_or(std::string_view{});
}

handshake_result null_handshake::fail(std::size_t consumed, std::error_code ec) {
    phase_ = phase::failed;
    error_ = ec;
    buf_.clear();
    buf_.shrink_to_fit();
    return {consumed, parse_status::failed, ec};
}

handshake_result null_handshake::feed(const std::uint8_t *p, std::size_t n,
                                      std::vector<std::uint8_t> &out) {
    std::size_t used = 0;
    if (phase_ == phase::greeting) {
        const auto g = greeting_.feed(p, n);
        used = g.consumed;
        if (g.status == parse_status::failed) {
            return fail(used, g.error);
        }
        if (g.status == parse_status::need_more) {
            return {used, parse_status::need_more, {}};
        }
        phase_ = phase::header;
    }
    while (phase_ == phase::header || phase_ == phase::body) {
        if (phase_ == phase::header) {
            // Take only what the header needs: 2 octets, or 9 once LONG is seen.
            const bool is_long = !buf_.empty() && (buf_[0] & flag_long) != 0;
            const std::size_t want = is_long ? long_header_size : short_header_size;
            const std::size_t take = std::min(want - buf_.size(), n - used);
            buf_.insert(buf_.end(), p + used, p + used + take);
            used += take;
            const auto h = decode_frame_header(buf_.data(), buf_.size(), max_msg_size_);
            if (h.status == header_status::failed) {
                return fail(used, h.error);
            }
            if (h.status == header_status::need_more) {
                if (used == n) {
                    break;
                }
                continue;
            }
            if (!h.header.command()) {
                return fail(used, wire_errc::unexpected_command); // data before READY (C-HS-8)
            }
            if (h.header.size > max_handshake_command) {
                // Dropped on the declared size, before any of the body is buffered.
                return fail(used, wire_errc::handshake_command_too_large);
            }
            header_ = h.header;
            buf_.clear();
            phase_ = phase::body;
        }
        // The body grows only as bytes arrive: a declared size is never allocated up front.
        const std::uint64_t missing = header_.size - buf_.size();
        const std::size_t take = static_cast<std::size_t>(
            std::min<std::uint64_t>(missing, static_cast<std::uint64_t>(n - used)));
        buf_.insert(buf_.end(), p + used, p + used + take);
        used += take;
        if (buf_.size() < header_.size) {
            break;
        }
        if (auto ec = on_command(out)) {
            return fail(used, ec);
        }
        phase_ = phase::done;
        buf_.clear();
        buf_.shrink_to_fit();
    }
    return {used, status(), error_};
}

std::error_code null_handshake::on_command(std::vector<std::uint8_t> &out) {
    const auto cmd = parse_command(buf_.data(), buf_.size());
    if (!cmd) {
        return wire_errc::malformed_command;
    }
    if (cmd->name == error_command) {
        const auto reason = parse_error_reason(*cmd);
        if (!reason) {
            return wire_errc::malformed_command;
        }
        error_reason_.assign(reason->data(), reason->size());
        return wire_errc::error_received;
    }
    if (cmd->name != ready_command) {
        return wire_errc::unexpected_command; // PING, SUBSCRIBE, unknown... (C-HS-8)
    }
    auto ready = parse_ready(*cmd);
    if (ready.error) {
        return wire_errc::malformed_command;
    }
    properties_ = std::move(ready.properties);
    // Which of two Socket-Types would count is ambiguous (libzmq checks each): refuse both.
    const auto named_type = [](const property &p) { return p.first == socket_type_property; };
    if (std::count_if(properties_.begin(), properties_.end(), named_type) > 1) {
        return wire_errc::malformed_command;
    }
    // No Socket-Type at all is accepted, as libzmq does (C-HS-7).
    const auto peer_type = find_property(properties_, socket_type_property);
    if (peer_type && !socket_types_compatible(socket_type_name(ours_), *peer_type)) {
        append_error(out, socket_type_error_reason); // RFC 23 SHOULD (C-TYPE-2)
        return wire_errc::socket_type_mismatch;
    }
    return {};
}

} // namespace zmtp::wire
