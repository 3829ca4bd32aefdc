// raw_peer: a plain POSIX stream socket (tcp or ipc) that speaks arbitrary bytes to a zmtp
// socket, so tests can send what no correct ZMTP peer would and check every byte we send
// (C-TEST-4). Blocking I/O bounded by SO_RCVTIMEO / SO_SNDTIMEO: every call returns within the
// timeout it is given. Shared by the bad-input and heartbeat suites.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zmtp::test {

using bytes = std::vector<std::uint8_t>;

/// How a bounded read ended.
enum class read_status {
    ok,      ///< got everything asked for
    closed,  ///< the server closed the connection (EOF or ECONNRESET)
    timeout, ///< the deadline passed first
    error,   ///< any other socket error
};

/// One frame read off the wire.
struct raw_frame {
    std::uint8_t flags = 0;
    bytes body;
    bool command() const noexcept { return (flags & 0x04) != 0; }
    bool more() const noexcept { return (flags & 0x01) != 0; }
    std::string text() const { return std::string(body.begin(), body.end()); }
    /// For a command: the name (length-prefixed), empty if malformed.
    std::string command_name() const;
    /// For a command: the bytes after the name.
    bytes command_data() const;
};

/// A blocking stream socket: a client it connected itself, or a connection it adopted.
class raw_peer {
public:
    using ms = std::chrono::milliseconds;

    raw_peer() = default;
    /// Takes ownership of a connected descriptor (e.g. from raw_acceptor).
    explicit raw_peer(int fd) noexcept : fd_(fd) {}
    ~raw_peer() { close(); }
    raw_peer(const raw_peer&) = delete;
    raw_peer& operator=(const raw_peer&) = delete;
    raw_peer(raw_peer&& other) noexcept;
    raw_peer& operator=(raw_peer&& other) noexcept;

    /// Connects to 127.0.0.1:port; false (and errno text in last_error()) on failure.
    bool connect(std::uint16_t port, ms timeout = ms(5000));
    /// Connects to "tcp://<IPv4 literal>:port", "ipc://path" or "ipc://@abstract"; false (and
    /// the reason in last_error()) on failure.
    bool connect(const std::string& endpoint, ms timeout = ms(5000));
    bool connected() const noexcept { return fd_ >= 0; }
    int native_handle() const noexcept { return fd_; }

    /// Writes all of `data` (MSG_NOSIGNAL); false if the connection broke or timed out.
    bool send(const std::uint8_t* data, std::size_t size, ms timeout = ms(5000));
    bool send(const bytes& data, ms timeout = ms(5000)) {
        return send(data.data(), data.size(), timeout);
    }
    bool send(std::string_view data, ms timeout = ms(5000)) {
        return send(reinterpret_cast<const std::uint8_t*>(data.data()), data.size(), timeout);
    }

    /// Reads exactly `n` bytes into `out` (appended) before `timeout`.
    read_status read_exact(std::size_t n, bytes& out, ms timeout = ms(5000));
    /// Reads one frame (header + body); the body must be at most `max_body` bytes.
    read_status read_frame(raw_frame& out, ms timeout = ms(5000),
                           std::uint64_t max_body = 1u << 20);

    /// Reads and discards (keeping a copy in `*seen` if given) until the server closes the
    /// connection: true once read() returns 0 or ECONNRESET, false if `timeout` passes first.
    bool wait_closed(ms timeout = ms(5000), bytes* seen = nullptr);
    /// Bounded observation for the "kept open" cases: true if the connection is still open
    /// (no EOF/reset) after watching it for `period`; received bytes go to `*seen`.
    bool stays_open(ms period, bytes* seen = nullptr);

    /// Half-close: we send FIN but keep reading.
    void shutdown_write();
    /// Closes; with `reset` the close sends RST (SO_LINGER 0) instead of FIN.
    void close(bool reset = false);

    /// Client side of a correct NULL handshake: sends our greeting and a READY with
    /// `properties`, reads the server's 64-octet greeting and its READY. On success the
    /// server's READY properties are in `server_ready`.
    bool handshake(const bytes& greeting, const bytes& ready, ms timeout = ms(5000));

    const std::string& last_error() const noexcept { return last_error_; }
    const raw_frame& server_ready() const noexcept { return server_ready_; }
    const bytes& server_greeting() const noexcept { return server_greeting_; }

private:
    /// recv() once with SO_RCVTIMEO set to what remains of the deadline.
    read_status recv_some(std::uint8_t* buf, std::size_t cap, std::size_t& got,
                          std::chrono::steady_clock::time_point deadline);
    void set_timeout(int opt, std::chrono::steady_clock::duration left);

    int fd_ = -1;
    std::string last_error_;
    raw_frame server_ready_;
    bytes server_greeting_;
};

// ---- bytes for the bad (and good) cases -------------------------------------------------

/// A 64-octet greeting: signature ff 00*8 7f, version major.minor, mechanism NUL-padded to 20,
/// as-server 0, filler 0. Tests then poke single octets to make it bad.
bytes greeting(std::uint8_t major = 3, std::uint8_t minor = 1, std::string_view mechanism = "NULL");

/// A frame with an explicit flags octet (reserved bits allowed); `long_form` forces the
/// 8-octet size even for small bodies (C-FRM-3), otherwise long iff the body exceeds 255.
bytes frame(std::uint8_t flags, std::string_view body, bool long_form = false);
/// Header only, with any 64-bit declared size in the long form.
bytes long_header(std::uint8_t flags, std::uint64_t declared_size);
/// Command frame `name-length name data` (short or long form by size).
bytes command(std::string_view name, std::string_view data = {});
/// READY body data from (name, value) properties, in order.
std::string properties(const std::vector<std::pair<std::string, std::string>>& props);
/// READY command carrying Socket-Type `type` (omitted when `type` is empty).
bytes ready(std::string_view type = "PAIR");
/// A plain message frame (MORE as given), short form.
bytes message_frame(std::string_view body, bool more = false);

/// Concatenation helper.
bytes cat(std::initializer_list<bytes> parts);

/// Hex dump for failure messages.
std::string hex(const bytes& b, std::size_t max = 64);

} // namespace zmtp::test
