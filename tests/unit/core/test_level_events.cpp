// The core side of the portable level-triggered ZMQ_FD (interop/capi/level_fd_dup.cpp): reading
// the internal opt_events_level drains ZMQ_FD like ZMQ_EVENTS, then leaves it readable exactly
// while an event of the given mask is pending. Runs on every build (the core is the same).
#include "core/options.hpp"
#include "tests/support/catch.hpp"

#include <zmtp/zmtp.hpp>

#include <poll.h>

#include <string>

namespace {

bool readable_now(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

int level_events(zmtp::socket& s, int mask) {
    int buffer = mask;
    std::size_t size = sizeof buffer;
    REQUIRE_FALSE(s.get_option_raw(zmtp::detail::opt_events_level, &buffer, &size));
    return buffer;
}

int zmq_fd(zmtp::socket& s) {
    int fd = -1;
    std::size_t size = sizeof fd;
    REQUIRE_FALSE(s.get_option_raw(zmtp::detail::opt_fd, &fd, &size));
    return fd;
}

} // namespace

TEST_CASE("opt_events_level keeps ZMQ_FD readable while a wanted event is pending",
          "[signaler][level]") {
    zmtp::context ctx;
    zmtp::socket rx(ctx, zmtp::socket_type::pair);
    zmtp::socket tx(ctx, zmtp::socket_type::pair);
    rx.bind("inproc://level-events");
    tx.connect("inproc://level-events");
    const int fd = zmq_fd(rx);
    constexpr int pollin = 1, pollout = 2;

    // The first read may find the fd raised again by the connection it processes (a spurious
    // readiness, allowed); from then on nothing happens between reads.
    CHECK(level_events(rx, pollin) == pollout);
    CHECK(level_events(rx, pollin) == pollout); // nothing waits: drained, not raised
    CHECK_FALSE(readable_now(fd));
    CHECK(level_events(rx, pollout) == pollout); // writable is wanted: raised
    CHECK(readable_now(fd));
    CHECK(level_events(rx, 0) == pollout); // a mask of 0 is plain ZMQ_EVENTS: drained
    CHECK_FALSE(readable_now(fd));

    tx.send("one");
    zmtp::message m;
    rx.set(zmtp::opt::rcvtimeo, 5000);
    // Wait for the message through the blocking receive's own path, then check the level.
    tx.send("two");
    REQUIRE(rx.recv(m));
    CHECK(level_events(rx, pollin) == (pollin | pollout)); // "two" waits
    CHECK(readable_now(fd));
    CHECK(level_events(rx, pollin) == (pollin | pollout)); // reading again keeps it
    CHECK(readable_now(fd));
    REQUIRE(rx.recv(m));
    CHECK(m.to_string() == "two");
    CHECK(level_events(rx, pollin) == pollout);
    CHECK_FALSE(readable_now(fd));

    // A too-small buffer is refused, as for any int option.
    char small = 0;
    std::size_t size = 1;
    CHECK(rx.get_option_raw(zmtp::detail::opt_events_level, &small, &size) ==
          std::errc::invalid_argument);
}
