// ipc addressing rules (conformance C-IPC-1..5): path length, relative paths, missing
// directories, abstract names, bind takeover, files left after close, the "*" wildcard.
#include "tests/ipc/ipc_support.hpp"
#include "tests/support/wait.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

using namespace zmtp;
using zmtp::test::make_pair;
using zmtp::test::recv_string;

namespace {

/// An absolute path in `dir` exactly `length` bytes long.
std::string path_of_length(const test::temp_dir& dir, std::size_t length) {
    std::string p = dir.path() + "/";
    REQUIRE(p.size() < length);
    p += std::string(length - p.size(), 'p');
    return p;
}

/// Proves a connection works: client -> server and back.
void check_exchange(zmtp::socket& server, zmtp::socket& client) {
    REQUIRE(client.send("ping"));
    CHECK(recv_string(server) == "ping");
    REQUIRE(server.send("pong"));
    CHECK(recv_string(client) == "pong");
}

std::error_code bind_ec(zmtp::socket& s, const std::string& ep) {
    std::error_code ec;
    s.bind(ep, ec);
    return ec;
}

std::error_code connect_ec(zmtp::socket& s, const std::string& ep) {
    std::error_code ec;
    s.connect(ep, ec);
    return ec;
}

} // namespace

TEST_CASE("C-IPC-1 a 107-byte path works, 108 bytes is ENAMETOOLONG", "[ipc][path]") {
    test::temp_dir dir;
    context ctx;
    zmtp::socket server = make_pair(ctx);
    zmtp::socket client = make_pair(ctx);
    const auto p107 = path_of_length(dir, 107);
    const auto p108 = path_of_length(dir, 108);

    CHECK(bind_ec(server, "ipc://" + p108) == std::errc::filename_too_long);
    CHECK(connect_ec(client, "ipc://" + p108) == std::errc::filename_too_long);
    CHECK_FALSE(test::path_exists(p108.substr(0, 107))); // refused, never truncated

    REQUIRE_FALSE(bind_ec(server, "ipc://" + p107));
    CHECK(test::is_socket_file(p107));
    CHECK(server.get(opt::last_endpoint) == "ipc://" + p107);
    REQUIRE_FALSE(connect_ec(client, "ipc://" + p107));
    check_exchange(server, client);
}

TEST_CASE("C-IPC-1 relative paths resolve in the working directory", "[ipc][path]") {
    test::temp_dir dir;
    test::process_state_guard restore;
    REQUIRE(::chdir(dir.path().c_str()) == 0);
    context ctx;
    zmtp::socket server = make_pair(ctx);
    zmtp::socket client = make_pair(ctx);
    server.bind("ipc://relsock");
    CHECK(server.get(opt::last_endpoint) == "ipc://relsock");
    CHECK(test::is_socket_file(dir.file("relsock")));
    client.connect("ipc://relsock");
    check_exchange(server, client);
    // A relative name of 108 bytes is refused as well.
    CHECK(bind_ec(server, "ipc://" + std::string(108, 'r')) == std::errc::filename_too_long);
}

TEST_CASE("C-IPC-1 bind inside a missing directory is ENOENT", "[ipc][path]") {
    test::temp_dir dir;
    context ctx;
    zmtp::socket server = make_pair(ctx);
    CHECK(bind_ec(server, dir.endpoint("missing/s")) == std::errc::no_such_file_or_directory);
    CHECK(server.get(opt::last_endpoint).empty());
}

TEST_CASE("C-IPC-2 malformed ipc addresses are EINVAL", "[ipc][path]") {
    context ctx;
    zmtp::socket s = make_pair(ctx);
    CHECK(bind_ec(s, "ipc://@") == std::errc::invalid_argument);
    CHECK(connect_ec(s, "ipc://@") == std::errc::invalid_argument);
    CHECK(bind_ec(s, "ipc://") == std::errc::invalid_argument);
    CHECK(connect_ec(s, "ipc://") == std::errc::invalid_argument);
    CHECK(bind_ec(s, std::string("ipc://a\0b", 9)) == std::errc::invalid_argument);
}

