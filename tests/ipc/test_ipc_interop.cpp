// ipc interop with the real libzmq 4.3: in this process (both directions, filesystem,
// abstract and wildcard addresses) and with a pyzmq peer in another process.
#include "tests/ipc/ipc_support.hpp"

#include <unistd.h>
#include <zmq.h>

#include <cstdlib>
#include <cstring>

using namespace zmtp;
using zmtp::test::make_pair;
using zmtp::test::recv_string;

namespace {

/// A libzmq context and PAIR socket with 5 s timeouts and LINGER 0.
struct zmq_pair {
    void* ctx = zmq_ctx_new();
    void* sock = zmq_socket(ctx, ZMQ_PAIR);

    zmq_pair() {
        REQUIRE(sock);
        const int timeout = 5000;
        const int zero = 0;
        zmq_setsockopt(sock, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
        zmq_setsockopt(sock, ZMQ_SNDTIMEO, &timeout, sizeof timeout);
        zmq_setsockopt(sock, ZMQ_LINGER, &zero, sizeof zero);
    }
    ~zmq_pair() {
        zmq_close(sock);
        zmq_ctx_term(ctx);
    }
    zmq_pair(const zmq_pair&) = delete;
    zmq_pair& operator=(const zmq_pair&) = delete;

    std::string last_endpoint() const {
        char buf[256];
        std::size_t size = sizeof buf;
        REQUIRE(zmq_getsockopt(sock, ZMQ_LAST_ENDPOINT, buf, &size) == 0);
        return std::string(buf);
    }
    void send(const std::string& s, int flags = 0) {
        REQUIRE(zmq_send(sock, s.data(), s.size(), flags) == static_cast<int>(s.size()));
    }
    /// One frame and its more flag.
    std::string recv(bool* more = nullptr) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        const int rc = zmq_msg_recv(&m, sock, 0);
        REQUIRE(rc >= 0);
        std::string s(static_cast<const char*>(zmq_msg_data(&m)), zmq_msg_size(&m));
        if (more)
            *more = zmq_msg_more(&m) != 0;
        zmq_msg_close(&m);
        return s;
    }
};

std::string pattern(std::size_t size) {
    std::string s(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        s[i] = static_cast<char>(i * 131 + 3);
    return s;
}

/// Both directions: single frames of several sizes and a three-part message.
void exchange(socket& ours, zmq_pair& theirs) {
    for (std::size_t size : {0u, 1u, 255u, 256u, 65536u, 1024u * 1024}) {
        CAPTURE(size);
        const auto payload = pattern(size);
        REQUIRE(ours.send(payload));
        CHECK(theirs.recv() == payload);
        theirs.send(payload);
        message m;
        REQUIRE(ours.recv(m));
        CHECK(m.view() == payload);
    }
    REQUIRE(ours.send("a", send_flags::sndmore));
    REQUIRE(ours.send("", send_flags::sndmore));
    REQUIRE(ours.send("c"));
    bool more = false;
    CHECK(theirs.recv(&more) == "a");
    CHECK(more);
    CHECK(theirs.recv(&more).empty());
    CHECK(more);
    CHECK(theirs.recv(&more) == "c");
    CHECK_FALSE(more);
    theirs.send("x", ZMQ_SNDMORE);
    theirs.send("y");
    message m;
    REQUIRE(ours.recv(m));
    CHECK((m.to_string() == "x" && m.more()));
    REQUIRE(ours.recv(m));
    CHECK((m.to_string() == "y" && !m.more()));
}

} // namespace

TEST_CASE("interop: zmtp binds ipc, libzmq connects", "[ipc][interop]") {
    test::temp_dir dir;
    context ctx;
    socket ours = make_pair(ctx);
    const auto ep = dir.endpoint("ours.sock");
    ours.bind(ep);
    zmq_pair theirs;
    REQUIRE(zmq_connect(theirs.sock, ep.c_str()) == 0);
    exchange(ours, theirs);
}

TEST_CASE("interop: libzmq binds ipc, zmtp connects", "[ipc][interop]") {
    test::temp_dir dir;
    zmq_pair theirs;
    const auto ep = dir.endpoint("theirs.sock");
    REQUIRE(zmq_bind(theirs.sock, ep.c_str()) == 0);
    context ctx;
    socket ours = make_pair(ctx);
    ours.connect(ep);
    exchange(ours, theirs);
}

TEST_CASE("interop: abstract ipc names match libzmq's in both directions",
          "[ipc][interop][abstract]") {
    context ctx;
    SECTION("zmtp binds @name") {
        const auto ep = "ipc://@" + test::unique_abstract_name();
        socket ours = make_pair(ctx);
        ours.bind(ep);
        zmq_pair theirs;
        REQUIRE(zmq_connect(theirs.sock, ep.c_str()) == 0);
        exchange(ours, theirs);
        // libzmq sees the name as taken too.
        zmq_pair rival;
        CHECK(zmq_bind(rival.sock, ep.c_str()) == -1);
        CHECK(zmq_errno() == EADDRINUSE);
    }
    SECTION("libzmq binds @name") {
        const auto ep = "ipc://@" + test::unique_abstract_name();
        zmq_pair theirs;
        REQUIRE(zmq_bind(theirs.sock, ep.c_str()) == 0);
        CHECK(theirs.last_endpoint() == ep);
        socket ours = make_pair(ctx);
        ours.connect(ep);
        exchange(ours, theirs);
        socket rival = make_pair(ctx);
        std::error_code ec;
        rival.bind(ep, ec);
        CHECK(ec == std::errc::address_in_use);
    }
}

TEST_CASE("interop: wildcard endpoints work across implementations", "[ipc][interop]") {
    test::temp_dir dir;
    test::process_state_guard restore;
    ::setenv("TMPDIR", dir.path().c_str(), 1);
    context ctx;
    SECTION("zmtp binds ipc://*") {
        socket ours = make_pair(ctx);
        ours.bind("ipc://*");
        zmq_pair theirs;
        REQUIRE(zmq_connect(theirs.sock, ours.get(opt::last_endpoint).c_str()) == 0);
        exchange(ours, theirs);
    }
    SECTION("libzmq binds ipc://*") {
        zmq_pair theirs;
        REQUIRE(zmq_bind(theirs.sock, "ipc://*") == 0);
        socket ours = make_pair(ctx);
        ours.connect(theirs.last_endpoint());
        exchange(ours, theirs);
    }
}

TEST_CASE("interop: bind takeover between libzmq and zmtp", "[ipc][interop]") {
    test::temp_dir dir;
    const auto ep = dir.endpoint("shared.sock");
    context ctx;
    zmq_pair first;
    REQUIRE(zmq_bind(first.sock, ep.c_str()) == 0);
    socket second = make_pair(ctx);
    second.bind(ep); // steals the path from libzmq (C-IPC-3)
    zmq_pair client;
    REQUIRE(zmq_connect(client.sock, ep.c_str()) == 0);
    client.send("to the new owner");
    CHECK(recv_string(second) == "to the new owner");
}

namespace {

// The pyzmq peer: binds or connects a PAIR, prints READY <endpoint>, echoes COUNT messages
// (multipart kept), then waits for "quit" and prints DONE.
constexpr const char* pyzmq_peer = R"PY(
import sys
try:
    import zmq
except ImportError:
    print("NOZMQ", flush=True)
    sys.exit(2)
action, endpoint, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
ctx = zmq.Context()
s = ctx.socket(zmq.PAIR)
s.linger = 2000
s.rcvtimeo = 10000
s.sndtimeo = 10000
if action == "bind":
    s.bind(endpoint)
    endpoint = s.last_endpoint.decode()
else:
    s.connect(endpoint)
print("READY " + endpoint, flush=True)
for _ in range(count):
    s.send_multipart(s.recv_multipart())
assert s.recv() == b"quit"
s.send(b"bye")
print("DONE", flush=True)
s.close()
ctx.term()
)PY";

/// The system python3 has pyzmq (a pyenv python3 on PATH may not); ZMTP_INTEROP_PYTHON
/// overrides it.
std::string python_path() {
    const char* env = std::getenv("ZMTP_INTEROP_PYTHON");
    return env && *env ? env : "/usr/bin/python3";
}

void run_pyzmq_peer(const std::string& action, const std::string& endpoint, socket& ours) {
    constexpr int count = 300;
    const auto python = python_path();
    // Missing pyzmq is a failure, not a skip: the test command installs python3-zmq.
    INFO("python: " << python);
    REQUIRE(::access(python.c_str(), X_OK) == 0);
    test::child_process peer({python, "-c", pyzmq_peer, action, endpoint, std::to_string(count)});
    const auto ready = peer.read_line(15000);
    REQUIRE(ready.has_value());
    REQUIRE(*ready != "NOZMQ");
    REQUIRE(ready->rfind("READY ", 0) == 0);
    if (action == "bind")
        ours.connect(ready->substr(6));
    for (int i = 0; i < count; ++i) {
        const auto body = pattern(static_cast<std::size_t>(i) * 37);
        REQUIRE(ours.send(std::to_string(i), send_flags::sndmore));
        REQUIRE(ours.send(body));
        message m;
        REQUIRE(ours.recv(m));
        REQUIRE(m.to_string() == std::to_string(i));
        REQUIRE(m.more());
        REQUIRE(ours.recv(m));
        REQUIRE(m.view() == body);
    }
    REQUIRE(ours.send("quit"));
    CHECK(recv_string(ours) == "bye");
    CHECK(peer.read_line(10000) == std::optional<std::string>("DONE"));
    CHECK(peer.wait_exit(10000) == std::optional<int>(0));
}

} // namespace

TEST_CASE("interop: a pyzmq peer in another process over ipc", "[ipc][interop][process]") {
    test::temp_dir dir;
    context ctx;
    socket ours = make_pair(ctx);
    SECTION("pyzmq binds a path, zmtp connects") {
        run_pyzmq_peer("bind", dir.endpoint("py.sock"), ours);
    }
    SECTION("zmtp binds a path, pyzmq connects") {
        const auto ep = dir.endpoint("zmtp.sock");
        ours.bind(ep);
        run_pyzmq_peer("connect", ep, ours);
    }
    SECTION("zmtp binds an abstract name, pyzmq connects") {
        const auto ep = "ipc://@" + test::unique_abstract_name();
        ours.bind(ep);
        run_pyzmq_peer("connect", ep, ours);
    }
}
