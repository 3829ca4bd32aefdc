// The errno side of the C API: std::error_code to libzmq errno numbers (the only place that
// knows them), plus helpers every entry point uses to fail the libzmq way (-1 or NULL + errno).
#pragma once

#include <system_error>

namespace zmtp::capi {

/// The errno libzmq would set for `ec` (0 for success).
int to_errno(const std::error_code &ec) noexcept;

/// Sets errno from `ec` and returns -1.
int fail(const std::error_code &ec) noexcept;
/// Sets errno from a POSIX condition and returns -1.
inline int fail(std::errc e) noexcept {
    return fail(std::make_error_code(e));
}

/// 0 on success, else fail(ec).
inline int fail_or_zero(const std::error_code &ec) noexcept {
    return ec ? fail(ec) : 0;
}

/// Sets errno from `ec` and returns a null pointer, for entry points that return handles.
template <typename T = void> T *fail_null(const std::error_code &ec) noexcept {
    fail(ec);
    return nullptr;
}
template <typename T = void> T *fail_null(std::errc e) noexcept {
    fail(e);
    return nullptr;
}

} // namespace zmtp::capi
