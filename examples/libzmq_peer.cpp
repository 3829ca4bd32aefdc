// libzmq_peer: the demo's transfer_peer on the real libzmq's C API (the system zmq.h).
#include "transfer_peer.hpp"

#include <zmq.h>

#include <cerrno>
#include <stdexcept>

namespace {

[[noreturn]] void throw_zmq_error(const char* what) {
    const int err = zmq_errno();
    throw std::runtime_error(std::string("libzmq: ") + what + ": " +
                             (err == EAGAIN ? "timed out" : zmq_strerror(err)));
}

class libzmq_peer final : public transfer_peer {
public:
    libzmq_peer() : context_(zmq_ctx_new()), socket_(zmq_socket(context_, ZMQ_PAIR)) {
        if (socket_ == nullptr)
            throw_zmq_error("zmq_socket");
        zmq_setsockopt(socket_, ZMQ_SNDTIMEO, &transfer_timeout_ms, sizeof(int));
        zmq_setsockopt(socket_, ZMQ_RCVTIMEO, &transfer_timeout_ms, sizeof(int));
        zmq_setsockopt(socket_, ZMQ_LINGER, &transfer_timeout_ms, sizeof(int));
        zmq_msg_init(&last_);
    }
    ~libzmq_peer() override {
        zmq_msg_close(&last_);
        zmq_close(socket_);
        zmq_ctx_term(context_); // waits until queued messages are delivered, up to LINGER
    }
    libzmq_peer(const libzmq_peer&) = delete;
    libzmq_peer& operator=(const libzmq_peer&) = delete;

    const char* name() const override { return "libzmq"; }

    std::string bind_any() override {
        if (zmq_bind(socket_, "tcp://127.0.0.1:*") != 0)
            throw_zmq_error("zmq_bind");
        char endpoint[256];
        std::size_t size = sizeof endpoint;
        if (zmq_getsockopt(socket_, ZMQ_LAST_ENDPOINT, endpoint, &size) != 0)
            throw_zmq_error("zmq_getsockopt");
        return endpoint;
    }

    void connect(const std::string& endpoint) override {
        if (zmq_connect(socket_, endpoint.c_str()) != 0)
            throw_zmq_error("zmq_connect");
    }

    void send(const void* data, std::size_t size) override {
        if (zmq_send(socket_, data, size, 0) == -1)
            throw_zmq_error("zmq_send");
    }

    std::string_view recv() override {
        if (zmq_msg_recv(&last_, socket_, 0) == -1)
            throw_zmq_error("zmq_msg_recv");
        return {static_cast<const char*>(zmq_msg_data(&last_)), zmq_msg_size(&last_)};
    }

private:
    void* context_;
    void* socket_;
    zmq_msg_t last_;
};

} // namespace

std::unique_ptr<transfer_peer> make_libzmq_peer() {
    return std::make_unique<libzmq_peer>();
}
