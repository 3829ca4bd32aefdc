// test_stream: an in-memory byte stream for unit tests of the stream engine (after Beast's
// test stream). The engine side goes through engine_stream's stream_backend; the test plays
// the peer: it pushes the bytes the peer sends (peer_send), takes what the engine wrote
// (take_written), closes the peer side (peer_close), and injects faults by operation number:
// the N-th read or write fails with an error or completes short. Completions are posted to the
// io_context, never run inside the call, as a socket's are; nothing blocks and nothing waits in
// real time, so a test advances with io.poll() or virtual_clock::advance().
#pragma once

#include "transports/stream/engine_stream.hpp"

#include <asio/io_context.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <system_error>
#include <vector>

namespace zmtp::test {

/// What happens to one read or write (operations are numbered from 1 per direction).
struct io_fault {
    std::error_code error;                     ///< set: the operation fails with it
    std::size_t max_bytes = static_cast<std::size_t>(-1); ///< otherwise: at most this many
};

class test_stream final : public detail::stream_backend,
                          public std::enable_shared_from_this<test_stream> {
public:
    explicit test_stream(asio::io_context& io) : io_(io) {}

    /// The engine's end, to construct a stream_engine with.
    static detail::engine_stream engine_end(asio::io_context& io,
                                            const std::shared_ptr<test_stream>& s) {
        return detail::engine_stream(io, s);
    }

    // The peer, scripted by the test.
    void peer_send(const std::vector<std::uint8_t>& bytes);
    void peer_send(const std::uint8_t* p, std::size_t n);
    /// The peer closes (FIN): reads see EOF once what it sent is read.
    void peer_close();
    /// Everything the engine wrote so far, removed from the stream.
    std::vector<std::uint8_t> take_written();
    const std::vector<std::uint8_t>& written() const noexcept { return written_; }
    /// While stalled, writes stay pending (a peer that stopped reading); unstall completes them.
    void stall_writes(bool on);

    // Faults.
    void fault_read(std::size_t nth, io_fault f) { read_faults_[nth] = f; }
    void fault_write(std::size_t nth, io_fault f) { write_faults_[nth] = f; }
    /// The read / write that would cross this offset of its direction's byte stream stops
    /// there (a short read or write at a chosen position).
    void cut_reads_at(std::size_t offset) { read_cut_ = offset; }
    void cut_writes_at(std::size_t offset) { write_cut_ = offset; }
    /// Every read / write completes with at most this many octets (0 = no limit).
    void limit_reads(std::size_t n) { read_limit_ = n; }
    void limit_writes(std::size_t n) { write_limit_ = n; }

    // What the engine did.
    std::size_t reads_started() const noexcept { return reads_; }
    std::size_t writes_started() const noexcept { return writes_; }
    bool read_pending() const noexcept { return pending_read_.has_value(); }
    bool write_pending() const noexcept { return pending_write_.has_value(); }
    bool closed() const noexcept { return closed_; }
    bool shut_down_send() const noexcept { return shut_send_; }

    // stream_backend (the engine's calls).
    void async_read_some(std::vector<asio::mutable_buffer> buffers, io_handler h) override;
    void async_write_some(std::vector<asio::const_buffer> buffers, io_handler h) override;
    std::size_t write_now(asio::const_buffer b, std::error_code& ec) override;
    std::size_t available() override { return inbound_.size() - in_pos_; }
    void shutdown_send() override { shut_send_ = true; }
    void close() override;

private:
    struct pending_op {
        std::vector<asio::mutable_buffer> rbufs;
        std::vector<asio::const_buffer> wbufs;
        io_handler handler;
        io_fault fault;
    };
    void complete(io_handler h, std::error_code ec, std::size_t n);
    void try_read();
    void try_write();

    asio::io_context& io_;
    std::vector<std::uint8_t> inbound_; ///< peer -> engine; [in_pos_, end) not read yet
    std::size_t in_pos_ = 0;
    bool peer_closed_ = false;
    std::vector<std::uint8_t> written_; ///< engine -> peer
    bool stalled_ = false;
    bool closed_ = false;
    bool shut_send_ = false;
    std::size_t reads_ = 0;
    std::size_t writes_ = 0;
    std::size_t read_limit_ = 0;
    std::size_t write_limit_ = 0;
    static constexpr std::size_t no_cut = static_cast<std::size_t>(-1);
    std::size_t read_cut_ = no_cut;
    std::size_t write_cut_ = no_cut;
    std::size_t read_total_ = 0;  ///< octets read by the engine so far
    std::size_t write_total_ = 0; ///< octets written by the engine so far
    std::map<std::size_t, io_fault> read_faults_;
    std::map<std::size_t, io_fault> write_faults_;
    std::optional<pending_op> pending_read_;
    std::optional<pending_op> pending_write_;
};

} // namespace zmtp::test
