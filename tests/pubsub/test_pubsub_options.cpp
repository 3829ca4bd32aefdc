// PUB/SUB API contract: which options each type accepts, what it cannot do, its defaults
// (C-PUB-9, C-PUB-11, C-SUB-2, C-SUB-8, C-HWM-1).
#include "tests/pubsub/pubsub_support.hpp"

#include <string>
#include <system_error>

using namespace zmtp;
using namespace zmtp::pubsub_test;

namespace {

/// The std::error_code a throwing call threw (empty if it did not throw).
template <typename Fn> std::error_code thrown_code(Fn&& fn) {
    try {
        fn();
    } catch (const std::system_error& e) {
        return e.code();
    }
    return {};
}

} // namespace

TEST_CASE("C-PUB-11 XPUB_NODROP is a PUB option: EINVAL on SUB and PAIR", "[pubsub][options]") {
    context ctx;
    std::error_code ec;
    socket pub(ctx, socket_type::pub);
    pub.set(opt::xpub_nodrop, 1, ec);
    CHECK_FALSE(ec);
    pub.set(opt::xpub_nodrop, 0, ec);
    CHECK_FALSE(ec);
    for (auto type : {socket_type::sub, socket_type::pair}) {
        CAPTURE(static_cast<int>(type));
        socket s(ctx, type);
        s.set(opt::xpub_nodrop, 1, ec);
        CHECK(ec == std::errc::invalid_argument);
        CHECK(thrown_code([&] { s.set(opt::xpub_nodrop, 1); }) == std::errc::invalid_argument);
    }
}

TEST_CASE("C-PUB-9 SUBSCRIBE and UNSUBSCRIBE are SUB options: EINVAL on PUB and PAIR",
          "[pubsub][options]") {
    context ctx;
    for (auto type : {socket_type::pub, socket_type::pair}) {
        CAPTURE(static_cast<int>(type));
        socket s(ctx, type);
        std::error_code ec;
        s.set(opt::subscribe, std::string("A"), ec);
        CHECK(ec == std::errc::invalid_argument);
        s.set(opt::unsubscribe, std::string("A"), ec);
        CHECK(ec == std::errc::invalid_argument);
        CHECK(thrown_code([&] { s.set(opt::subscribe, std::string()); }) ==
              std::errc::invalid_argument);
    }
    socket sub(ctx, socket_type::sub);
    std::error_code ec;
    sub.set(opt::subscribe, std::string("A"), ec);
    CHECK_FALSE(ec);
    sub.set(opt::subscribe, std::string(), ec); // empty = everything
    CHECK_FALSE(ec);
    sub.set(opt::unsubscribe, std::string("never"), ec); // not an error
    CHECK_FALSE(ec);
}

TEST_CASE("C-SUB-2 a SUB cannot send: ENOTSUP", "[pubsub][options]") {
    context ctx;
    auto sub = make_socket(ctx, socket_type::sub);
    std::error_code ec;
    message m("x");
    CHECK_FALSE(sub.send(m, send_flags::none, ec));
    CHECK(ec == std::errc::not_supported);
    CHECK_FALSE(sub.send("x", 1, send_flags::dontwait, ec));
    CHECK(ec == std::errc::not_supported);
    CHECK(thrown_code([&] { sub.send("x"); }) == std::errc::not_supported);
    CHECK(thrown_code([&] { sub.send("x", send_flags::sndmore); }) == std::errc::not_supported);
}

TEST_CASE("C-PUB-9 a PUB cannot receive: ENOTSUP", "[pubsub][options]") {
    context ctx;
    auto pub = make_socket(ctx, socket_type::pub);
    bind_any(pub, "tcp");
    std::error_code ec;
    message m;
    CHECK_FALSE(pub.recv(m, recv_flags::none, ec));
    CHECK(ec == std::errc::not_supported);
    CHECK_FALSE(pub.recv(m, recv_flags::dontwait, ec));
    CHECK(ec == std::errc::not_supported);
    CHECK(thrown_code([&] { pub.recv(m); }) == std::errc::not_supported);
}

TEST_CASE("C-SUB-8 SUB's default LINGER is 0, PUB's is -1", "[pubsub][options]") {
    context ctx;
    socket sub(ctx, socket_type::sub);
    socket pub(ctx, socket_type::pub);
    CHECK(sub.get(opt::linger) == 0);
    CHECK(pub.get(opt::linger) == -1);
    sub.set(opt::linger, 250);
    CHECK(sub.get(opt::linger) == 250);
    CHECK(sub.get(opt::type) == 2);
    CHECK(pub.get(opt::type) == 1);
}

TEST_CASE("C-HWM-1 PUB/SUB HWM defaults and validation", "[pubsub][options][hwm]") {
    context ctx;
    for (auto type : {socket_type::pub, socket_type::sub}) {
        CAPTURE(static_cast<int>(type));
        socket s(ctx, type);
        CHECK(s.get(opt::sndhwm) == 1000);
        CHECK(s.get(opt::rcvhwm) == 1000);
        std::error_code ec;
        s.set(opt::sndhwm, -1, ec);
        CHECK(ec == std::errc::invalid_argument);
        s.set(opt::rcvhwm, 0, ec);
        CHECK_FALSE(ec);
        CHECK(s.get(opt::rcvhwm) == 0);
    }
}

TEST_CASE("PUB subscribers() is empty for other types and before any peer", "[pubsub][options]") {
    context ctx;
    socket pub(ctx, socket_type::pub);
    socket sub(ctx, socket_type::sub);
    socket pair(ctx, socket_type::pair);
    CHECK(pub.subscribers().empty());
    CHECK(sub.subscribers().empty());
    CHECK(pair.subscribers().empty());
}
