// peer over zmtp's C++ API, and over libzmq's C API when ZMTP_NETFAULT_LIBZMQ is defined.
#include "tests/netfault/peer.hpp"

#include "tests/support/catch.hpp"

#include <cstdio>
#include <cstring>
#include <mutex>

#ifdef ZMTP_NETFAULT_LIBZMQ
#include <zmq.h>
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ZMTP_SANITIZER_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ZMTP_SANITIZER_ALLOCATOR 1
#endif
#endif
#if ZMTP_SANITIZER_ALLOCATOR
#include <sanitizer/allocator_interface.h>
#else
#include <malloc.h>
#endif

namespace zmtp::test {

const char* impl_name(impl i) { return i == impl::zmtp ? "zmtp" : "libzmq"; }

std::vector<impl> peer_impls() {
#ifdef ZMTP_NETFAULT_LIBZMQ
    return {impl::zmtp, impl::libzmq};
#else
    return {impl::zmtp};
#endif
}

namespace {

std::uint16_t port_of(const std::string& endpoint) {
    return static_cast<std::uint16_t>(std::stoi(endpoint.substr(endpoint.rfind(':') + 1)));
}

zmtp::context& zmtp_ctx() {
    static zmtp::context ctx;
    return ctx;
}

// The monitor callback may run on an I/O thread after the socket closed: counters are shared.
struct event_counts {
    std::atomic<int> n[4] = {0, 0, 0, 0};
    static int slot(ev e) {
        switch (e) {
        case ev::connected: return 0;
        case ev::accepted: return 1;
        case ev::disconnected: return 2;
        default: return 3;
        }
    }
};

class zmtp_peer final : public peer {
public:
    explicit zmtp_peer(int type) : s_(zmtp_ctx(), static_cast<zmtp::socket_type>(type)) {
        set_int(zo::linger, 0);
        auto counts = counts_;
        s_.monitor([counts](zmtp::socket_event e, std::uint32_t, const std::string&) {
            for (ev x : {ev::connected, ev::accepted, ev::disconnected, ev::handshake_ok})
                if (static_cast<int>(e) == static_cast<int>(x))
                    ++counts->n[event_counts::slot(x)];
        });
    }
    void set_int(int option, int value) override {
        REQUIRE_FALSE(s_.set_option_raw(option, &value, sizeof value));
    }
    void subscribe(const std::string& topic) override { s_.set(zmtp::opt::subscribe, topic); }
    std::uint16_t bind_any() override {
        s_.bind("tcp://127.0.0.1:*");
        return port_of(s_.get(zmtp::opt::last_endpoint));
    }
    void connect(const std::string& endpoint) override { s_.connect(endpoint); }
    bool send(const std::string& msg) override {
        std::error_code ec;
        if (s_.send(msg.data(), msg.size(), zmtp::send_flags::dontwait, ec))
            return true;
        REQUIRE(zmtp::is_would_block(ec));
        return false;
    }
    std::optional<std::string> recv(int ms) override {
        if (ms != timeout_) {
            s_.set(zmtp::opt::rcvtimeo, ms);
            timeout_ = ms;
        }
        zmtp::message m;
        std::error_code ec;
        if (!s_.recv(m, zmtp::recv_flags::none, ec)) {
            REQUIRE(zmtp::is_would_block(ec));
            return std::nullopt;
        }
        return m.to_string();
    }
    int events(ev e) override { return counts_->n[event_counts::slot(e)]; }
    zmtp::socket& socket() { return s_; }

private:
    std::shared_ptr<event_counts> counts_ = std::make_shared<event_counts>();
    zmtp::socket s_;
    int timeout_ = -1;
};

#ifdef ZMTP_NETFAULT_LIBZMQ
void* zmq_ctx() {
    static void* ctx = zmq_ctx_new();
    return ctx;
}

class libzmq_peer final : public peer {
public:
    explicit libzmq_peer(int type) {
        static std::atomic<int> counter{0};
        s_ = zmq_socket(zmq_ctx(), type);
        set_int(zo::linger, 0);
        std::string name = "inproc://netfault-monitor-" + std::to_string(++counter);
        REQUIRE(zmq_socket_monitor(s_, name.c_str(), ZMQ_EVENT_ALL) == 0);
        mon_ = zmq_socket(zmq_ctx(), ZMQ_PAIR);
        REQUIRE(zmq_connect(mon_, name.c_str()) == 0);
    }
    ~libzmq_peer() override {
        zmq_socket_monitor(s_, nullptr, 0);
        zmq_close(s_);
        int zero = 0;
        zmq_setsockopt(mon_, ZMQ_LINGER, &zero, sizeof zero);
        zmq_close(mon_);
    }
    void set_int(int option, int value) override {
        REQUIRE(zmq_setsockopt(s_, option, &value, sizeof value) == 0);
    }
    void subscribe(const std::string& topic) override {
        REQUIRE(zmq_setsockopt(s_, ZMQ_SUBSCRIBE, topic.data(), topic.size()) == 0);
    }
    std::uint16_t bind_any() override {
        REQUIRE(zmq_bind(s_, "tcp://127.0.0.1:*") == 0);
        char buf[256];
        size_t size = sizeof buf;
        REQUIRE(zmq_getsockopt(s_, ZMQ_LAST_ENDPOINT, buf, &size) == 0);
        return port_of(buf);
    }
    void connect(const std::string& endpoint) override {
        REQUIRE(zmq_connect(s_, endpoint.c_str()) == 0);
    }
    bool send(const std::string& msg) override {
        if (zmq_send(s_, msg.data(), msg.size(), ZMQ_DONTWAIT) == static_cast<int>(msg.size()))
            return true;
        REQUIRE(zmq_errno() == EAGAIN);
        return false;
    }
    std::optional<std::string> recv(int ms) override {
        zmq_pollitem_t item{s_, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, ms) <= 0)
            return std::nullopt;
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, s_, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            return std::nullopt;
        }
        std::string out(static_cast<char*>(zmq_msg_data(&m)), zmq_msg_size(&m));
        zmq_msg_close(&m);
        return out;
    }
    int events(ev e) override {
        // Each event is two frames: [u16 id][u32 value] and the endpoint.
        for (;;) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            if (zmq_msg_recv(&m, mon_, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(&m);
                break;
            }
            std::uint16_t id = 0;
            if (zmq_msg_size(&m) >= 2)
                std::memcpy(&id, zmq_msg_data(&m), 2);
            zmq_msg_close(&m);
            char skip[256];
            zmq_recv(mon_, skip, sizeof skip, 0);
            for (ev x : {ev::connected, ev::accepted, ev::disconnected, ev::handshake_ok})
                if (id == static_cast<int>(x))
                    ++counts_.n[event_counts::slot(x)];
        }
        return counts_.n[event_counts::slot(e)];
    }

private:
    void* s_;
    void* mon_;
    event_counts counts_;
};
#endif

} // namespace

std::unique_ptr<peer> make_peer(impl i, int type) {
#ifdef ZMTP_NETFAULT_LIBZMQ
    if (i == impl::libzmq)
        return std::make_unique<libzmq_peer>(type);
#endif
    (void)i;
    return std::make_unique<zmtp_peer>(type);
}

zmtp::socket& zmtp_socket_of(peer& p) { return dynamic_cast<zmtp_peer&>(p).socket(); }

std::string numbered(const std::string& tag, std::uint64_t n, std::size_t size) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(n));
    std::string m = tag + hex;
    if (m.size() < size)
        m.resize(size, static_cast<char>('a' + n % 26));
    return m;
}

std::optional<std::uint64_t> number_of(const std::string& tag, const std::string& msg) {
    if (msg.size() < tag.size() + 16 || msg.compare(0, tag.size(), tag) != 0)
        return std::nullopt;
    return std::stoull(msg.substr(tag.size(), 16), nullptr, 16);
}

std::uint64_t heap_in_use() {
#if ZMTP_SANITIZER_ALLOCATOR
    return __sanitizer_get_current_allocated_bytes();
#else
    const auto mi = ::mallinfo2();
    return mi.uordblks + mi.hblkhd;
#endif
}

} // namespace zmtp::test
