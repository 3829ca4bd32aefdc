/* zmq_getsockopt over every option number 0..120 (ZMQ_FD aside) on fresh PAIR, PUB and SUB
 * sockets, three ways: an int buffer (4 bytes), an int64 buffer (8 bytes) and a 256-byte
 * buffer. The expected answers were captured from libzmq 4.3.4 (Debian's libzmq5, draft options
 * compiled in) and are checked against both libraries: every readable option with its default,
 * libzmq's exact-size rules, and EINVAL for the rest (unknown and write-only numbers).
 * Answer format: "<int> <int64> <buf>", each "value/size", "szN" or "eERRNO". */
#include "check.h"

#include <stdint.h>

struct expected {
    int type; /* -1: all three types */
    int option;
    const char *answer;
};

static const struct expected table[] = {
    {-1, 4, "e22 0/8 e22"},
    {-1, 5, "0/0 0/0 sz0"},
    {-1, 8, "100/4 e22 e22"},
    {-1, 9, "10000/4 e22 e22"},
    {-1, 11, "-1/4 e22 e22"},
    {-1, 12, "-1/4 e22 e22"},
    {-1, 13, "0/4 0/4 sz4"},
    {0, 15, "0/4 0/4 sz4"},
    {1, 15, "2/4 2/4 sz4"},
    {2, 15, "0/4 0/4 sz4"},
    {0, 16, "0/4 e22 e22"},
    {1, 16, "1/4 e22 e22"},
    {2, 16, "2/4 e22 e22"},
    {0, 17, "-1/4 e22 e22"},
    {1, 17, "-1/4 e22 e22"},
    {2, 17, "0/4 e22 e22"},
    {-1, 18, "100/4 e22 e22"},
    {-1, 19, "100/4 e22 e22"},
    {-1, 21, "0/4 e22 e22"},
    {-1, 22, "e22 -1/8 e22"},
    {-1, 23, "1000/4 e22 e22"},
    {-1, 24, "1000/4 e22 e22"},
    {-1, 25, "1/4 e22 e22"},
    {-1, 27, "-1/4 e22 e22"},
    {-1, 28, "-1/4 e22 e22"},
    {-1, 31, "1/4 e22 e22"},
    {-1, 32, "0/1 0/1 sz1"},
    {-1, 34, "-1/4 e22 e22"},
    {-1, 35, "-1/4 e22 e22"},
    {-1, 36, "-1/4 e22 e22"},
    {-1, 37, "-1/4 e22 e22"},
    {-1, 39, "0/4 e22 e22"},
    {-1, 42, "0/4 e22 e22"},
    {-1, 43, "0/4 e22 e22"},
    {-1, 44, "0/4 e22 e22"},
    {-1, 45, "0/1 0/1 sz1"},
    {-1, 46, "0/1 0/1 sz1"},
    {-1, 47, "0/4 e22 e22"},
    {-1, 54, "0/4 e22 e22"},
    {-1, 55, "0/1 0/1 sz1"},
    {-1, 57, "0/4 e22 e22"},
    {-1, 62, "0/4 e22 e22"},
    {-1, 63, "0/1 0/1 sz1"},
    {-1, 64, "0/1 0/1 sz1"},
    {-1, 65, "0/4 e22 e22"},
    {-1, 66, "30000/4 e22 e22"},
    {-1, 68, "0/1 0/1 sz1"},
    {-1, 74, "0/4 e22 e22"},
    {-1, 75, "0/4 e22 e22"},
    {-1, 76, "0/4 e22 e22"},
    {-1, 77, "-1/4 e22 e22"},
    {-1, 79, "0/4 e22 e22"},
    {-1, 80, "0/4 e22 e22"},
    {-1, 81, "0/4 0/4 sz4"},
    {-1, 84, "1500/4 e22 e22"},
    {-1, 89, "-1/4 e22 e22"},
    {-1, 90, "0/4 e22 e22"},
    {-1, 91, "0/4 e22 e22"},
    {-1, 92, "0/1 0/1 sz1"},
    {-1, 93, "0/4 e22 e22"},
    {-1, 94, "0/4 e22 e22"},
    {-1, 96, "1/4 e22 e22"},
    {-1, 99, "0/1 0/1 sz1"},
    {-1, 100, "0/1 0/1 sz1"},
    {-1, 109, "0/4 e22 e22"},
};

static const char *expected_answer(int type, int option) {
    for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i)
        if (table[i].option == option && (table[i].type == -1 || table[i].type == type))
            return table[i].answer;
    return "e22 e22 e22";
}

static void answer(void *s, int option, char *out, size_t len) {
    int iv = 0;
    size_t isz = sizeof iv;
    int64_t lv = 0;
    size_t lsz = sizeof lv;
    char buf[256];
    size_t bsz = sizeof buf;
    char a[64], b[64], c[64];
    if (zmq_getsockopt(s, option, &iv, &isz) == 0)
        snprintf(a, sizeof a, "%d/%zu", iv, isz);
    else
        snprintf(a, sizeof a, "e%d", zmq_errno());
    if (zmq_getsockopt(s, option, &lv, &lsz) == 0)
        snprintf(b, sizeof b, "%lld/%zu", (long long)lv, lsz);
    else
        snprintf(b, sizeof b, "e%d", zmq_errno());
    if (zmq_getsockopt(s, option, buf, &bsz) == 0)
        snprintf(c, sizeof c, "sz%zu", bsz);
    else
        snprintf(c, sizeof c, "e%d", zmq_errno());
    snprintf(out, len, "%s %s %s", a, b, c);
}

int main(void) {
    void *ctx = zmq_ctx_new();
    const int types[3] = {ZMQ_PAIR, ZMQ_PUB, ZMQ_SUB};
    int mismatches = 0, readable = 0;
    for (int t = 0; t < 3; ++t) {
        void *s = zmq_socket(ctx, types[t]);
        for (int option = 0; option <= 120; ++option) {
            if (option == ZMQ_FD)
                continue; /* a descriptor number, checked in fd_events.c */
            char got[200];
            answer(s, option, got, sizeof got);
            const char *want = expected_answer(types[t], option);
            if (strcmp(got, want) != 0) {
                printf("FAIL type %d option %d: got '%s', libzmq 4.3.4 says '%s'\n", types[t],
                       option, got, want);
                ++mismatches;
            } else if (strcmp(want, "e22 e22 e22") != 0) {
                ++readable;
            }
        }
        zmq_close(s);
    }
    printf("     %d readable option answers matched\n", readable);
    CHECK(mismatches == 0, "every getsockopt answer equals libzmq 4.3.4's");

    /* The values follow what was set, and ZMQ_IPV4ONLY mirrors ZMQ_IPV6. */
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(s, ZMQ_IPV6, 1);
    CHECK(get_int_option(s, ZMQ_IPV4ONLY) == 0, "IPV6 1 -> IPV4ONLY 0");
    set_int_option(s, ZMQ_IPV4ONLY, 1);
    CHECK(get_int_option(s, ZMQ_IPV6) == 0, "IPV4ONLY 1 -> IPV6 0");
    int two = 2;
    CHECK_ERRNO(zmq_setsockopt(s, ZMQ_IPV4ONLY, &two, sizeof two), EINVAL, "IPV4ONLY 2 -> EINVAL");
    set_int_option(s, ZMQ_SNDHWM, 7);
    CHECK(get_int_option(s, ZMQ_SNDHWM) == 7, "SNDHWM round-trips");
    zmq_close(s);
    CHECK(zmq_ctx_term(ctx) == 0, "zmq_ctx_term");
    return check_finish("options_all");
}