TEST_CASE("C-IPC-2 abstract names: exchange, LAST_ENDPOINT, EADDRINUSE", "[ipc][abstract]") {
    context ctx;
    zmtp::socket server = make_pair(ctx);
    zmtp::socket client = make_pair(ctx);
    const auto ep = "ipc://@" + test::unique_abstract_name();
    server.bind(ep);
    CHECK(server.get(opt::last_endpoint) == ep);
    client.connect(ep);
    check_exchange(server, client);

    zmtp::socket other = make_pair(ctx);
    CHECK(bind_ec(other, ep) == std::errc::address_in_use);
}

TEST_CASE("C-IPC-2 abstract address length is 1 + name, no NUL padding", "[ipc][abstract]") {
    context ctx;
    zmtp::socket server = make_pair(ctx);
    const auto name = test::unique_abstract_name();
    server.bind("ipc://@" + name);

    auto raw_connect = [&](std::size_t extra_nuls) {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        REQUIRE(fd >= 0);
        sockaddr_un sun{};
        sun.sun_family = AF_UNIX;
        std::memcpy(sun.sun_path + 1, name.data(), name.size());
        const auto len = offsetof(sockaddr_un, sun_path) + 1 + name.size() + extra_nuls;
        const int rc =
            ::connect(fd, reinterpret_cast<sockaddr*>(&sun), static_cast<socklen_t>(len));
        ::close(fd);
        return rc == 0;
    };
    CHECK(raw_connect(0));       // exactly "\0name"
    CHECK_FALSE(raw_connect(1)); // "\0name\0" is another name
}

TEST_CASE("C-IPC-2 abstract names up to 107 bytes including '@'", "[ipc][abstract]") {
    context ctx;
    zmtp::socket server = make_pair(ctx);
    zmtp::socket client = make_pair(ctx);
    auto name = test::unique_abstract_name();
    name += std::string(106 - name.size(), 'n');
    CHECK(bind_ec(server, "ipc://@" + name + "n") == std::errc::filename_too_long);
    CHECK(connect_ec(client, "ipc://@" + name + "n") == std::errc::filename_too_long);
    REQUIRE_FALSE(bind_ec(server, "ipc://@" + name));
    REQUIRE_FALSE(connect_ec(client, "ipc://@" + name));
    check_exchange(server, client);
}

TEST_CASE("C-IPC-3 bind takes over an existing path", "[ipc][path]") {
    test::temp_dir dir;
    context ctx;
    const auto ep = dir.endpoint("steal.sock");
    zmtp::socket first = make_pair(ctx);
    zmtp::socket second = make_pair(ctx);
    first.bind(ep);
    REQUIRE_FALSE(bind_ec(second, ep)); // no EADDRINUSE for filesystem paths
    zmtp::socket client = make_pair(ctx);
    client.connect(ep);
    check_exchange(second, client);
    message m;
    CHECK_FALSE(first.recv(m, recv_flags::dontwait));

    // A stale file (here a plain file) is replaced too.
    const auto stale = dir.file("stale.sock");
    std::FILE* f = std::fopen(stale.c_str(), "w");
    REQUIRE(f);
    std::fclose(f);
    zmtp::socket third = make_pair(ctx);
    REQUIRE_FALSE(bind_ec(third, "ipc://" + stale));
    CHECK(test::is_socket_file(stale));
}

TEST_CASE("C-IPC-4 explicit socket files stay after unbind and close", "[ipc][path]") {
    test::temp_dir dir;
    context ctx;
    const auto path = dir.file("kept.sock");
    {
        zmtp::socket s = make_pair(ctx);
        s.bind("ipc://" + path);
        REQUIRE(test::is_socket_file(path));
        s.unbind("ipc://" + path);
        CHECK(test::is_socket_file(path));
    }
    CHECK(test::is_socket_file(path));
    {
        zmtp::socket s = make_pair(ctx);
        s.bind("ipc://" + path); // rebinding the leftover file works (C-IPC-3)
    }
    CHECK(test::is_socket_file(path));
}

