// zmq_proxy, zmq_proxy_steerable and the deprecated zmq_device: shuttle whole messages between
// two sockets (optionally copying every frame to a capture socket), built on zmq_poll.
#include "interop/capi/errors.hpp"
#include "interop/capi/handles.hpp"

#include <zmq.h>

#include <cstdint>
#include <cstring>

using namespace zmtp::capi;

namespace {

struct direction_stats {
    std::uint64_t msgs_in = 0, bytes_in = 0, msgs_out = 0, bytes_out = 0;
};

/// Moves one whole message from `from` to `to`, copying each frame to `capture`.
int forward(void *from, void *to, void *capture, direction_stats &src, direction_stats &dst) {
    for (;;) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, from, 0) < 0) {
            zmq_msg_close(&msg);
            return -1;
        }
        const bool more = zmq_msg_more(&msg) != 0;
        const std::uint64_t size = zmq_msg_size(&msg);
        int rc = 0;
        if (capture) {
            zmq_msg_t copy;
            zmq_msg_init(&copy);
            zmq_msg_copy(&copy, &msg);
            rc = zmq_msg_send(&copy, capture, more ? ZMQ_SNDMORE : 0);
            zmq_msg_close(&copy);
        }
        if (rc >= 0)
            rc = zmq_msg_send(&msg, to, more ? ZMQ_SNDMORE : 0);
        zmq_msg_close(&msg);
        if (rc < 0)
            return -1;
        src.bytes_in += size;
        dst.bytes_out += size;
        if (!more) {
            ++src.msgs_in;
            ++dst.msgs_out;
            return 0;
        }
    }
}

enum class control_result { go_on, paused, resumed, terminate, failed };

control_result on_control(void *control, const direction_stats (&stats)[2]) {
    char cmd[16] = {};
    const int n = zmq_recv(control, cmd, sizeof cmd - 1, 0);
    if (n < 0)
        return control_result::failed;
    const auto is = [&](const char *word) {
        return static_cast<std::size_t>(n) == std::strlen(word) && std::memcmp(cmd, word, n) == 0;
    };
    if (is("PAUSE"))
        return control_result::paused;
    if (is("RESUME"))
        return control_result::resumed;
    if (is("TERMINATE"))
        return control_result::terminate;
    if (is("STATISTICS")) {
        // Eight uint64 frames: frontend msgs/bytes in, msgs/bytes out, then the backend's.
        const std::uint64_t values[8] = {stats[0].msgs_in,   stats[0].bytes_in, stats[0].msgs_out,
                                         stats[0].bytes_out, stats[1].msgs_in,  stats[1].bytes_in,
                                         stats[1].msgs_out,  stats[1].bytes_out};
        for (int i = 0; i < 8; ++i)
            if (zmq_send(control, &values[i], sizeof values[i], i < 7 ? ZMQ_SNDMORE : 0) < 0)
                return control_result::failed;
    }
    return control_result::go_on; // unknown commands are ignored
}

} // namespace

extern "C" {

int zmq_proxy_steerable(void *frontend_, void *backend_, void *capture_, void *control_) {
    if (!as_socket(frontend_) || !as_socket(backend_) || (capture_ && !as_socket(capture_)) ||
        (control_ && !as_socket(control_)))
        return fail(std::errc::not_a_socket);
    direction_stats stats[2]; // [0] frontend, [1] backend
    bool paused = false;
    zmq_pollitem_t items[3] = {
        {frontend_, 0, ZMQ_POLLIN, 0}, {backend_, 0, ZMQ_POLLIN, 0}, {control_, 0, ZMQ_POLLIN, 0}};
    const int count = control_ ? 3 : 2;
    for (;;) {
        // While paused only the control socket is watched.
        const int rc = paused ? zmq_poll(&items[2], 1, -1) : zmq_poll(items, count, -1);
        if (rc < 0)
            return -1;
        if (control_ && (items[2].revents & ZMQ_POLLIN)) {
            switch (on_control(control_, stats)) {
            case control_result::paused:
                paused = true;
                break;
            case control_result::resumed:
                paused = false;
                break;
            case control_result::terminate:
                return 0;
            case control_result::failed:
                return -1;
            case control_result::go_on:
                break;
            }
            continue; // poll again: the other revents may be stale after a pause
        }
        if ((items[0].revents & ZMQ_POLLIN) &&
            forward(frontend_, backend_, capture_, stats[0], stats[1]) < 0)
            return -1;
        if ((items[1].revents & ZMQ_POLLIN) &&
            forward(backend_, frontend_, capture_, stats[1], stats[0]) < 0)
            return -1;
    }
}

int zmq_proxy(void *frontend_, void *backend_, void *capture_) {
    return zmq_proxy_steerable(frontend_, backend_, capture_, nullptr);
}

int zmq_device(int type_, void *frontend_, void *backend_) {
    (void)type_; // STREAMER, FORWARDER and QUEUE all behave as a proxy
    return zmq_proxy(frontend_, backend_, nullptr);
}

} // extern "C"
