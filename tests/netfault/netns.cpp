// nft(8) driven through the shell; the rules live in table "inet zmtp_netfault".
#include "tests/netfault/netns.hpp"

#include "tests/support/catch.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace zmtp::test {

void nft(const std::string& args) {
    const std::string cmd = "nft " + args;
    INFO(cmd);
    REQUIRE(std::system(cmd.c_str()) == 0);
}

partition::partition(std::uint16_t port) {
    const std::string p = std::to_string(port);
    nft("add table inet zmtp_netfault");
    nft("'add chain inet zmtp_netfault input { type filter hook input priority 0; }'");
    nft("add rule inet zmtp_netfault input tcp dport " + p + " counter drop");
    nft("add rule inet zmtp_netfault input tcp sport " + p + " counter drop");
}

partition::~partition() { heal(); }

void partition::heal() {
    if (active_)
        std::system("nft delete table inet zmtp_netfault");
    active_ = false;
}

std::uint64_t partition::dropped() const {
    std::FILE* f = ::popen("nft list chain inet zmtp_netfault input 2>/dev/null", "r");
    if (!f)
        return 0;
    std::uint64_t total = 0;
    char line[512];
    while (std::fgets(line, sizeof line, f)) {
        // "... counter packets N bytes M drop"
        const char* at = std::strstr(line, "packets ");
        unsigned long long n = 0;
        if (at && std::sscanf(at, "packets %llu", &n) == 1)
            total += n;
    }
    ::pclose(f);
    return total;
}

} // namespace zmtp::test
