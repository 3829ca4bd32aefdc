// test_stream: see test_stream.hpp.
#include "tests/support/test_stream.hpp"

#include <asio/error.hpp>
#include <asio/post.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace zmtp::test {

void test_stream::complete(io_handler h, std::error_code ec, std::size_t n) {
    asio::post(io_, [h = std::move(h), ec, n] { h(ec, n); });
}

void test_stream::peer_send(const std::vector<std::uint8_t>& bytes) {
    peer_send(bytes.data(), bytes.size());
}

void test_stream::peer_send(const std::uint8_t* p, std::size_t n) {
    if (peer_closed_)
        throw std::logic_error("test_stream: peer_send after peer_close");
    inbound_.insert(inbound_.end(), p, p + n);
    try_read();
}

void test_stream::peer_close() {
    peer_closed_ = true;
    try_read();
}

std::vector<std::uint8_t> test_stream::take_written() {
    std::vector<std::uint8_t> out;
    out.swap(written_);
    return out;
}

void test_stream::stall_writes(bool on) {
    stalled_ = on;
    if (!on)
        try_write();
}

void test_stream::async_read_some(std::vector<asio::mutable_buffer> buffers, io_handler h) {
    if (pending_read_)
        throw std::logic_error("test_stream: two reads at once");
    ++reads_;
    pending_op op{std::move(buffers), {}, std::move(h), {}};
    if (auto it = read_faults_.find(reads_); it != read_faults_.end())
        op.fault = it->second;
    if (closed_) {
        complete(std::move(op.handler), asio::error::bad_descriptor, 0);
        return;
    }
    pending_read_ = std::move(op);
    try_read();
}

void test_stream::try_read() {
    if (!pending_read_)
        return;
    auto& op = *pending_read_;
    if (op.fault.error) {
        auto h = std::move(op.handler);
        const auto ec = op.fault.error;
        pending_read_.reset();
        complete(std::move(h), ec, 0);
        return;
    }
    std::size_t room = asio::buffer_size(op.rbufs);
    if (room == 0) { // as a socket: an empty read completes at once
        auto h = std::move(op.handler);
        pending_read_.reset();
        complete(std::move(h), {}, 0);
        return;
    }
    const std::size_t avail = inbound_.size() - in_pos_;
    if (avail == 0) {
        if (!peer_closed_)
            return; // waits for the peer
        auto h = std::move(op.handler);
        pending_read_.reset();
        complete(std::move(h), asio::error::eof, 0);
        return;
    }
    std::size_t n = std::min({avail, room, op.fault.max_bytes});
    if (read_limit_ > 0)
        n = std::min(n, read_limit_);
    if (read_total_ < read_cut_ && read_total_ + n > read_cut_)
        n = read_cut_ - read_total_;
    const std::size_t copied =
        asio::buffer_copy(op.rbufs, asio::const_buffer(inbound_.data() + in_pos_, n));
    in_pos_ += copied;
    read_total_ += copied;
    if (in_pos_ == inbound_.size()) {
        inbound_.clear();
        in_pos_ = 0;
    }
    auto h = std::move(op.handler);
    pending_read_.reset();
    complete(std::move(h), {}, copied);
}

void test_stream::async_write_some(std::vector<asio::const_buffer> buffers, io_handler h) {
    if (pending_write_)
        throw std::logic_error("test_stream: two writes at once");
    ++writes_;
    pending_op op{{}, std::move(buffers), std::move(h), {}};
    if (auto it = write_faults_.find(writes_); it != write_faults_.end())
        op.fault = it->second;
    if (closed_) {
        complete(std::move(op.handler), asio::error::bad_descriptor, 0);
        return;
    }
    pending_write_ = std::move(op);
    try_write();
}

void test_stream::try_write() {
    if (!pending_write_)
        return;
    auto& op = *pending_write_;
    if (op.fault.error) {
        auto h = std::move(op.handler);
        const auto ec = op.fault.error;
        pending_write_.reset();
        complete(std::move(h), ec, 0);
        return;
    }
    if (stalled_)
        return;
    std::size_t n = std::min(asio::buffer_size(op.wbufs), op.fault.max_bytes);
    if (write_limit_ > 0)
        n = std::min(n, write_limit_);
    if (write_total_ < write_cut_ && write_total_ + n > write_cut_)
        n = write_cut_ - write_total_;
    const std::size_t start = written_.size();
    written_.resize(start + n);
    const std::size_t copied = asio::buffer_copy(asio::mutable_buffer(written_.data() + start, n),
                                                 op.wbufs);
    write_total_ += copied;
    auto h = std::move(op.handler);
    pending_write_.reset();
    complete(std::move(h), {}, copied);
}

std::size_t test_stream::write_now(asio::const_buffer b, std::error_code& ec) {
    ec = {};
    if (closed_ || stalled_) {
        ec = asio::error::would_block;
        return 0;
    }
    const auto* p = static_cast<const std::uint8_t*>(b.data());
    written_.insert(written_.end(), p, p + b.size());
    write_total_ += b.size();
    return b.size();
}

void test_stream::close() {
    closed_ = true;
    // As a socket's close: the operations in progress end with operation_aborted.
    for (auto* op : {&pending_read_, &pending_write_}) {
        if (!*op)
            continue;
        auto h = std::move((*op)->handler);
        op->reset();
        complete(std::move(h), asio::error::operation_aborted, 0);
    }
}

} // namespace zmtp::test
