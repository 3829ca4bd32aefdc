// A child process for tests that need a peer in another process (pyzmq): spawned with
// posix_spawn, stdin and stdout piped to us, every read and wait bounded by a deadline, killed
// and reaped if still running at the end.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace zmtp::test {

/// A child process with its stdin and stdout piped to us; killed and reaped on destruction.
class child_process {
public:
    explicit child_process(const std::vector<std::string>& argv);
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    /// The next stdout line (no '\n'), or nothing on EOF or after `ms`.
    std::optional<std::string> read_line(int ms);
    /// Writes a line (adds '\n') to the child's stdin.
    void write_line(const std::string& line);
    /// Exit status once it exited within `ms` (128 + signal if killed), else nothing.
    std::optional<int> wait_exit(int ms);

private:
    pid_t pid_ = -1;
    int in_fd_ = -1;  ///< child's stdin (we write)
    int out_fd_ = -1; ///< child's stdout (we read)
    std::string buffer_;
    std::optional<int> status_;
};

} // namespace zmtp::test
