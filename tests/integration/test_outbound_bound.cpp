// Outbound memory is bounded by SNDHWM (issue 10 item 16): towards a tcp peer that never reads,
// a socket accepts at most SNDHWM messages beyond what the kernel buffers hold, whatever the
// message size — the engine's write batch counts against the HWM until the kernel has it.
//
// Exact, not timed: at any EAGAIN, accepted - (messages the engine finished writing) == SNDHWM,
// and every finished message is then in one of the two kernel buffers of the connection (the
// peer reads nothing), which only fill further afterwards. So after EAGAIN:
//   accepted <= SNDHWM + (bytes in our send queue + bytes in the peer's receive queue) / wire size.
// The waits below only make the test reach the stalled state, where an unbounded batch shows.
#include "tests/support/catch.hpp"
#include "tests/support/raw_acceptor.hpp"
#include "tests/support/raw_peer.hpp"
#include "zmtp/zmtp.hpp"

#include <dirent.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <string>

using namespace zmtp;
using zmtp::test::raw_peer;

namespace {

bool same_address(const sockaddr_storage& a, socklen_t alen, const sockaddr_storage& b,
                  socklen_t blen) {
    return alen == blen && std::memcmp(&a, &b, alen) == 0;
}

/// Our end of the raw peer's connection: the descriptor in this process whose peer address is
/// the raw peer's local address (-1 if none).
int our_end_of(const raw_peer& peer) {
    sockaddr_storage want{};
    socklen_t want_len = sizeof want;
    if (::getsockname(peer.native_handle(), reinterpret_cast<sockaddr*>(&want), &want_len) != 0)
        return -1;
    DIR* dir = ::opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int found = -1;
    while (dirent* e = ::readdir(dir)) {
        const int fd = std::atoi(e->d_name);
        if (fd <= 2 || fd == peer.native_handle())
            continue;
        sockaddr_storage got{};
        socklen_t got_len = sizeof got;
        if (::getpeername(fd, reinterpret_cast<sockaddr*>(&got), &got_len) == 0 &&
            same_address(got, got_len, want, want_len)) {
            found = fd;
            break;
        }
    }
    ::closedir(dir);
    return found;
}

/// Bytes the kernel holds for the connection: unsent/unacknowledged in our send queue plus
/// unread in the peer's receive queue.
std::size_t kernel_bytes(int ours, const raw_peer& peer) {
    int out = 0, in = 0;
    REQUIRE(::ioctl(ours, SIOCOUTQ, &out) == 0);
    REQUIRE(::ioctl(peer.native_handle(), SIOCINQ, &in) == 0);
    return static_cast<std::size_t>(out) + static_cast<std::size_t>(in);
}

std::size_t wire_size(std::size_t body) {
    return body + (body > 255 ? 9 : 2);
}

} // namespace

TEST_CASE("A PUSH towards a tcp peer that never reads holds at most SNDHWM messages beyond "
          "the kernel buffers",
          "[hwm][tcp][memory]") {
    const std::size_t body = GENERATE(std::size_t(16), std::size_t(256 * 1024));
    const int hwm = body > 1024 ? 40 : 100;
    INFO("message size " << body << ", SNDHWM " << hwm);
    context ctx;
    zmtp::socket push(ctx, socket_type::push);
    push.set(opt::linger, 0);
    push.set(opt::sndhwm, hwm);
    // Connecting: the queue exists before the peer, so it is full (SNDHWM) when the connection
    // comes up and the engine's first batch could take all of it at once.
    zmtp::test::raw_acceptor acceptor("tcp");
    push.connect(acceptor.endpoint());
    const std::string payload(body, 'x');
    std::error_code ec;
    std::size_t accepted = 0;
    while (push.send(payload.data(), payload.size(), send_flags::dontwait, ec))
        ++accepted;
    REQUIRE(accepted == static_cast<std::size_t>(hwm));
    raw_peer peer = acceptor.accept();
    REQUIRE(peer.connected());
    REQUIRE(peer.handshake(zmtp::test::greeting(), zmtp::test::ready("PULL")));

    // Then as fast as possible; at EAGAIN wait a little for room (the engine may still be
    // handing bytes to the kernel). A wait that ends without room means the line is stalled.
    push.set(opt::sndtimeo, 200);
    while (accepted < 10'000'000) { // a bound that never comes would be a bug
        if (push.send(payload.data(), payload.size(), send_flags::dontwait, ec)) {
            ++accepted;
            continue;
        }
        REQUIRE(ec == std::errc::resource_unavailable_try_again);
        if (!push.send(payload.data(), payload.size(), send_flags::none, ec))
            break;
        ++accepted;
    }
    const int ours = our_end_of(peer);
    REQUIRE(ours >= 0);
    const std::size_t in_kernel = kernel_bytes(ours, peer) / wire_size(body);
    INFO("accepted " << accepted << ", in the kernel " << in_kernel);
    CHECK(accepted <= static_cast<std::size_t>(hwm) + in_kernel);
    // And the stall is real: the socket does hold SNDHWM messages of its own.
    CHECK(accepted >= static_cast<std::size_t>(hwm));
}
