// A signal handler (installed without SA_RESTART) ends a blocked call with
// std::errc::interrupted in the C++ API (libzmq's EINTR), never with a silent retry: recv, send
// on a peerless PAIR, and context::terminate(ec) waiting for a LINGER -1 message, which a
// second call then finishes (issue 10, item 1). A helper thread keeps signalling the blocked
// thread until the call returns, so a signal landing before the call blocks does no harm.
#include "tests/support/catch.hpp"
#include "tests/support/transports.hpp"
#include "zmtp/zmtp.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

using namespace zmtp;

namespace {

void on_signal(int) {}

/// Signals `target` every 10 ms while alive (up to 5 s, then gives up so a failing case
/// does not hang: the call then never returns and the test times out in ctest).
class kicker {
public:
    kicker() : target_(pthread_self()) {
        struct sigaction sa;
        std::memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0; // no SA_RESTART
        sigaction(SIGUSR2, &sa, &old_);
        thread_ = std::thread([this] {
            for (int i = 0; i < 500 && !stop_.load(); ++i) {
                pthread_kill(target_, SIGUSR2);
                std::this_thread::sleep_for(std::chrono::milliseconds(10)); // pacing
            }
        });
    }
    ~kicker() {
        stop_ = true;
        thread_.join();
        sigaction(SIGUSR2, &old_, nullptr);
    }

private:
    pthread_t target_;
    struct sigaction old_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace

TEST_CASE("a signal interrupts recv and send with errc::interrupted", "[signal]") {
    context ctx;
    socket s(ctx, socket_type::pair);
    s.set(opt::linger, 0);
    s.bind(test::bind_endpoint("tcp"));
    message m;
    std::error_code ec;
    {
        kicker k;
        CHECK_FALSE(s.recv(m, recv_flags::none, ec));
    }
    CHECK(ec == std::errc::interrupted);
    s.set(opt::rcvtimeo, 60000);
    {
        kicker k;
        try {
            s.recv(m);
            FAIL("recv returned");
        } catch (const std::system_error& e) {
            CHECK(e.code() == std::errc::interrupted);
        }
    }
    socket lonely(ctx, socket_type::pair);
    lonely.set(opt::linger, 0);
    {
        kicker k;
        message out("x");
        CHECK_FALSE(lonely.send(out, send_flags::none, ec));
    }
    CHECK(ec == std::errc::interrupted);
}

TEST_CASE("a signal interrupts terminate(ec); calling again finishes", "[signal]") {
    const std::string path = "/tmp/zmtp-test-signals-" + std::to_string(::getpid()) + ".sock";
    context ctx;
    {
        socket sender(ctx, socket_type::pair);
        sender.set(opt::linger, -1);
        sender.set(opt::reconnect_ivl, 20);
        sender.connect("ipc://" + path);
        REQUIRE(sender.send("queued"));
    }
    std::error_code ec;
    {
        kicker k;
        ctx.terminate(ec);
    }
    CHECK(ec == std::errc::interrupted);

    context other;
    socket receiver(other, socket_type::pair);
    receiver.set(opt::rcvtimeo, 5000);
    receiver.set(opt::linger, 0);
    receiver.bind("ipc://" + path);
    message m;
    REQUIRE(receiver.recv(m));
    CHECK(m.to_string() == "queued");
    ctx.terminate(ec); // returns once the lingering message is gone (it just arrived)
    CHECK_FALSE(ec);
    ::unlink(path.c_str());
}
