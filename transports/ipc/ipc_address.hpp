// ipc endpoint addresses: filesystem paths, Linux abstract names ("@name") and the "*"
// wildcard, with libzmq 4.3's length and syntax rules (conformance C-IPC-1, C-IPC-2, C-IPC-5).
#pragma once

#include <asio/generic/stream_protocol.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

namespace zmtp::detail {

/// Longest address text after "ipc://": sun_path is 108 bytes including the NUL (Linux).
inline constexpr std::size_t ipc_max_address = 107;

/// A parsed "ipc://" address.
struct ipc_address {
    enum class kind { path, abstract, wildcard };
    kind type = kind::path;
    std::string name; ///< the path, or the abstract name without its '@'
};

/// Parses the text after "ipc://". EINVAL for "@" alone or an embedded NUL, ENAMETOOLONG for
/// 108 bytes or more. "*" is a wildcard only when `bind`; libzmq's connect takes it literally.
std::error_code parse_ipc_address(std::string_view address, bool bind, ipc_address& out);

/// The socket address: a NUL-terminated path, or a leading NUL plus the name with the
/// address length exactly 1 + name length (no padding), as libzmq does (C-IPC-2).
asio::generic::stream_protocol::endpoint make_ipc_endpoint(const ipc_address& addr);

/// For "ipc://*": makes a fresh directory "tmpXXXXXX" (mkdtemp) under $TMPDIR, $TEMPDIR or
/// $TMP (the first that is a directory), else the working directory; `path` is its "socket".
std::error_code make_ipc_wildcard(std::string& dir, std::string& path);

} // namespace zmtp::detail
