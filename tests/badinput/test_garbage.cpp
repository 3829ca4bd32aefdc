// Random garbage (fixed seeds, so every failure reproduces) and abrupt peers: whatever arrives,
// the server closes the bad connection, never crashes, and keeps serving its good peer.
#include "tests/badinput/fixture.hpp"
#include "tests/support/catch.hpp"

#include <random>

using namespace zmtp;
using namespace zmtp::test;

namespace {

bytes random_bytes(std::mt19937& rng, std::size_t n) {
    std::uniform_int_distribution<int> octet(0, 255);
    bytes b(n);
    for (auto& x : b)
        x = static_cast<std::uint8_t>(octet(rng));
    return b;
}

} // namespace

TEST_CASE("C-GRT-7 C-HS-8 C-HS-9 random garbage is closed, good peer unaffected",
          "[badinput][garbage]") {
    // HANDSHAKE_IVL bounds the garbage that happens to declare a long command body.
    context ctx;
    bound_server srv(ctx, server_options{300, {}});
    good_peer good(ctx, srv);
    std::mt19937 rng(20240607u);
    std::uniform_int_distribution<std::size_t> length(1, 600);
    for (int i = 0; i < 40; ++i) {
        bytes bad = random_bytes(rng, length(rng));
        // Odd iterations: a valid greeting first, so the garbage reaches the READY parser.
        if (i % 2 == 1)
            bad = cat({greeting(), bad});
        // Every fourth: valid greeting and a READY header, garbage as READY body.
        if (i % 4 == 3 && bad.size() > 66) {
            bad[64] = 0x04;
            bad[65] = static_cast<std::uint8_t>(std::min<std::size_t>(bad.size() - 66, 255));
            bad[66] = 5;
        }
        INFO("iteration " << i << " seed 20240607");
        const auto r = expect_rejected(srv, good, bad);
        REQUIRE(r.closed);
    }
    good.finish();
}

TEST_CASE("C-FRM-4 random frames after a valid handshake never crash the server",
          "[badinput][garbage]") {
    // MAXMSGSIZE keeps random 64-bit sizes from asking for huge buffers (covered separately
    // in [hugesize]). Any outcome is fine for the garbage itself; afterwards the socket must
    // accept and serve a good peer.
    context ctx;
    bound_server srv(ctx, server_options{{}, 64 * 1024});
    std::mt19937 rng(777u);
    std::uniform_int_distribution<std::size_t> length(1, 2000);
    for (int i = 0; i < 30; ++i) {
        INFO("iteration " << i << " seed 777");
        auto raw = accept_raw(srv);
        bytes bad = random_bytes(rng, length(rng));
        // Make some of it look like frames: valid-ish flags with random sizes and bodies.
        if (i % 3 == 0)
            for (std::size_t p = 0; p + 2 < bad.size(); p += 2 + bad[p + 1])
                bad[p] &= 0x05; // short frames (maybe command / more)
        (void)raw.send(bad);
        raw.shutdown_write();
        // Either it is refused at once or it ends at our EOF: closed both ways.
        REQUIRE(raw.wait_closed(io_timeout));
        message m;
        while (srv.sock.recv(m, recv_flags::dontwait)) {
            // Whatever was decoded is fine; drain it so the next peer starts clean.
        }
    }
    check_new_good_peer(ctx, srv);
}

TEST_CASE("peers vanishing at every handshake stage leave the good peer unaffected",
          "[badinput][garbage]") {
    context ctx;
    bound_server srv(ctx);
    good_peer good(ctx, srv);
    const bytes full = cat({greeting(), ready("PAIR"), message_frame("lost")});
    const std::size_t cuts[] = {0, 1, 10, 11, 12, 40, 64, 65, 70, 64 + 28, full.size()};
    int n = 0;
    for (const bool reset : {false, true}) {
        for (const std::size_t cut : cuts) {
            INFO("cut at " << cut << (reset ? " with RST" : " with FIN"));
            raw_peer raw;
            REQUIRE(raw.connect(srv.port));
            if (cut > 0)
                (void)raw.send(full.data(), cut);
            raw.close(reset);
            if (++n % 4 == 0)
                good.round_trip(1);
        }
    }
    // A burst of connections that are opened and dropped without a byte.
    std::vector<raw_peer> burst(30);
    for (auto& r : burst)
        REQUIRE(r.connect(srv.port));
    for (std::size_t i = 0; i < burst.size(); ++i)
        burst[i].close(i % 2 == 0);
    good.round_trip(5);
    good.finish();
}

TEST_CASE("a good raw peer keeps working while bad raw clients are refused",
          "[badinput][garbage]") {
    // The GOOD peer here is itself a raw client with a correct greeting + READY.
    context ctx;
    bound_server srv(ctx);
    auto good = accept_raw(srv);
    auto g_bad_sig = greeting();
    g_bad_sig[0] = 0x7F;
    const bytes bads[] = {g_bad_sig, greeting(3, 1, "PLAIN"), cat({greeting(), ready("PUB")}),
                          cat({greeting(), message_frame("early")})};
    int seq = 0;
    for (const auto& bad : bads) {
        INFO(hex(bad));
        REQUIRE(good.send(message_frame("g" + std::to_string(seq))));
        REQUIRE(srv.sock.send("s" + std::to_string(seq)));
        raw_peer raw;
        REQUIRE(raw.connect(srv.port));
        (void)raw.send(bad);
        CHECK(raw.wait_closed(io_timeout));
        REQUIRE(recv_text(srv.sock) == "g" + std::to_string(seq));
        raw_frame f;
        REQUIRE(good.read_frame(f) == read_status::ok);
        REQUIRE(f.text() == "s" + std::to_string(seq));
        ++seq;
    }
    CHECK(nothing_pending(srv.sock));
    bytes extra;
    CHECK(good.stays_open(std::chrono::milliseconds(50), &extra));
    CHECK(extra.empty());
}
