// ipc address parsing, sockaddr_un construction and wildcard directories.
#include "transports/ipc/ipc_address.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace zmtp::detail {

static_assert(sizeof(sockaddr_un::sun_path) == ipc_max_address + 1,
              "ipc path limits assume Linux's 108-byte sun_path");

std::error_code parse_ipc_address(std::string_view address, bool bind, ipc_address& out) {
    if (address.empty() || address.find('\0') != std::string_view::npos)
        return std::make_error_code(std::errc::invalid_argument);
    // Longer names are refused, never truncated (C-IPC-1); the '@' counts, as in libzmq.
    if (address.size() > ipc_max_address)
        return std::make_error_code(std::errc::filename_too_long);
    if (address.front() == '@') {
        if (address.size() == 1)
            return std::make_error_code(std::errc::invalid_argument);
        out.type = ipc_address::kind::abstract;
        out.name = std::string(address.substr(1));
    } else if (bind && address == "*") {
        out.type = ipc_address::kind::wildcard;
        out.name.clear();
    } else {
        out.type = ipc_address::kind::path;
        out.name = std::string(address);
    }
    return {};
}

asio::generic::stream_protocol::endpoint make_ipc_endpoint(const ipc_address& addr) {
    sockaddr_un sun{};
    sun.sun_family = AF_UNIX;
    std::size_t len = offsetof(sockaddr_un, sun_path);
    if (addr.type == ipc_address::kind::abstract) {
        sun.sun_path[0] = '\0';
        std::memcpy(sun.sun_path + 1, addr.name.data(), addr.name.size());
        len += 1 + addr.name.size();
    } else {
        std::memcpy(sun.sun_path, addr.name.data(), addr.name.size());
        len += addr.name.size() + 1; // the NUL is inside sun_path (zero-initialised)
    }
    return {&sun, len, 0};
}

namespace {

bool is_directory(const char* p) {
    struct stat st {};
    return ::stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

} // namespace

std::error_code make_ipc_wildcard(std::string& dir, std::string& path) {
    std::string base;
    for (const char* var : {"TMPDIR", "TEMPDIR", "TMP"}) {
        const char* v = std::getenv(var);
        if (v && *v && is_directory(v)) {
            base = v;
            break;
        }
    }
    if (!base.empty() && base.back() != '/')
        base += '/';
    std::string templ = base + "tmpXXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data()))
        return {errno, std::generic_category()};
    dir = buf.data();
    path = dir + "/socket";
    if (path.size() > ipc_max_address) {
        ::rmdir(dir.c_str());
        return std::make_error_code(std::errc::filename_too_long);
    }
    return {};
}

} // namespace zmtp::detail
