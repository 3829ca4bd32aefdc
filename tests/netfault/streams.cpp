// Stream pumping and the receiver's checks: exactly the next number (lossless), or a number
// above the last one with at most one gap (across a cut connection): never a repeat, never
// an older one.
#include "tests/netfault/streams.hpp"

#include <chrono>

namespace zmtp::test {

namespace {
void take(stream& s, const std::string& msg) {
    auto n = number_of(s.tag, msg);
    if (!n) {
        s.problems.push_back("not a " + s.tag + " message: " + msg.substr(0, 24));
        return;
    }
    if (*n < s.next) {
        s.problems.push_back(s.tag + " " + std::to_string(*n) + " after " +
                             std::to_string(s.next - 1) + ": duplicated or reordered");
        return;
    }
    if (*n > s.next) {
        if (s.lossless || ++s.gaps > 1)
            s.problems.push_back(s.tag + " " + std::to_string(s.next) + ".." +
                                 std::to_string(*n - 1) + " never arrived");
    }
    s.next = *n + 1;
    ++s.received;
}
} // namespace

bool pump(std::vector<stream*> streams, int wait_ms) {
    bool moved = false;
    for (stream* s : streams)
        for (int i = 0; i < 64 && s->sent < s->total; ++i) {
            if (!s->from->send(numbered(s->tag, s->sent, s->size)))
                break;
            ++s->sent;
            moved = true;
        }
    for (stream* s : streams)
        while (auto m = s->to->recv(0)) {
            take(*s, *m);
            moved = true;
        }
    if (!moved && !streams.empty())
        if (auto m = streams.front()->to->recv(wait_ms)) {
            take(*streams.front(), *m);
            moved = true;
        }
    return moved;
}

bool pump_all(std::vector<stream*> streams) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    auto finished = [&] { // all done, or a problem found (no need to go on)
        bool all = true;
        for (stream* s : streams) {
            if (!s->problems.empty())
                return true;
            all = all && s->done();
        }
        return all;
    };
    while (!finished() && std::chrono::steady_clock::now() < deadline)
        pump(streams);
    for (stream* s : streams)
        if (!s->done())
            return false;
    return true;
}

std::uint64_t fill_until_blocked(stream& s, std::uint64_t limit) {
    std::uint64_t n = 0;
    while (n < limit && s.from->send(numbered(s.tag, s.sent, s.size))) {
        ++s.sent;
        ++n;
    }
    return n;
}

} // namespace zmtp::test
