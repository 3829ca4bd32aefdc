// engine_rig: see engine_rig.hpp.
#include "tests/engine/engine_rig.hpp"

#include "core/metadata.hpp"
#include "core/wire/frame.hpp"
#include "core/wire/heartbeat.hpp"

#include <stdexcept>

namespace zmtp::test {

std::vector<peer_frame> peer_reader::feed(const std::vector<std::uint8_t>& bytes) {
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
    std::size_t pos = 0;
    if (!handshake_done()) {
        std::vector<std::uint8_t> reply; // the peer's own output is not needed here
        auto r = handshake_.feed(buf_.data(), buf_.size(), reply);
        if (r.status == wire::parse_status::failed)
            throw std::runtime_error("peer: the engine's handshake is invalid");
        pos = r.consumed;
    }
    std::vector<peer_frame> frames;
    while (handshake_done()) {
        auto h = wire::decode_frame_header(buf_.data() + pos, buf_.size() - pos);
        if (h.status == wire::header_status::failed)
            throw std::runtime_error("peer: the engine wrote an invalid frame");
        if (h.status == wire::header_status::need_more ||
            buf_.size() - pos < h.header.header_size + h.header.size)
            break;
        const auto* body = reinterpret_cast<const char*>(buf_.data() + pos + h.header.header_size);
        frames.push_back({std::string(body, h.header.size), h.header.more(), h.header.command()});
        pos += h.header.header_size + h.header.size;
    }
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos));
    return frames;
}

std::vector<std::uint8_t> peer_greeting_and_ready(wire::socket_kind peer_kind) {
    std::vector<std::uint8_t> out;
    wire::null_handshake(peer_kind).initial_output(out);
    return out;
}

void append_message_frame(std::vector<std::uint8_t>& out, const std::string& body, bool more) {
    wire::append_frame(out, reinterpret_cast<const std::uint8_t*>(body.data()), body.size(), more,
                       false);
}

std::vector<std::uint8_t> ping_bytes(std::uint16_t ttl_ds, const std::string& context) {
    std::vector<std::uint8_t> out;
    wire::append_ping(out, ttl_ds, context);
    return out;
}

engine_rig::engine_rig(rig_options o) : peer_kind_(o.kind), reader_(o.kind) {
    auto [a, e] = detail::pipe_end::make_pair(1000, 1000);
    app = a;
    engine_side = e;
    detail::engine_config cfg;
    cfg.endpoint = "tcp://test";
    cfg.kind = o.kind;
    cfg.handshake_ivl = o.handshake_ivl;
    cfg.heartbeat_ivl = o.heartbeat_ivl;
    cfg.heartbeat_ttl = o.heartbeat_ttl;
    cfg.heartbeat_timeout = o.heartbeat_timeout;
    cfg.clock = &clock;
    engine = std::make_shared<detail::stream_engine>(io, test_stream::engine_end(io, stream),
                                                     std::move(cfg), host);
}

engine_rig::~engine_rig() {
    // Release what the engine holds of itself and run the cancelled handlers, so nothing
    // leaks (LeakSanitizer runs these tests too).
    engine->stop({});
    clock.run_ready();
    if (!app.closed())
        app.close();
}

void engine_rig::start() {
    engine->start(engine_side);
    run();
}

void engine_rig::handshake() {
    peer_greets();
    run();
    peer_reads();
    if (!reader_.handshake_done())
        throw std::runtime_error("rig: the engine did not send its greeting and READY");
}

std::vector<std::string> engine_rig::app_receives() {
    std::vector<std::string> out;
    message m;
    while (app.read(m)) {
        if (detail::message_metadata::is_marker(m))
            continue;
        out.push_back(m.to_string());
    }
    return out;
}

void engine_rig::app_sends(const std::string& body, bool more) {
    message m(std::string_view{body});
    m.set_more(more);
    app.write(std::move(m));
}

} // namespace zmtp::test
