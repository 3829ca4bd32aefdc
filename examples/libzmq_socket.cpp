// libzmq_socket: the demo's sockets on the real libzmq's C API (the system zmq.h).
#include "demo_socket.hpp"

#include <zmq.h>

#include <cerrno>
#include <stdexcept>

namespace {

[[noreturn]] void throw_zmq_error(const char* what) {
    const int err = zmq_errno();
    throw std::runtime_error(std::string("libzmq: ") + what + ": " +
                             (err == EAGAIN ? "timed out" : zmq_strerror(err)));
}

int to_zmq(demo_socket_type type) {
    switch (type) {
    case demo_socket_type::pub:
        return ZMQ_PUB;
    case demo_socket_type::sub:
        return ZMQ_SUB;
    case demo_socket_type::pair:
        break;
    }
    return ZMQ_PAIR;
}

class libzmq_socket final : public demo_socket {
public:
    libzmq_socket(void* ctx, demo_socket_type type) : socket_(zmq_socket(ctx, to_zmq(type))) {
        if (socket_ == nullptr)
            throw_zmq_error("zmq_socket");
        set_int(ZMQ_SNDTIMEO, demo_timeout_ms);
        set_int(ZMQ_RCVTIMEO, demo_timeout_ms);
        set_int(ZMQ_LINGER, demo_timeout_ms);
        zmq_msg_init(&last_);
    }
    ~libzmq_socket() override {
        zmq_msg_close(&last_);
        zmq_close(socket_);
    }
    libzmq_socket(const libzmq_socket&) = delete;
    libzmq_socket& operator=(const libzmq_socket&) = delete;

    std::string bind(const std::string& endpoint) override {
        if (zmq_bind(socket_, endpoint.c_str()) != 0)
            throw_zmq_error("zmq_bind");
        char resolved[256];
        std::size_t size = sizeof resolved;
        if (zmq_getsockopt(socket_, ZMQ_LAST_ENDPOINT, resolved, &size) != 0)
            throw_zmq_error("zmq_getsockopt");
        return resolved;
    }

    void connect(const std::string& endpoint) override {
        if (zmq_connect(socket_, endpoint.c_str()) != 0)
            throw_zmq_error("zmq_connect");
    }

    void set_hwm(int hwm) override {
        set_int(ZMQ_SNDHWM, hwm);
        set_int(ZMQ_RCVHWM, hwm);
    }

    void subscribe_all() override {
        if (zmq_setsockopt(socket_, ZMQ_SUBSCRIBE, "", 0) != 0)
            throw_zmq_error("zmq_setsockopt(ZMQ_SUBSCRIBE)");
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
    void set_int(int option, int value) {
        if (zmq_setsockopt(socket_, option, &value, sizeof value) != 0)
            throw_zmq_error("zmq_setsockopt");
    }

    void* socket_;
    zmq_msg_t last_;
};

class libzmq_library final : public demo_library {
public:
    libzmq_library() : context_(zmq_ctx_new()) {
        if (context_ == nullptr)
            throw_zmq_error("zmq_ctx_new");
    }
    ~libzmq_library() override { zmq_ctx_term(context_); } // sockets are closed by now
    libzmq_library(const libzmq_library&) = delete;
    libzmq_library& operator=(const libzmq_library&) = delete;

    const char* name() const override { return "libzmq"; }
    std::unique_ptr<demo_socket> socket(demo_socket_type type) override {
        return std::make_unique<libzmq_socket>(context_, type);
    }

private:
    void* context_;
};

} // namespace

std::unique_ptr<demo_library> make_libzmq_library() {
    return std::make_unique<libzmq_library>();
}
