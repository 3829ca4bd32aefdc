// Error codes of the public API: POSIX conditions travel as std::errc (generic_category), the
// three ZeroMQ-specific ones (ETERM, EFSM, EMTHREAD) as zmtp::errc in zmtp's own category.
#pragma once

#include <string>
#include <system_error>

namespace zmtp {

/// Errors that have no POSIX equivalent; the C API maps them to libzmq's numbers.
enum class errc {
    terminated = 1,  ///< the context was shut down (libzmq ETERM)
    bad_state,       ///< operation not valid in the socket's state (libzmq EFSM)
    no_io_thread,    ///< tcp/ipc on a context with zero I/O threads (libzmq EMTHREAD)
    incompatible_protocol, ///< transport not usable with this socket type (ENOCOMPATPROTO)
};

/// The category of zmtp::errc values.
const std::error_category& zmtp_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), zmtp_category()};
}

/// True for the "would block" outcome (EAGAIN), which the API reports as a value, not a throw.
inline bool is_would_block(const std::error_code& ec) noexcept {
    // Success (value 0) first: comparing with an errc asks the category (virtual calls), and
    // every successful send and receive passes here.
    return ec.value() != 0 && ec == std::errc::resource_unavailable_try_again;
}

} // namespace zmtp

namespace std {
template <> struct is_error_code_enum<zmtp::errc> : true_type {};
} // namespace std
