// Bad-input fixtures: bound server, good peer with exactly-once/in-order checks, raw rejection.
#include "tests/badinput/fixture.hpp"

#include "tests/support/catch.hpp"

#include <cstring>

namespace zmtp::test {

namespace {
using clock = std::chrono::steady_clock;

const bytes null_mechanism = {'N', 'U', 'L', 'L'};
} // namespace

void configure(zmtp::socket& s) {
    s.set(opt::linger, 0);
    s.set(opt::rcvtimeo, static_cast<int>(io_timeout.count()));
    s.set(opt::sndtimeo, static_cast<int>(io_timeout.count()));
}

bound_server::bound_server(zmtp::context& ctx, const server_options& opts)
    : sock(ctx, socket_type::pair) {
    configure(sock);
    if (opts.handshake_ivl)
        sock.set(opt::handshake_ivl, *opts.handshake_ivl);
    if (opts.maxmsgsize)
        sock.set(opt::maxmsgsize, *opts.maxmsgsize);
    sock.bind("tcp://127.0.0.1:*");
    endpoint = sock.get(opt::last_endpoint);
    const auto colon = endpoint.rfind(':');
    REQUIRE(colon != std::string::npos);
    port = static_cast<std::uint16_t>(std::stoi(endpoint.substr(colon + 1)));
    REQUIRE(port != 0);
}

std::string recv_text(zmtp::socket& s, bool* more) {
    message m;
    std::error_code ec;
    if (!s.recv(m, recv_flags::none, ec)) // RCVTIMEO expired (a message was lost) or an error
        return "<no message: " + ec.message() + ">";
    if (more)
        *more = m.more();
    return m.to_string();
}

bool nothing_pending(zmtp::socket& s) {
    message m;
    std::error_code ec;
    if (s.recv(m, recv_flags::dontwait, ec)) {
        UNSCOPED_INFO("unexpected message: '" << m.to_string() << "'");
        return false;
    }
    return is_would_block(ec);
}

good_peer::good_peer(zmtp::context& ctx, bound_server& server)
    : sock(ctx, socket_type::pair), server_(server.sock) {
    configure(sock);
    sock.connect(server.endpoint);
    // The connecting PAIR queues before the handshake (C-PAIR-4); the bound one has no pipe
    // until the peer is attached, so the first message goes this way. Only once it arrived is
    // this peer the server's peer: a message the server sent earlier could still go to a
    // previous peer that is dying but not yet known dead (lost with it, as in libzmq, C-PAIR-8).
    REQUIRE(sock.send("c2s-" + std::to_string(c2s_sent_++)));
    expect_all();
    round_trip(1);
}

void good_peer::send_both(int n) {
    for (int i = 0; i < n; ++i) {
        REQUIRE(sock.send("c2s-" + std::to_string(c2s_sent_++)));
        REQUIRE(server_.send("s2c-" + std::to_string(s2c_sent_++)));
    }
}

void good_peer::expect_all() {
    while (c2s_got_ < c2s_sent_) {
        bool more = true;
        const auto got = recv_text(server_, &more);
        REQUIRE(got == "c2s-" + std::to_string(c2s_got_++));
        REQUIRE_FALSE(more);
    }
    while (s2c_got_ < s2c_sent_) {
        bool more = true;
        const auto got = recv_text(sock, &more);
        REQUIRE(got == "s2c-" + std::to_string(s2c_got_++));
        REQUIRE_FALSE(more);
    }
}

void good_peer::finish() {
    expect_all();
    REQUIRE(sock.send(std::string("end-c2s")));
    REQUIRE(server_.send(std::string("end-s2c")));
    const auto end_c2s = recv_text(server_);
    REQUIRE(end_c2s == "end-c2s");
    const auto end_s2c = recv_text(sock);
    REQUIRE(end_s2c == "end-s2c");
    CHECK(nothing_pending(server_));
    CHECK(nothing_pending(sock));
}

raw_peer accept_raw(bound_server& server, const bytes& ready_frame) {
    raw_peer raw;
    REQUIRE(raw.connect(server.port));
    INFO("raw handshake: " << raw.last_error());
    REQUIRE(raw.handshake(greeting(), ready_frame));
    REQUIRE(raw.send(message_frame("raw-hello")));
    const auto hello = recv_text(server.sock); // attaches the raw connection's pipe
    REQUIRE(hello == "raw-hello");
    REQUIRE(server.sock.send(std::string("to-raw")));
    raw_frame f;
    REQUIRE(raw.read_frame(f) == read_status::ok);
    REQUIRE(f.flags == 0x00);
    REQUIRE(f.text() == "to-raw");
    return raw;
}

void close_and_wait(raw_peer& raw) {
    raw.shutdown_write();
    REQUIRE(raw.wait_closed(io_timeout));
    raw.close();
}

void check_new_good_peer(zmtp::context& ctx, bound_server& server) {
    good_peer good(ctx, server); // its constructor already needs one round trip
    good.round_trip(3);
    good.finish();
}

std::vector<raw_frame> split_frames(const bytes& stream, std::size_t offset) {
    std::vector<raw_frame> out;
    std::size_t p = offset;
    while (p + 2 <= stream.size()) {
        raw_frame f;
        f.flags = stream[p];
        std::uint64_t size = stream[p + 1];
        std::size_t header = 2;
        if (f.flags & 0x02) {
            if (p + 9 > stream.size())
                break;
            size = 0;
            for (std::size_t i = 1; i < 9; ++i)
                size = (size << 8) | stream[p + i];
            header = 9;
        }
        if (size > stream.size() - p - header)
            break;
        f.body.assign(stream.begin() + static_cast<std::ptrdiff_t>(p + header),
                      stream.begin() + static_cast<std::ptrdiff_t>(p + header + size));
        out.push_back(std::move(f));
        p += header + static_cast<std::size_t>(size);
    }
    return out;
}

bool starts_with_our_greeting(const bytes& b) {
    if (b.size() < 64 || b[0] != 0xFF || b[9] != 0x7F || b[10] != 3 || b[11] != 1)
        return false;
    if (!std::equal(null_mechanism.begin(), null_mechanism.end(), b.begin() + 12))
        return false;
    for (std::size_t i = 16; i < 64; ++i)
        if (b[i] != 0)
            return false;
    return true;
}

rejection expect_rejected(bound_server& server, good_peer& good, const bytes& bad,
                          bool half_close) {
    good.round_trip(3); // before
    good.send_both(2);  // in flight while the bad connection is handled

    rejection r;
    raw_peer raw;
    const auto start = clock::now();
    REQUIRE(raw.connect(server.port));
    // The server may close before taking everything, so a failed send is not an error here.
    (void)raw.send(bad);
    if (half_close)
        raw.shutdown_write();
    r.closed = raw.wait_closed(io_timeout, &r.seen);
    r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
    INFO("bad input: " << hex(bad) << "\nserver sent: " << hex(r.seen, 200));
    CHECK(r.closed);

    good.send_both(2); // after
    good.expect_all();
    return r;
}

} // namespace zmtp::test
