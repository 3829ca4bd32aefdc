// Numbered PAIR streams for the network-fault tests: a sender side and a receiver side per
// direction, pumped without blocking, with the receiver checking every number it gets.
#pragma once

#include "tests/netfault/peer.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace zmtp::test {

struct stream {
    stream(peer* f, peer* t, std::string name, std::uint64_t count, std::size_t bytes = 64,
           bool no_loss = true)
        : from(f), to(t), tag(std::move(name)), total(count), size(bytes), lossless(no_loss) {}
    peer* from;
    peer* to;
    std::string tag;
    std::uint64_t total;        // messages to send
    std::size_t size = 64;      // bytes per message (numbered() pads)
    bool lossless = true;       // false: one gap (a cut connection) is allowed
    std::uint64_t sent = 0;     // next number to send
    std::uint64_t received = 0; // messages received
    std::uint64_t next = 0;     // the number expected next
    int gaps = 0;               // ranges that never arrived
    std::vector<std::string> problems;
    bool done() const { return received > 0 && next == total; }
};

/// One round: each stream sends what it can without blocking and takes what has arrived.
/// Returns true if anything moved.
bool pump(std::vector<stream*> streams, int wait_ms = 1);
/// Pumps until every stream is done (or 10 s pass); true if all are done.
bool pump_all(std::vector<stream*> streams);
/// Sends on `s` until the send would block (back-pressure reached) or `limit` messages went;
/// returns how many went.
std::uint64_t fill_until_blocked(stream& s, std::uint64_t limit);

} // namespace zmtp::test
