// main of test_netfault_netns: the whole process moves into a network namespace of its own
// (before any thread exists, so every I/O thread is in it too), with only a loopback, where
// the tests may add nftables rules without touching the machine's network. Needs root:
// otherwise it says why and exits 77, which CTest (SKIP_RETURN_CODE) and Meson count as a skip.
#if !__has_include(<catch2/catch_all.hpp>)
#define CATCH_CONFIG_RUNNER
#endif
#include "tests/support/catch.hpp"

#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char* argv[]) {
    if (::geteuid() != 0) {
        std::printf("SKIPPED: the netns tests need root (unshare(CLONE_NEWNET) and nftables); "
                    "run as root, as CI does\n");
        return 77;
    }
    if (::unshare(CLONE_NEWNET) != 0) {
        std::printf("SKIPPED: unshare(CLONE_NEWNET): %s\n", std::strerror(errno));
        return 77;
    }
    if (std::system("ip link set lo up") != 0 || std::system("nft list ruleset >/dev/null") != 0) {
        std::printf("FAILED: 'ip' (iproute2) or 'nft' (nftables) is missing: tools/deps.sh\n");
        return 1;
    }
    return Catch::Session().run(argc, argv);
}
