/* Tiny checking helpers for the plain C programs: each CHECK prints what it verified, and the
 * program exits with the number of failures (0 = pass). Written against zmq.h only. */
#ifndef ZMTP_CAPI_C_CHECK_H
#define ZMTP_CAPI_C_CHECK_H

#include <zmq.h>

#include <stdio.h>
#include <string.h>

static int check_failures = 0;

#define CHECK(cond, what)                                                                          \
    do {                                                                                           \
        if (cond) {                                                                                \
            printf("ok   %s\n", what);                                                             \
        } else {                                                                                   \
            printf("FAIL %s  (%s:%d, errno %d: %s)\n", what, __FILE__, __LINE__, zmq_errno(),      \
                   zmq_strerror(zmq_errno()));                                                     \
            ++check_failures;                                                                      \
        }                                                                                          \
    } while (0)

/* A call that must fail with -1 and the given errno. */
#define CHECK_ERRNO(call, err, what) CHECK((call) == -1 && zmq_errno() == (err), what)

static inline void set_int_option(void *s, int option, int value) {
    zmq_setsockopt(s, option, &value, sizeof value);
}

static inline int get_int_option(void *s, int option) {
    int value = -12345;
    size_t size = sizeof value;
    if (zmq_getsockopt(s, option, &value, &size) != 0)
        return -12345;
    return value;
}

/* Prints the library version and returns the exit status for main. */
static inline int check_finish(const char *program) {
    int major, minor, patch;
    zmq_version(&major, &minor, &patch);
    printf("%s: libzmq API %d.%d.%d, %d failure(s)\n", program, major, minor, patch,
           check_failures);
    return check_failures == 0 ? 0 : 1;
}

#endif
