// Hostile peers before and after the handshake, with the resources they may take checked:
// an enormous declared READY (dropped on its header, memory bounded), a READY above the 64 KiB
// handshake command cap whatever MAXMSGSIZE says, a READY naming Socket-Type twice, and the
// memory held by idle connections. A good peer is served throughout.
#include "tests/badinput/fixture.hpp"
#include "tests/support/catch.hpp"

#include <fstream>
#include <unistd.h>
#include <string>
#include <vector>

using namespace zmtp;
using namespace zmtp::test;

namespace {

/// Resident set size of this process in KiB (Linux /proc/self/statm).
long rss_kib() {
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

std::string padding_property(std::size_t value_size) {
    return properties({{"Socket-Type", "PAIR"}, {"X", std::string(value_size, 'v')}});
}

} // namespace

TEST_CASE("a READY declared 2^40 octets is dropped on its header; memory stays bounded",
          "[badinput][handshake][resources]") {
    context ctx;
    bound_server srv(ctx); // HANDSHAKE_IVL 30 s: the drop must not wait for it
    good_peer good(ctx, srv);
    good.round_trip(2);
    const long before = rss_kib();
    raw_peer raw;
    REQUIRE(raw.connect(srv.port));
    REQUIRE(raw.send(cat({greeting(), long_header(0x04, std::uint64_t{1} << 40)})));
    // Stream the "body": 32 MiB at most. Before the cap, the handshake buffered all of it.
    const bytes chunk(1 << 20, 'r');
    int sent = 0;
    while (sent < 32 && raw.send(chunk.data(), chunk.size(), std::chrono::milliseconds(2000)))
        ++sent;
    CHECK(raw.wait_closed(io_timeout)); // closed within 5 s, not HANDSHAKE_IVL
    const long growth = rss_kib() - before;
    INFO("RSS growth " << growth << " KiB after " << sent << " MiB streamed");
    CHECK(growth < 4 * 1024); // the socket buffers are the kernel's; we hold < 64 KiB for it
    good.round_trip(3);
    good.finish();
}

TEST_CASE("handshake commands above 64 KiB are refused whatever MAXMSGSIZE",
          "[badinput][handshake]") {
    context ctx;
    bound_server srv(ctx, {{}, std::int64_t{1} << 20}); // MAXMSGSIZE 1 MiB
    good_peer good(ctx, srv);
    // Body 6 ("\x05READY") + 20 (Socket-Type PAIR) + 6 (name X, lengths) + value.
    const auto over = expect_rejected(srv, good,
                                      cat({greeting(), command("READY", padding_property(
                                                                           64 * 1024 + 1 - 32))}));
    CHECK(over.closed);
    good.finish();
    // Exactly 64 KiB is a legal READY: that peer is accepted (by a server of its own, a PAIR
    // takes one peer).
    bound_server other(ctx, {{}, std::int64_t{1} << 20});
    raw_peer raw = accept_raw(other, command("READY", padding_property(64 * 1024 - 32)));
    close_and_wait(raw);
}

TEST_CASE("a READY naming Socket-Type twice is refused", "[badinput][handshake]") {
    // libzmq 4.3.4 checks every Socket-Type it finds (PAIR then PUB: dropped); we refuse any
    // duplicate, so which value counts is never ambiguous.
    for (const char* second : {"PUB", "PAIR"}) {
        INFO(second);
        context ctx;
        bound_server srv(ctx);
        good_peer good(ctx, srv);
        const auto props = properties({{"Socket-Type", "PAIR"}, {"Socket-Type", second}});
        const auto r = expect_rejected(srv, good, cat({greeting(), command("READY", props)}));
        CHECK(r.closed);
        good.finish();
    }
}
