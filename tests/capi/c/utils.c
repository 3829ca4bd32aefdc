/* The utility part of the API (zmq_utils.h and friends), for libzmq and zmtp alike: zmq_has,
 * Z85 (RFC 32 test vector), the CURVE key functions (ENOTSUP where zmq_has("curve") is 0),
 * atomic counters, the stopwatch with zmq_sleep, zmq_threadstart/zmq_threadclose, and
 * zmq_version. */
#include "check.h"

#include <zmq_utils.h>

#include <stdint.h>

static void bump(void *arg) {
    zmq_atomic_counter_inc(arg);
}

int main(void) {
    CHECK(zmq_has("ipc") == 1, "zmq_has(ipc)");
    CHECK(zmq_has("bogus") == 0, "zmq_has(bogus) -> 0");

    const uint8_t bytes[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
    char text[11];
    CHECK(zmq_z85_encode(text, bytes, sizeof bytes) == text && strcmp(text, "HelloWorld") == 0,
          "Z85 encode: HelloWorld");
    uint8_t back[8];
    CHECK(zmq_z85_decode(back, "HelloWorld") == back && memcmp(back, bytes, 8) == 0,
          "Z85 decode: HelloWorld");
    CHECK(zmq_z85_encode(text, bytes, 7) == NULL, "Z85 encode of 7 bytes -> NULL");
    CHECK(zmq_z85_decode(back, "Hell") == NULL, "Z85 decode of 4 characters -> NULL");

    char pub[41], sec[41], pub2[41];
    if (zmq_has("curve")) {
        CHECK(zmq_curve_keypair(pub, sec) == 0, "curve: zmq_curve_keypair");
        CHECK(zmq_curve_public(pub2, sec) == 0 && strcmp(pub, pub2) == 0,
              "curve: zmq_curve_public derives the public key");
    } else {
        CHECK_ERRNO(zmq_curve_keypair(pub, sec), ENOTSUP, "no curve: zmq_curve_keypair ENOTSUP");
        CHECK_ERRNO(zmq_curve_public(pub2, sec), ENOTSUP, "no curve: zmq_curve_public ENOTSUP");
    }

    void *counter = zmq_atomic_counter_new();
    CHECK(counter != NULL && zmq_atomic_counter_value(counter) == 0, "atomic counter at 0");
    void *threads[4];
    for (int i = 0; i < 4; ++i)
        threads[i] = zmq_threadstart(bump, counter);
    for (int i = 0; i < 4; ++i)
        zmq_threadclose(threads[i]);
    CHECK(zmq_atomic_counter_value(counter) == 4, "four threads each incremented once");
    CHECK(zmq_atomic_counter_dec(counter) == 1, "dec: still positive -> 1");
    zmq_atomic_counter_set(counter, 1);
    CHECK(zmq_atomic_counter_dec(counter) == 0, "dec to zero -> 0");
    zmq_atomic_counter_destroy(&counter);
    CHECK(counter == NULL, "destroy clears the pointer");

    void *watch = zmq_stopwatch_start();
    zmq_sleep(1);
    const unsigned long mid = zmq_stopwatch_intermediate(watch);
    CHECK(mid >= 1000000, "zmq_sleep(1) lasts at least 1 000 000 us on the stopwatch");
    CHECK(zmq_stopwatch_stop(watch) >= mid, "zmq_stopwatch_stop >= the intermediate reading");

    int major = 0, minor = 0, patch = 0;
    zmq_version(&major, &minor, &patch);
    CHECK(major == 4 && minor == 3, "zmq_version 4.3.x");
    return check_finish("utils");
}
