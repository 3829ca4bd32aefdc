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

child_process::child_process(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    out_fd_ = fds[0];
    if (rc != 0) {
        ::close(out_fd_);
        throw std::runtime_error("posix_spawn " + argv[0] + " failed");
    }
}

child_process::~child_process() {
    if (!status_) {
        ::kill(pid_, SIGKILL);
        int st = 0;
        ::waitpid(pid_, &st, 0);
    }
    ::close(out_fd_);
}

std::optional<std::string> child_process::read_line(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return std::nullopt;
        pollfd p{out_fd_, POLLIN, 0};
        const int rc = ::poll(&p, 1, static_cast<int>(left.count()));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            return std::nullopt;
        char buf[512];
        const auto n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0)
            return std::nullopt;
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

std::optional<int> child_process::wait_exit(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!status_) {
        int st = 0;
        const pid_t r = ::waitpid(pid_, &st, WNOHANG);
        if (r == pid_) {
            status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline)
            return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return status_;
}

} // namespace zmtp::test
