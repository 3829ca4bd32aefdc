// zmtp_peer: the demo's transfer_peer on zmtp's C++ API (zmtp::context, zmtp::socket).
#include "transfer_peer.hpp"

#include <zmtp/context.hpp>
#include <zmtp/socket.hpp>

#include <stdexcept>

namespace {

class zmtp_peer final : public transfer_peer {
public:
    zmtp_peer() {
        socket_.set(zmtp::opt::sndtimeo, transfer_timeout_ms);
        socket_.set(zmtp::opt::rcvtimeo, transfer_timeout_ms);
        socket_.set(zmtp::opt::linger, transfer_timeout_ms); // never hang on exit after a failure
    }

    const char* name() const override { return "zmtp"; }

    std::string bind_any() override {
        socket_.bind("tcp://127.0.0.1:*");
        return socket_.get(zmtp::opt::last_endpoint);
    }

    void connect(const std::string& endpoint) override { socket_.connect(endpoint); }

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
    // Declaration order matters: the socket closes before its context terminates.
    zmtp::context context_;
    zmtp::socket socket_{context_, zmtp::socket_type::pair};
    zmtp::message last_;
};

} // namespace

std::unique_ptr<transfer_peer> make_zmtp_peer() {
    return std::make_unique<zmtp_peer>();
}
