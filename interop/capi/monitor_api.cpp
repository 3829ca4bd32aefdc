// zmq_socket_monitor: the core reports events through socket::monitor (libzmq's numbers and
// values); this file turns them into libzmq's event messages on an inproc PAIR that the
// monitor binds at the given address (frame 1: uint16 event + uint32 value in host byte
// order, frame 2: the endpoint), and stops with a NULL address or when the socket closes.
#include "interop/capi/errors.hpp"
#include "interop/capi/handles.hpp"
#include "interop/capi/monitor_sink.hpp"

#include <zmq.h>

#include <cstring>
#include <memory>
#include <new>
#include <string_view>

using namespace zmtp::capi;

namespace zmtp::capi {

void monitor_sink::deliver(zmtp::socket_event event, std::uint32_t value,
                           const std::string &endpoint) {
    const auto id = static_cast<std::uint16_t>(event);
    const bool last = event == zmtp::socket_event::monitor_stopped;
    std::lock_guard<std::mutex> lock(mutex_);
    if (!pair_)
        return;
    // The core always reports MONITOR_STOPPED (the monitor's last event: the PAIR closes
    // after it); libzmq sends it only when the mask asks for it.
    if (mask_ & id) {
        unsigned char head[6];
        std::memcpy(head, &id, sizeof id);
        std::memcpy(head + sizeof id, &value, sizeof value);
        std::error_code ec;
        // Frames of one message are published together: the second cannot be refused for
        // space once the first was taken.
        if (pair_->send(head, sizeof head, send_flags::dontwait | send_flags::sndmore, ec))
            pair_->send(endpoint.data(), endpoint.size(), send_flags::dontwait, ec);
    }
    if (last) {
        pair_->close();
        pair_.reset();
    }
}

void monitor_sink::close() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pair_) {
        pair_->close();
        pair_.reset();
    }
}

} // namespace zmtp::capi

namespace {

/// Stops the current monitor of `h`, if any (the sink sees MONITOR_STOPPED first).
void stop_monitor(socket_handle &h) {
    if (!h.monitor)
        return;
    h.sock->monitor({}, 0);
    h.monitor->close();
    h.monitor.reset();
}

/// libzmq's parse_uri: "scheme://address", both parts non-empty.
bool split_uri(std::string_view uri, std::string_view &scheme) {
    const auto pos = uri.find("://");
    if (pos == std::string_view::npos || pos == 0 || pos + 3 == uri.size())
        return false;
    scheme = uri.substr(0, pos);
    return true;
}

} // namespace

extern "C" {

int zmq_socket_monitor(void *s_, const char *addr_, int events_) {
    socket_handle *h = as_socket(s_);
    if (!h)
        return fail(std::errc::not_a_socket);
    // libzmq's event version 1 carries 16 event bits only.
    if (static_cast<unsigned>(events_) >> 16 != 0)
        return fail(std::errc::invalid_argument);
    if (!addr_) {
        stop_monitor(*h);
        return 0;
    }
    std::string_view scheme;
    if (!split_uri(addr_, scheme))
        return fail(std::errc::invalid_argument);
    if (scheme != "inproc") // events travel over inproc only, as in libzmq
        return fail(std::errc::protocol_not_supported);
    stop_monitor(*h);

    std::error_code ec;
    zmtp::socket pair(h->ctx->ctx, zmtp::socket_type::pair, ec);
    if (!ec)
        pair.set(zmtp::opt::linger, 0, ec); // never hold up context termination
    if (!ec)
        pair.bind(addr_, ec);
    if (ec)
        return fail(ec);
    std::shared_ptr<monitor_sink> sink;
    try {
        sink = std::make_shared<monitor_sink>(std::move(pair), static_cast<std::uint32_t>(events_));
        h->sock->monitor(
            [sink](zmtp::socket_event event, std::uint32_t value, const std::string &endpoint) {
                sink->deliver(event, value, endpoint);
            },
            static_cast<std::uint32_t>(events_));
    } catch (const std::bad_alloc &) {
        if (sink)
            sink->close();
        return fail(std::errc::not_enough_memory);
    }
    h->monitor = std::move(sink);
    return 0;
}

} // extern "C"
