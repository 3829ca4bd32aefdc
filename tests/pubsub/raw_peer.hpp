// A hand-driven ZMTP peer on a plain POSIX TCP socket, the wire-format oracle for PUB/SUB
// (C-TEST-4): our greeting/READY via the codec, every other byte written and checked by hand.
// Every wait is bounded; failures throw std::runtime_error (which fails the test case).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zmtp::pubsub_test {

using bytes = std::vector<std::uint8_t>;

/// Bytes of a string (for building expected wire data).
bytes to_bytes(std::string_view s);
/// "04 0b 09 ..." for failure messages.
std::string hex(const bytes& b);

/// One frame read off the wire.
struct raw_frame {
    std::uint8_t flags = 0; ///< flags octet as sent (LONG included)
    bytes header;           ///< the header bytes exactly as sent (2 or 9)
    bytes body;
    bool more() const { return (flags & 0x01) != 0; }
    bool command() const { return (flags & 0x04) != 0; }
    std::string text() const { return {body.begin(), body.end()}; }
};

/// A connected raw TCP socket with an input buffer.
class raw_conn {
public:
    raw_conn() = default;
    explicit raw_conn(int fd) : fd_(fd) {}
    ~raw_conn();
    raw_conn(raw_conn&& other) noexcept;
    raw_conn& operator=(raw_conn&& other) noexcept;
    raw_conn(const raw_conn&) = delete;
    raw_conn& operator=(const raw_conn&) = delete;

    /// Connects to "tcp://127.0.0.1:PORT".
    static raw_conn connect(const std::string& endpoint, int timeout_ms = 10000);

    void close();
    bool is_open() const { return fd_ >= 0; }

    /// Writes all of `data` within `timeout_ms`.
    void send_bytes(const bytes& data, int timeout_ms = 10000);
    /// Exactly `n` bytes within `timeout_ms` (throws on timeout or EOF).
    bytes read_exact(std::size_t n, int timeout_ms = 10000);
    /// The next whole frame within `timeout_ms`; nothing on timeout; throws on EOF. `pump` is
    /// called every few milliseconds while waiting (e.g. to let our SUB process its mailbox).
    std::optional<raw_frame> read_frame(int timeout_ms, const std::function<void()>& pump = {});
    /// The next frame, which must arrive within `timeout_ms`.
    raw_frame expect_frame(int timeout_ms = 10000, const std::function<void()>& pump = {});
    /// The next whole message (all frames) within `timeout_ms`; nothing on timeout.
    std::optional<std::vector<std::string>> read_message(int timeout_ms);
    /// True once the peer closed the connection (EOF) within `timeout_ms`; data read meanwhile
    /// is discarded.
    bool wait_eof(int timeout_ms);

    /// NULL handshake as `socket_type` announcing 3.`minor`: sends our greeting + READY, reads
    /// the peer's 64-byte greeting and READY. Returns the peer's greeting.
    bytes handshake(std::uint8_t minor, std::string_view socket_type);
    /// Socket-Type found in the peer's READY during handshake().
    const std::string& peer_socket_type() const { return peer_type_; }

private:
    /// Reads whatever is available into in_ within `timeout_ms`; false on timeout; throws on EOF.
    bool fill(int timeout_ms);

    int fd_ = -1;
    bytes in_;
    std::string peer_type_;
};

/// A raw TCP listener on 127.0.0.1 with an ephemeral port.
class raw_listener {
public:
    raw_listener();
    ~raw_listener();
    raw_listener(const raw_listener&) = delete;
    raw_listener& operator=(const raw_listener&) = delete;

    /// "tcp://127.0.0.1:PORT".
    std::string endpoint() const;
    /// Accepts one connection within `timeout_ms`; `pump` is called while waiting.
    raw_conn accept(int timeout_ms = 10000, const std::function<void()>& pump = {});

private:
    int fd_ = -1;
    int port_ = 0;
};

/// Frame builders (hand-written bytes, not the codec, so the tests check the codec).
/// A short or long data frame.
bytes data_frame(std::string_view body, bool more = false);
/// A ZMTP 3.1 SUBSCRIBE or CANCEL command (short or long).
bytes command_subscription(bool subscribe, std::string_view topic);
/// A ZMTP 3.0 subscription message: 0x01/0x00 + topic.
bytes legacy_subscription(bool subscribe, std::string_view topic);

} // namespace zmtp::pubsub_test