TEST_CASE("C-IPC-5 ipc://* makes a private directory under $TMPDIR", "[ipc][wildcard]") {
    test::temp_dir dir;
    test::process_state_guard restore;
    ::setenv("TMPDIR", dir.path().c_str(), 1);
    context ctx;
    zmtp::socket server = make_pair(ctx);
    zmtp::socket client = make_pair(ctx);
    server.bind("ipc://*");
    const auto ep = server.get(opt::last_endpoint);
    const auto prefix = "ipc://" + dir.path() + "/tmp";
    REQUIRE(ep.rfind(prefix, 0) == 0);
    REQUIRE(ep.size() > 7);
    REQUIRE(ep.substr(ep.size() - 7) == "/socket");
    const auto file = ep.substr(6);
    const auto sub = file.substr(0, file.size() - 7);
    CHECK(test::is_socket_file(file));
    client.connect(ep);
    check_exchange(server, client);

    // A second wildcard bind gets its own directory.
    zmtp::socket other = make_pair(ctx);
    other.bind("ipc://*");
    CHECK(other.get(opt::last_endpoint) != ep);

    server.close();
    CHECK_FALSE(test::path_exists(file));
    CHECK_FALSE(test::path_exists(sub));
    const auto other_file = other.get(opt::last_endpoint).substr(6);
    CHECK(test::is_socket_file(other_file));
    other.unbind(other.get(opt::last_endpoint)); // unbind by LAST_ENDPOINT cleans up too
    CHECK_FALSE(test::path_exists(other_file));
    CHECK_FALSE(test::path_exists(other_file.substr(0, other_file.size() - 7)));
}

TEST_CASE("C-IPC-5 ipc://* honours TEMPDIR and TMP, else the working directory",
          "[ipc][wildcard]") {
    test::temp_dir dir;
    test::process_state_guard restore;
    ::setenv("TMPDIR", dir.file("not-a-dir").c_str(), 1);
    ::setenv("TEMPDIR", dir.file("nor-this").c_str(), 1);
    ::setenv("TMP", dir.path().c_str(), 1);
    context ctx;
    {
        zmtp::socket s = make_pair(ctx);
        s.bind("ipc://*");
        CHECK(s.get(opt::last_endpoint).rfind("ipc://" + dir.path() + "/tmp", 0) == 0);
    }
    ::unsetenv("TMPDIR");
    ::unsetenv("TEMPDIR");
    ::unsetenv("TMP");
    REQUIRE(::chdir(dir.path().c_str()) == 0);
    zmtp::socket server = make_pair(ctx);
    zmtp::socket client = make_pair(ctx);
    server.bind("ipc://*");
    const auto ep = server.get(opt::last_endpoint); // relative, e.g. ipc://tmpAbC123/socket
    REQUIRE(ep.rfind("ipc://tmp", 0) == 0);
    REQUIRE(ep.find('/', 6) == 15);
    CHECK(test::is_socket_file(dir.file(ep.substr(6))));
    client.connect(ep);
    check_exchange(server, client);
    server.close();
    CHECK_FALSE(test::path_exists(dir.file(ep.substr(6, 9))));
}

TEST_CASE("ipc on a context without I/O threads is EMTHREAD", "[ipc]") {
    test::temp_dir dir;
    context ctx(0);
    zmtp::socket s = make_pair(ctx);
    CHECK(bind_ec(s, dir.endpoint("s")) == zmtp::errc::no_io_thread);
    CHECK(connect_ec(s, dir.endpoint("s")) == zmtp::errc::no_io_thread);
    CHECK_FALSE(test::path_exists(dir.file("s")));
}

TEST_CASE("connect to ipc://* is a literal file name, as in libzmq", "[ipc][wildcard]") {
    test::temp_dir dir;
    test::process_state_guard restore;
    REQUIRE(::chdir(dir.path().c_str()) == 0);
    context ctx;
    zmtp::socket server = make_pair(ctx);
    zmtp::socket client = make_pair(ctx);
    REQUIRE_FALSE(connect_ec(client, "ipc://*"));
    server.bind("ipc://" + dir.file("*"));
    check_exchange(server, client);
}
