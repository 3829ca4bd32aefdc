// asio_socket_state: attempts without blocking, parks what must wait, and retries on the
// executor when the socket's readiness hook fires (a wake from a pipe, the mailbox or the
// context). Completions of parked ops run on the executor, never on a zmtp thread.
#include "zmtp/detail/asio_socket_state.hpp"

#include "asio_api/asio_socket_service.hpp"
#include "core/socket_base.hpp"
#include "zmtp/error.hpp"

#include <asio/error.hpp>
#include <asio/execution/context.hpp>
#include <asio/post.hpp>
#include <asio/query.hpp>

namespace zmtp::detail {

namespace {
constexpr int flag_dontwait = 1;
constexpr int flag_sndmore = 2;
} // namespace

asio_socket_state::asio_socket_state(asio::any_io_executor ex, context& ctx, socket_type type)
    : ex_(std::move(ex)), socket_(ctx, type) {}

asio_socket_state::~asio_socket_state() {
    close();
}

void asio_socket_state::start() {
    std::weak_ptr<asio_socket_state> weak = weak_from_this();
    // Runs on whichever thread woke the socket (an I/O thread, a peer's thread, the context's
    // terminator), with a pipe lock possibly held: only a post, nothing else.
    socket_.impl()->set_ready_callback([weak, ex = ex_] {
        asio::post(ex, [weak] {
            if (auto self = weak.lock())
                self->on_ready();
        });
    });
    asio::execution_context& owner = asio::query(ex_, asio::execution::context);
    asio::use_service<asio_socket_service>(owner).add(weak);
}

bool asio_socket_state::refuse(asio_dir d, std::error_code& ec, std::size_t& n) const {
    n = 0;
    if (closed_ || !socket_) {
        ec = std::make_error_code(std::errc::not_a_socket);
        return true;
    }
    if (abandoned_) {
        ec = asio::error::operation_aborted;
        return true;
    }
    if (ops_[index(d)]) {
        ec = std::make_error_code(std::errc::operation_in_progress); // one at a time
        return true;
    }
    return false;
}

bool asio_socket_state::begin_send(message&& frame, int flags, std::error_code& ec,
                                   std::size_t& n) {
    if (refuse(asio_dir::send, ec, n))
        return true;
    send_.frame = std::move(frame);
    send_.flags = flags & flag_sndmore;
    send_.multipart = false;
    ec = attempt_send(n);
    return !is_would_block(ec) || finish_or_arm(asio_dir::send, ec, n);
}

bool asio_socket_state::begin_send_multipart(std::vector<message>&& frames, std::error_code& ec,
                                             std::size_t& n) {
    if (refuse(asio_dir::send, ec, n))
        return true;
    if (frames.empty()) {
        ec = std::make_error_code(std::errc::invalid_argument); // a message has a frame
        return true;
    }
    send_.frames = std::move(frames);
    send_.next = 0;
    send_.multipart = true;
    ec = attempt_send(n);
    return !is_would_block(ec) || finish_or_arm(asio_dir::send, ec, n);
}

bool asio_socket_state::begin_recv(message* frame, std::vector<message>* frames,
                                   std::error_code& ec, std::size_t& n) {
    if (refuse(asio_dir::recv, ec, n))
        return true;
    recv_.frame = frame;
    recv_.frames = frames;
    if (frames)
        frames->clear();
    ec = attempt_recv(n);
    return !is_would_block(ec) || finish_or_arm(asio_dir::recv, ec, n);
}

std::error_code asio_socket_state::attempt_send(std::size_t& n) {
    socket_base& s = *socket_.impl();
    if (!send_.multipart) {
        n = send_.frame.size();
        return s.send(send_.frame, flag_dontwait | send_.flags);
    }
    // Only the first frame can wait (a message's later frames always follow, C-HWM-2).
    auto& frames = send_.frames;
    while (send_.next < frames.size()) {
        const bool last = send_.next + 1 == frames.size();
        if (auto ec = s.send(frames[send_.next], flag_dontwait | (last ? 0 : flag_sndmore)))
            return ec;
        ++send_.next;
    }
    n = frames.size();
    frames.clear();
    return {};
}

std::error_code asio_socket_state::attempt_recv(std::size_t& n) {
    socket_base& s = *socket_.impl();
    if (!recv_.frames) {
        auto ec = s.recv(*recv_.frame, flag_dontwait);
        n = ec ? 0 : recv_.frame->size();
        return ec;
    }
    // A message's frames become readable together, so after the first the rest follow.
    auto& frames = *recv_.frames;
    for (;;) {
        message m;
        if (auto ec = s.recv(m, flag_dontwait))
            return ec;
        const bool more = m.more();
        frames.push_back(std::move(m));
        if (!more)
            break;
    }
    n = frames.size();
    return {};
}

bool asio_socket_state::finish_or_arm(asio_dir d, std::error_code& ec, std::size_t& n) {
    socket_base& s = *socket_.impl();
    for (;;) {
        const auto seen = s.arm_ready();
        ec = attempt(d, n);
        if (!is_would_block(ec))
            return true;
        if (s.wake_generation() == seen)
            return false; // any later wake fires the armed callback
    }
}

bool asio_socket_state::poll_parked(std::vector<finished>& out) {
    bool waiting = false;
    for (auto d : {asio_dir::send, asio_dir::recv}) {
        auto& op = ops_[index(d)];
        if (!op)
            continue;
        std::size_t n = 0;
        auto ec = attempt(d, n);
        if (is_would_block(ec))
            waiting = true;
        else
            out.push_back({std::move(op), ec, n});
    }
    return waiting;
}

void asio_socket_state::on_ready() {
    std::vector<finished> done;
    {
        auto guard = lock();
        if (closed_ || abandoned_)
            return;
        socket_base& s = *socket_.impl();
        while (poll_parked(done)) {
            const auto seen = s.arm_ready();
            if (!poll_parked(done) || s.wake_generation() == seen)
                break;
        }
    }
    // Outside the lock: a handler run inline here may start the next operation at once.
    for (auto& f : done)
        f.op.release()->complete(f.ec, f.n);
}

void asio_socket_state::take_all(std::vector<finished>& out) {
    for (auto& op : ops_)
        if (op)
            out.push_back({std::move(op), asio::error::operation_aborted, 0});
}

void asio_socket_state::cancel_op(asio_dir d, std::uint64_t serial) {
    asio_op_ptr op;
    {
        auto guard = lock();
        auto& slot = ops_[index(d)];
        if (!slot || slot->serial != serial)
            return; // finished already, or a later op
        op = std::move(slot);
    }
    // Posted: we are inside the cancellation slot's emit(), which must return first.
    op.release()->post_complete(asio::error::operation_aborted, 0);
}

void asio_socket_state::cancel() {
    std::vector<finished> aborted;
    {
        auto guard = lock();
        take_all(aborted);
    }
    for (auto& f : aborted)
        f.op.release()->post_complete(f.ec, f.n);
}

void asio_socket_state::close() {
    std::vector<finished> aborted;
    {
        auto guard = lock();
        if (closed_)
            return;
        closed_ = true;
        take_all(aborted);
        if (socket_) {
            socket_.impl()->set_ready_callback({}); // no post after this returns
            socket_.close();
        }
    }
    for (auto& f : aborted)
        f.op.release()->post_complete(f.ec, f.n);
}

void asio_socket_state::abandon() {
    asio_op_ptr ops[2];
    {
        auto guard = lock();
        abandoned_ = true;
        ops[0] = std::move(ops_[0]);
        ops[1] = std::move(ops_[1]);
        if (socket_)
            socket_.impl()->set_ready_callback({});
    }
    // Destroyed outside the lock: a handler may own this socket (and close it).
}

} // namespace zmtp::detail
