// errno mapping and the error entry points: zmq_errno, zmq_strerror, zmq_version.
// generic/system categories carry POSIX values; zmtp::errc maps to ZeroMQ's own numbers.
#include "interop/capi/errors.hpp"

#include "zmtp/error.hpp"

#include <zmq.h>

#include <cerrno>
#include <cstring>

namespace zmtp::capi {

namespace {

int from_zmtp(int value) noexcept {
    switch (static_cast<zmtp::errc>(value)) {
    case zmtp::errc::terminated:
        return ETERM;
    case zmtp::errc::bad_state:
        return EFSM;
    case zmtp::errc::no_io_thread:
        return EMTHREAD;
    case zmtp::errc::incompatible_protocol:
        return ENOCOMPATPROTO;
    }
    return EINVAL;
}

} // namespace

int to_errno(const std::error_code &ec) noexcept {
    if (!ec)
        return 0;
    const auto &cat = ec.category();
    if (cat == zmtp::zmtp_category())
        return from_zmtp(ec.value());
    if (cat == std::generic_category() || cat == std::system_category())
        return ec.value();
    // Asio's own system category (standalone Asio) also carries raw errno values; the core
    // should hand out generic codes, this keeps a missed conversion from becoming EPROTO.
    if (std::strcmp(cat.name(), "asio.system") == 0)
        return ec.value();
    // Another category (e.g. the wire codec's): use its portable equivalent if it has one.
    const std::error_condition cond = ec.default_error_condition();
    if (cond.category() == std::generic_category())
        return cond.value();
    if (cond.category() == zmtp::zmtp_category())
        return from_zmtp(cond.value());
    return EPROTO;
}

int fail(const std::error_code &ec) noexcept {
    errno = to_errno(ec);
    return -1;
}

} // namespace zmtp::capi

extern "C" {

int zmq_errno(void) {
    return errno;
}

const char *zmq_strerror(int errnum_) {
    switch (errnum_) {
    case EFSM:
        return "Socket is in the wrong state for this operation";
    case ENOCOMPATPROTO:
        return "Transport cannot be used with this socket type";
    case ETERM:
        return "The context has been terminated";
    case EMTHREAD:
        return "No I/O thread is available";
    default:
        // POSIX codes (and, on platforms lacking them, the fallbacks in zmq.h) read as strerror.
        return std::strerror(errnum_);
    }
}

void zmq_version(int *major_, int *minor_, int *patch_) {
    if (major_)
        *major_ = ZMQ_VERSION_MAJOR;
    if (minor_)
        *minor_ = ZMQ_VERSION_MINOR;
    if (patch_)
        *patch_ = ZMQ_VERSION_PATCH;
}

} // extern "C"
