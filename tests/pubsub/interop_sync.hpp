// Probing a subscription across our sockets and libzmq's: publish numbered probes until the
// subscriber gets the latest, so the subscription is known to be in place (C-TEST-1).
#pragma once

#include "tests/pubsub/pubsub_support.hpp"
#include "tests/support/libzmq_socket.hpp"

#include <cstdint>
#include <string>

namespace zmtp::pubsub_test {

/// Our PUB to a libzmq SUB.
inline std::uint64_t sync_ours_to_zmq(zmtp::socket& pub, zmtp::test::zmq_sock& sub,
                                      const std::string& topic) {
    return sync_probe([&](const std::string& f) { REQUIRE(pub.send(f)); },
                      [&](int ms) { return sub.recv_parts(ms); }, topic);
}

/// A libzmq PUB to our SUB.
inline std::uint64_t sync_zmq_to_ours(zmtp::test::zmq_sock& pub, zmtp::socket& sub,
                                      const std::string& topic) {
    return sync_probe([&](const std::string& f) { REQUIRE(pub.send_parts({f})); },
                      [&](int ms) { return zmtp::test::recv_parts(sub, ms); }, topic);
}

} // namespace zmtp::pubsub_test
