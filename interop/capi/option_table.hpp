// zmq_getsockopt as libzmq 4.3.4 answers it: which option numbers are readable, the exact
// buffer sizes it accepts, and the defaults of the options zmtp does not implement (so tools
// that read every option keep working). Checked against the real library by
// tests/capi/c/options_all.c, compiled for both.
#pragma once

namespace zmtp::capi {

/// How libzmq reads an option.
enum class get_kind {
    none,        ///< not readable: EINVAL (unknown, write-only, or not in this build)
    int_exact,   ///< int; *optvallen must be exactly sizeof(int)
    int_atleast, ///< int; *optvallen >= sizeof(int) (RCVMORE, FD, EVENTS, THREAD_SAFE)
    i64_exact,   ///< 8 bytes; *optvallen must be exactly 8
    text,        ///< NUL-terminated string; *optvallen >= length + 1
    blob,        ///< bytes without NUL (ROUTING_ID)
};

/// One readable option.
struct get_rule {
    get_kind kind = get_kind::none;
    bool core = false;   ///< answered by the C++ socket; else `value` / "" below
    int value = 0;       ///< the libzmq default for options zmtp does not implement
};

/// The rule for option `id` (kind none for anything libzmq refuses to read).
get_rule getsockopt_rule(int id) noexcept;

} // namespace zmtp::capi
