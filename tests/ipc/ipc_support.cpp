// ipc test helpers: temporary directories, abstract names, sockets, the child process.
#include "tests/ipc/ipc_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace zmtp::test {

temp_dir::temp_dir() {
    char templ[] = "/tmp/zmtp-ipc-XXXXXX";
    if (!::mkdtemp(templ))
        throw std::runtime_error("mkdtemp failed");
    path_ = templ;
}

temp_dir::~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string unique_abstract_name() {
    static std::atomic<int> counter{0};
    static const unsigned salt = std::random_device{}();
    return "zmtp-ipc-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + "-" +
           std::to_string(salt);
}

bool is_socket_file(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

bool path_exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

zmtp::socket make_pair(zmtp::context& ctx) {
    zmtp::socket s(ctx, zmtp::socket_type::pair);
    s.set(zmtp::opt::rcvtimeo, 5000);
    s.set(zmtp::opt::sndtimeo, 5000);
    s.set(zmtp::opt::linger, 0);
    return s;
}

std::string recv_string(zmtp::socket& s) {
    zmtp::message m;
    REQUIRE(s.recv(m));
    return m.to_string();
}

process_state_guard::process_state_guard() {
    char buf[PATH_MAX];
    if (::getcwd(buf, sizeof buf))
        cwd_ = buf;
    for (const char* var : {"TMPDIR", "TEMPDIR", "TMP"}) {
        const char* v = std::getenv(var);
        env_.emplace_back(var, v ? std::optional<std::string>(v) : std::nullopt);
    }
}

process_state_guard::~process_state_guard() {
    if (!cwd_.empty() && ::chdir(cwd_.c_str()) != 0) {
        // Nothing sensible to do in a destructor; later tests use absolute paths.
    }
    for (const auto& [var, value] : env_) {
        if (value)
            ::setenv(var.c_str(), value->c_str(), 1);
        else
            ::unsetenv(var.c_str());
    }
}


} // namespace zmtp::test
