// C API: error numbers, zmq_errno, zmq_strerror, zmq_version and the ABI shapes of zmq.h
// (C-ERR, §16 of the conformance list).
#include "tests/capi/capi_helpers.hpp"
#include "tests/support/catch.hpp"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

using namespace capi_test;

TEST_CASE("C-ERR: ZeroMQ's own error numbers are libzmq's", "[capi][errno]") {
    CHECK(ZMQ_HAUSNUMERO == 156384712);
    CHECK(EFSM == 156384763);
    CHECK(ENOCOMPATPROTO == 156384764);
    CHECK(ETERM == 156384765);
    CHECK(EMTHREAD == 156384766);
    // POSIX codes stay the platform's (Linux numbers, as in the C-ERR table).
    CHECK(ENOTSUP == 95);
    CHECK(EPROTONOSUPPORT == 93);
    CHECK(ENOTSOCK == 88);
    CHECK(EADDRINUSE == 98);
}

TEST_CASE("C-API: zmq_version and the version macros say 4.3.4", "[capi]") {
    int major = 0, minor = 0, patch = 0;
    zmq_version(&major, &minor, &patch);
    CHECK(major == 4);
    CHECK(minor == 3);
    CHECK(patch == 4);
    CHECK(ZMQ_VERSION == 40304);
    CHECK(ZMQ_MAKE_VERSION(ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR, ZMQ_VERSION_PATCH) == 40304);
    zmq_version(nullptr, nullptr, nullptr); // tolerated
}

TEST_CASE("C-API: zmq_strerror has its own text for ZeroMQ codes, strerror for POSIX ones",
          "[capi][errno]") {
    for (int code : {EFSM, ENOCOMPATPROTO, ETERM, EMTHREAD}) {
        const char *text = zmq_strerror(code);
        REQUIRE(text != nullptr);
        CHECK(std::strlen(text) > 0);
        CHECK(std::string(text).find("Unknown") == std::string::npos);
    }
    CHECK(std::string(zmq_strerror(ETERM)) != zmq_strerror(EFSM));
    CHECK(std::string(zmq_strerror(EINVAL)) == std::strerror(EINVAL));
    CHECK(std::string(zmq_strerror(EAGAIN)) == std::strerror(EAGAIN));
}

TEST_CASE("C-API: zmq_errno reports the errno of the last failed call", "[capi][errno]") {
    errno = 0;
    CHECK(zmq_close(nullptr) == -1);
    CHECK(zmq_errno() == ENOTSOCK);
    CHECK(errno == ENOTSOCK);
}

TEST_CASE("C-API: zmq_msg_t and zmq_pollitem_t have libzmq's ABI", "[capi]") {
    CHECK(sizeof(zmq_msg_t) == 64);
    CHECK(alignof(zmq_msg_t) >= alignof(void *));
    CHECK(sizeof(zmq_pollitem_t) == sizeof(void *) + sizeof(int) + 2 * sizeof(short));
    CHECK(offsetof(zmq_pollitem_t, fd) == sizeof(void *));
}

TEST_CASE("C-OPT: constants of the subset carry libzmq's numbers", "[capi][opt]") {
    CHECK(ZMQ_PAIR == 0);
    CHECK(ZMQ_PUB == 1);
    CHECK(ZMQ_SUB == 2);
    CHECK(ZMQ_XPUB == 9);
    CHECK(ZMQ_XSUB == 10);
    CHECK(ZMQ_DONTWAIT == 1);
    CHECK(ZMQ_SNDMORE == 2);
    CHECK(ZMQ_MORE == 1);
    CHECK(ZMQ_SHARED == 3);
    CHECK(ZMQ_POLLIN == 1);
    CHECK(ZMQ_POLLOUT == 2);
    CHECK(ZMQ_POLLERR == 4);
    CHECK(ZMQ_IO_THREADS == 1);
    CHECK(ZMQ_MAX_SOCKETS == 2);
    CHECK(ZMQ_LINGER == 17);
    CHECK(ZMQ_MAXMSGSIZE == 22);
    CHECK(ZMQ_LAST_ENDPOINT == 32);
    CHECK(ZMQ_HANDSHAKE_IVL == 66);
    CHECK(ZMQ_XPUB_NODROP == 69);
    CHECK(ZMQ_BLOCKY == 70);
    CHECK(ZMQ_EVENT_HANDSHAKE_SUCCEEDED == 0x1000);
    CHECK(ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH == 0x11000002);
    CHECK(ZMQ_NULL == 0);
}
