// demo_endpoint: the transports the demos run on, bind addresses for each, and the scratch
// directory that holds ipc socket files and transferred files.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

/// Every transport the demos cover, in the order they run.
inline const std::vector<std::string> demo_transports = {"tcp", "ipc", "inproc"};

/// Parses "all" or one transport name; throws on anything else.
inline std::vector<std::string> parse_transports(const std::string& arg) {
    if (arg == "all")
        return demo_transports;
    for (const auto& t : demo_transports)
        if (t == arg)
            return {t};
    throw std::invalid_argument("unknown transport '" + arg + "' (tcp, ipc, inproc or all)");
}

/// A fresh directory under the system temp dir, removed with everything in it on scope exit.
class scratch_dir {
public:
    explicit scratch_dir(const char* prefix) {
        std::string path = (std::filesystem::temp_directory_path() / prefix).string() + "XXXXXX";
        if (mkdtemp(path.data()) == nullptr)
            throw std::system_error(errno, std::generic_category(), "mkdtemp");
        path_ = path;
    }
    ~scratch_dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;

    const std::filesystem::path& path() const { return path_; }

    /// The address to bind for `transport`: tcp on an ephemeral loopback port, ipc as a socket
    /// file in this directory, inproc by name. `name` keeps endpoints of one run apart.
    std::string endpoint(const std::string& transport, const std::string& name) const {
        if (transport == "tcp")
            return "tcp://127.0.0.1:*";
        if (transport == "ipc")
            return "ipc://" + (path_ / (name + ".ipc")).string();
        return "inproc://" + name;
    }

private:
    std::filesystem::path path_;
};
