// The network namespace of the netns tests and the nftables rules that break it.
#pragma once

#include <cstdint>
#include <string>

namespace zmtp::test {

/// Runs `nft <args>` (in this process's namespace); fails the test if it fails.
void nft(const std::string& args);

/// A partition of one TCP port on the loopback: every packet to or from it is dropped (an
/// input-hook rule with a counter, in a table of its own) until heal() or destruction.
class partition {
public:
    explicit partition(std::uint16_t port);
    ~partition();
    partition(const partition&) = delete;
    partition& operator=(const partition&) = delete;
    /// Packets the rule dropped so far: proof that the partition bit.
    std::uint64_t dropped() const;
    void heal();

private:
    bool active_ = true;
};

} // namespace zmtp::test
