// zmtp_socket: the demo's sockets on zmtp's C++ API (zmtp::context, zmtp::socket).
#include "demo_socket.hpp"

#include <zmtp/context.hpp>
#include <zmtp/socket.hpp>

#include <stdexcept>

namespace {

zmtp::socket_type to_zmtp(demo_socket_type type) {
    switch (type) {
    case demo_socket_type::pub:
        return zmtp::socket_type::pub;
    case demo_socket_type::sub:
        return zmtp::socket_type::sub;
    case demo_socket_type::pair:
        break;
    }
    return zmtp::socket_type::pair;
}

class zmtp_socket final : public demo_socket {
public:
    zmtp_socket(zmtp::context& ctx, demo_socket_type type) : socket_(ctx, to_zmtp(type)) {
        socket_.set(zmtp::opt::sndtimeo, demo_timeout_ms);
        socket_.set(zmtp::opt::rcvtimeo, demo_timeout_ms);
        socket_.set(zmtp::opt::linger, demo_timeout_ms); // never hang on exit after a failure
    }

    std::string bind(const std::string& endpoint) override {
        socket_.bind(endpoint);
        return socket_.get(zmtp::opt::last_endpoint);
    }

    void connect(const std::string& endpoint) override { socket_.connect(endpoint); }

    void set_hwm(int hwm) override {
        socket_.set(zmtp::opt::sndhwm, hwm);
        socket_.set(zmtp::opt::rcvhwm, hwm);
    }

    void subscribe_all() override { socket_.set(zmtp::opt::subscribe, std::string()); }

    void send(const void* data, std::size_t size) override {
        zmtp::message msg(data, size);
        if (!socket_.send(msg))
            throw std::runtime_error("zmtp: send timed out");
    }

    std::string_view recv() override {
        if (!socket_.recv(last_))
            throw std::runtime_error("zmtp: recv timed out");
        return last_.view();
    }

private:
    zmtp::socket socket_;
    zmtp::message last_;
};

class zmtp_library final : public demo_library {
public:
    const char* name() const override { return "zmtp"; }
    std::unique_ptr<demo_socket> socket(demo_socket_type type) override {
        return std::make_unique<zmtp_socket>(context_, type);
    }

private:
    zmtp::context context_; // its destructor waits until every socket is closed
};

} // namespace

std::unique_ptr<demo_library> make_zmtp_library() {
    return std::make_unique<zmtp_library>();
}
