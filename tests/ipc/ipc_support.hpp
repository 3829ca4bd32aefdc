// Helpers for the ipc tests: a private temporary directory per test, unique abstract names,
// PAIR sockets that never block forever, and a child process (the pyzmq peer) with deadlines.
#pragma once

#include "tests/support/child_process.hpp"

#include "tests/support/catch.hpp"
#include "zmtp/zmtp.hpp"

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace zmtp::test {

/// A fresh directory (mkdtemp under /tmp, kept short for the 107-byte limit), removed with
/// everything in it at the end of the test.
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::string& path() const noexcept { return path_; }
    /// "<dir>/<name>".
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    /// "ipc://<dir>/<name>".
    std::string endpoint(const std::string& name) const { return "ipc://" + file(name); }

private:
    std::string path_;
};

/// A Linux abstract name no other test or process uses ("zmtp-ipc-<pid>-<n>-<random>").
std::string unique_abstract_name();

/// True when `path` exists and is a Unix-domain socket file.
bool is_socket_file(const std::string& path);
/// True when anything exists at `path`.
bool path_exists(const std::string& path);

/// A PAIR socket with 5 s send/receive timeouts and LINGER 0.
zmtp::socket make_pair(zmtp::context& ctx);

/// Receives one frame (REQUIREs that it arrives within RCVTIMEO).
std::string recv_string(zmtp::socket& s);

/// Restores the working directory and TMPDIR/TEMPDIR/TMP when the test ends.
class process_state_guard {
public:
    process_state_guard();
    ~process_state_guard();
    process_state_guard(const process_state_guard&) = delete;
    process_state_guard& operator=(const process_state_guard&) = delete;

private:
    std::string cwd_;
    std::vector<std::pair<std::string, std::optional<std::string>>> env_;
};

// child_process comes from tests/support/child_process.hpp (shared by the interop suites).

} // namespace zmtp::test
