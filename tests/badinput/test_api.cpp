// Bad use of the C++ API: malformed endpoints, busy ports, unknown endpoints, bad option values
// and sizes, and calls on closed sockets. The error_code overloads must report the libzmq errno
// equivalents (conformance §16); the throwing overloads throw std::system_error with the same.
#include "tests/badinput/fixture.hpp"
#include "tests/support/catch.hpp"

#include <cstdint>

using namespace zmtp;
using namespace zmtp::test;

namespace {

std::error_code bind_ec(socket& s, std::string_view ep) {
    std::error_code ec;
    s.bind(ep, ec);
    return ec;
}

std::error_code connect_ec(socket& s, std::string_view ep) {
    std::error_code ec;
    s.connect(ep, ec);
    return ec;
}

} // namespace

TEST_CASE("C-ERR endpoints without :// are EINVAL", "[badinput][api]") {
    context ctx;
    socket s(ctx, socket_type::pair);
    configure(s);
    for (const char* ep : {"tcp127.0.0.1:5555", "tcp:/127.0.0.1:5555", "", "://", "tcp://",
                           "://127.0.0.1:5555", "127.0.0.1:5555"}) {
        INFO("endpoint '" << ep << "'");
        CHECK(bind_ec(s, ep) == std::errc::invalid_argument);
        CHECK(connect_ec(s, ep) == std::errc::invalid_argument);
    }
}

TEST_CASE("C-ERR unknown transport is EPROTONOSUPPORT", "[badinput][api]") {
    context ctx;
    socket s(ctx, socket_type::pair);
    configure(s);
    for (const char* ep :
         {"bogus://x", "udp://127.0.0.1:5555", "TCP://127.0.0.1:5555", "tcp ://127.0.0.1:5555"}) {
        INFO("endpoint '" << ep << "'");
        CHECK(bind_ec(s, ep) == std::errc::protocol_not_supported);
        CHECK(connect_ec(s, ep) == std::errc::protocol_not_supported);
    }
}

TEST_CASE("C-TCP-1 malformed tcp addresses are EINVAL", "[badinput][api]") {
    context ctx;
    socket s(ctx, socket_type::pair);
    configure(s);
    SECTION("wildcard host or port on connect") {
        CHECK(connect_ec(s, "tcp://*:*") == std::errc::invalid_argument);
        CHECK(connect_ec(s, "tcp://127.0.0.1:*") == std::errc::invalid_argument);
        CHECK(connect_ec(s, "tcp://*:5555") == std::errc::invalid_argument);
    }
    SECTION("port 70000") {
        CHECK(bind_ec(s, "tcp://127.0.0.1:70000") == std::errc::invalid_argument);
        CHECK(connect_ec(s, "tcp://127.0.0.1:70000") == std::errc::invalid_argument);
    }
    SECTION("other bad ports") {
        for (const char* ep :
             {"tcp://127.0.0.1:", "tcp://127.0.0.1", "tcp://127.0.0.1:-1", "tcp://127.0.0.1:12x",
              "tcp://127.0.0.1:999999999999", "tcp://127.0.0.1:65536"}) {
            INFO("endpoint '" << ep << "'");
            CHECK(bind_ec(s, ep) == std::errc::invalid_argument);
            CHECK(connect_ec(s, ep) == std::errc::invalid_argument);
        }
    }
    SECTION("no host") {
        CHECK(bind_ec(s, "tcp://:5555") == std::errc::invalid_argument);
        CHECK(connect_ec(s, "tcp://:5555") == std::errc::invalid_argument);
    }
    // Nothing half-made is left behind: the socket still binds and works.
    CHECK_FALSE(bind_ec(s, "tcp://127.0.0.1:*"));
}

TEST_CASE("C-TCP-1 bind to a host name is ENODEV (no DNS on bind)", "[badinput][api]") {
    context ctx;
    socket s(ctx, socket_type::pair);
    configure(s);
    CHECK(bind_ec(s, "tcp://localhost:*") == std::errc::no_such_device);
    CHECK(bind_ec(s, "tcp://no-such-interface-zmtp:5555") == std::errc::no_such_device);
}

