// Helpers for the zmtp::asio_socket suites: connected pairs over a transport, and running an
// io_context to completion with a hang guard (a hang fails the test instead of the timeout).
#pragma once

#include "tests/support/catch.hpp"
#include "tests/support/transports.hpp"
#include "zmtp/asio_socket.hpp"

#include <asio/io_context.hpp>

#include <chrono>
#include <string>
#include <utility>

namespace zmtp::test {

/// Binds `s` on `transport` and returns the endpoint to connect to.
inline std::string bind_to(asio_socket& s, const std::string& transport) {
    s.bind(bind_endpoint(transport));
    return s.get(opt::last_endpoint);
}

/// Two connected sockets of the given types on one executor: `a` binds, `b` connects.
struct asio_pair {
    asio_pair(const asio::any_io_executor& ex, context& ctx, const std::string& transport,
              socket_type ta = socket_type::pair, socket_type tb = socket_type::pair)
        : a(ex, ctx, ta), b(ex, ctx, tb) {
        b.connect(bind_to(a, transport));
    }
    asio_socket a;
    asio_socket b;
};

/// Runs `ioc` until it has no work left; fails the test if that takes pathologically long
/// (a hang guard, far above any legitimate run; not a performance threshold).
inline void run_to_completion(asio::io_context& ioc) {
    ioc.run_for(std::chrono::seconds(60));
    REQUIRE(ioc.stopped());
}

inline message msg(std::string_view text) {
    return message(text);
}

} // namespace zmtp::test
