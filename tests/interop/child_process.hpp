// A child process for interop tests (the pyzmq peer): spawned with posix_spawn, its stdout read
// line by line with a deadline, its exit awaited with a deadline, killed if still running.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace zmtp::interop {

class child_process {
public:
    /// Starts argv[0] (a path) with the arguments; stdout is piped to us, stderr inherited.
    /// Throws std::runtime_error if it cannot be started.
    explicit child_process(const std::vector<std::string>& argv);
    /// Kills (SIGKILL) and reaps the child if it is still running.
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    /// The next line of the child's stdout (without '\n'), or nothing on EOF or timeout.
    std::optional<std::string> read_line(int timeout_ms);
    /// Waits for the child to exit: its exit status (128 + signal if killed by one), or
    /// nothing if it is still running after `timeout_ms`.
    std::optional<int> wait_exit(int timeout_ms);

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string buffer_;
    std::optional<int> status_;
};

} // namespace zmtp::interop