TEST_CASE("C-ERR port in use is EADDRINUSE", "[badinput][api]") {
    context ctx;
    bound_server first(ctx);
    socket second(ctx, socket_type::pair);
    configure(second);
    CHECK(bind_ec(second, first.endpoint) == std::errc::address_in_use);
    // The same socket binding twice to the same port fails the same way.
    CHECK(bind_ec(first.sock, first.endpoint) == std::errc::address_in_use);
    // The throwing overload throws the same code.
    try {
        second.bind(first.endpoint);
        FAIL("bind to a busy port did not throw");
    } catch (const std::system_error& e) {
        CHECK(e.code() == std::errc::address_in_use);
    }
    // The first binding was not disturbed: a peer can still reach it.
    good_peer good(ctx, first);
    good.finish();
}

TEST_CASE("C-ERR unbind/disconnect of an unknown endpoint is ENOENT", "[badinput][api]") {
    context ctx;
    bound_server srv(ctx);
    socket c(ctx, socket_type::pair);
    configure(c);
    c.connect(srv.endpoint);
    std::error_code ec;
    srv.sock.unbind("tcp://127.0.0.1:1", ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    c.disconnect("tcp://127.0.0.1:1", ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    // Unbinding a connected endpoint or disconnecting a bound one is unknown too.
    c.unbind(srv.endpoint, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    srv.sock.disconnect(srv.endpoint, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    // The second unbind of the same endpoint is unknown by then.
    srv.sock.unbind(srv.endpoint, ec);
    CHECK_FALSE(ec);
    srv.sock.unbind(srv.endpoint, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    c.disconnect(srv.endpoint, ec);
    CHECK_FALSE(ec);
    c.disconnect(srv.endpoint, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
}

TEST_CASE("C-OPT options with wrong sizes or values are EINVAL", "[badinput][api]") {
    context ctx;
    socket s(ctx, socket_type::pair);
    const int i32 = 10;
    const std::int64_t i64 = 10;
    SECTION("int option given 8 bytes, 2 bytes, 0 bytes") {
        CHECK(s.set_option_raw(opt::linger.id, &i64, sizeof i64) == std::errc::invalid_argument);
        CHECK(s.set_option_raw(opt::sndhwm.id, &i32, 2) == std::errc::invalid_argument);
        CHECK(s.set_option_raw(opt::rcvtimeo.id, &i32, 0) == std::errc::invalid_argument);
    }
    SECTION("int64 MAXMSGSIZE given an int") {
        CHECK(s.set_option_raw(opt::maxmsgsize.id, &i32, sizeof i32) ==
              std::errc::invalid_argument);
    }
    SECTION("null value with a size") {
        CHECK(s.set_option_raw(opt::linger.id, nullptr, sizeof(int)) ==
              std::errc::invalid_argument);
    }
    SECTION("out-of-range values") {
        std::error_code ec;
        s.set(opt::sndhwm, -1, ec);
        CHECK(ec == std::errc::invalid_argument);
        s.set(opt::rcvhwm, -5, ec);
        CHECK(ec == std::errc::invalid_argument);
        s.set(opt::linger, -2, ec);
        CHECK(ec == std::errc::invalid_argument);
        s.set(opt::rcvtimeo, -2, ec);
        CHECK(ec == std::errc::invalid_argument);
        s.set(opt::sndtimeo, -100, ec);
        CHECK(ec == std::errc::invalid_argument);
        s.set(opt::handshake_ivl, -1, ec);
        CHECK(ec == std::errc::invalid_argument);
        s.set(opt::maxmsgsize, std::int64_t{-2}, ec);
        CHECK(ec == std::errc::invalid_argument);
        s.set(opt::ipv6, 2, ec);
        CHECK(ec == std::errc::invalid_argument);
        s.set(opt::reconnect_ivl, -2, ec);
        CHECK(ec == std::errc::invalid_argument);
        // Rejected values left the old ones in place.
        CHECK(s.get(opt::sndhwm) == 1000);
        CHECK(s.get(opt::linger) == -1);
        CHECK(s.get(opt::maxmsgsize) == -1);
        CHECK(s.get(opt::handshake_ivl) == 30000);
    }
    SECTION("unknown and read-only options") {
        CHECK(s.set_option_raw(9999, &i32, sizeof i32) == std::errc::invalid_argument);
        CHECK(s.set_option_raw(-1, &i32, sizeof i32) == std::errc::invalid_argument);
        CHECK(s.set_option_raw(opt::type.id, &i32, sizeof i32) == std::errc::invalid_argument);
        CHECK(s.set_option_raw(opt::rcvmore.id, &i32, sizeof i32) == std::errc::invalid_argument);
        CHECK(s.set_option_raw(opt::last_endpoint.id, "x", 1) == std::errc::invalid_argument);
        int out = 0;
        std::size_t size = sizeof out;
        CHECK(s.get_option_raw(9999, &out, &size) == std::errc::invalid_argument);
    }
    SECTION("get with a too small buffer") {
        std::int64_t out64 = 0;
        std::size_t size = sizeof(int);
        CHECK(s.get_option_raw(opt::maxmsgsize.id, &out64, &size) == std::errc::invalid_argument);
        int out = 0;
        size = 2;
        CHECK(s.get_option_raw(opt::linger.id, &out, &size) == std::errc::invalid_argument);
        CHECK(s.get_option_raw(opt::linger.id, &out, nullptr) == std::errc::invalid_argument);
        s.bind("tcp://127.0.0.1:*");
        char small[4];
        size = sizeof small;
        CHECK(s.get_option_raw(opt::last_endpoint.id, small, &size) == std::errc::invalid_argument);
    }
    SECTION("the throwing overload throws EINVAL") {
        try {
            s.set(opt::sndhwm, -1);
            FAIL("set(sndhwm, -1) did not throw");
        } catch (const std::system_error& e) {
            CHECK(e.code() == std::errc::invalid_argument);
        }
    }
    s.set(opt::linger, 0);
}

TEST_CASE("C-ERR every operation on a closed socket is ENOTSOCK", "[badinput][api]") {
    context ctx;
    bound_server srv(ctx);
    socket s(ctx, socket_type::pair);
    configure(s);
    s.connect(srv.endpoint);
    SECTION("after close()") {
        s.close();
    }
    SECTION("moved-from") {
        socket other = std::move(s);
        other.close();
    }
    SECTION("closed twice") {
        s.close();
        s.close();
    }
    CHECK_FALSE(s);
    std::error_code ec;
    s.bind("tcp://127.0.0.1:*", ec);
    CHECK(ec == std::errc::not_a_socket);
    s.connect(srv.endpoint, ec);
    CHECK(ec == std::errc::not_a_socket);
    s.unbind(srv.endpoint, ec);
    CHECK(ec == std::errc::not_a_socket);
    s.disconnect(srv.endpoint, ec);
    CHECK(ec == std::errc::not_a_socket);
    message m("x");
    CHECK_FALSE(s.send(m, send_flags::dontwait, ec));
    CHECK(ec == std::errc::not_a_socket);
    CHECK_FALSE(s.recv(m, recv_flags::dontwait, ec));
    CHECK(ec == std::errc::not_a_socket);
    CHECK_FALSE(s.send("abc", 3, send_flags::none, ec));
    CHECK(ec == std::errc::not_a_socket);
    s.set(opt::linger, 0, ec);
    CHECK(ec == std::errc::not_a_socket);
    (void)s.get(opt::linger, ec);
    CHECK(ec == std::errc::not_a_socket);
    (void)s.get(opt::last_endpoint, ec);
    CHECK(ec == std::errc::not_a_socket);
    // Throwing overloads: std::system_error carrying ENOTSOCK, never a crash.
    auto throws_enotsock = [](auto&& fn) {
        try {
            fn();
            return false;
        } catch (const std::system_error& e) {
            return e.code() == std::errc::not_a_socket;
        }
    };
    CHECK(throws_enotsock([&] { s.bind("tcp://127.0.0.1:*"); }));
    CHECK(throws_enotsock([&] { s.connect(srv.endpoint); }));
    CHECK(throws_enotsock([&] { s.send(std::string_view("x")); }));
    CHECK(throws_enotsock([&] { s.recv(m); }));
    CHECK(throws_enotsock([&] { s.set(opt::sndhwm, 1); }));
    CHECK(throws_enotsock([&] { (void)s.get(opt::sndhwm); }));
    // The server is fine: a new peer still reaches it.
    check_new_good_peer(ctx, srv);
}

TEST_CASE("C-PAIR-3 would-block is a value, not an error", "[badinput][api]") {
    context ctx;
    bound_server srv(ctx); // no peer: send and recv would block
    std::error_code ec;
    message m("x");
    CHECK_FALSE(srv.sock.send(m, send_flags::dontwait, ec));
    CHECK(is_would_block(ec));
    CHECK_FALSE(srv.sock.recv(m, recv_flags::dontwait, ec));
    CHECK(is_would_block(ec));
    srv.sock.set(opt::rcvtimeo, 20);
    srv.sock.set(opt::sndtimeo, 20);
    CHECK_FALSE(srv.sock.recv(m)); // throwing overload: false, no exception
    CHECK_FALSE(srv.sock.send(std::string_view("y")));
}
