/* zmq_setsockopt of the options zmtp does not implement (issue 10 item 12): each answers
 * EINVAL, as libzmq answers an option it does not know, so a caller can detect it; in libzmq
 * each of them is accepted (checked here, so the list names only real libzmq options). The
 * multicast options (RATE, RECOVERY_IVL, MULTICAST_HOPS, MULTICAST_MAXTPDU) are accepted by
 * both: they only matter to pgm/epgm/norm, which zmtp refuses at bind/connect, so on a
 * tcp/ipc/inproc socket they have no effect in libzmq either. */
#include "check.h"

#include <stdint.h>

struct refused {
    int option;
    const char *name;
};

/* (The XPUB options, 40/71/72/78/98/108, are implemented: tests/capi/c/xpub_options.c.) */
static const struct refused refused_options[] = {
    {44, "PLAIN_SERVER"},        {45, "PLAIN_USERNAME"},
    {46, "PLAIN_PASSWORD"},      {47, "CURVE_SERVER"},
    {48, "CURVE_PUBLICKEY"},     {49, "CURVE_SECRETKEY"},
    {50, "CURVE_SERVERKEY"},     {55, "ZAP_DOMAIN"},
    {58, "IPC_FILTER_PID"},      {59, "IPC_FILTER_UID"},
    {60, "IPC_FILTER_GID"},      {62, "GSSAPI_SERVER"},
    {63, "GSSAPI_PRINCIPAL"},    {64, "GSSAPI_SERVICE_PRINCIPAL"},
    {65, "GSSAPI_PLAINTEXT"},    {68, "SOCKS_PROXY"},
    {90, "GSSAPI_PRINCIPAL_NAMETYPE"}, {91, "GSSAPI_SERVICE_PRINCIPAL_NAMETYPE"},
    {93, "ZAP_ENFORCE_DOMAIN"},  {94, "LOOPBACK_FASTPATH"},
    {96, "MULTICAST_LOOP"},      {99, "SOCKS_USERNAME"},
    {100, "SOCKS_PASSWORD"},     {109, "RECONNECT_STOP"},
};

static int zmtp = 0;

/* 0 if any of the usual value forms is accepted (int 1, int 0, "a", a 32-byte key). */
static int set_any_form(void *s, int option) {
    const int one = 1, zero = 0;
    unsigned char key[32];
    memset(key, 0x41, sizeof key);
    if (zmq_setsockopt(s, option, &one, sizeof one) == 0 ||
        zmq_setsockopt(s, option, &zero, sizeof zero) == 0 ||
        zmq_setsockopt(s, option, "a", 1) == 0 || zmq_setsockopt(s, option, key, 32) == 0)
        return 0;
    return zmq_errno();
}

int main(void) {
    void *ctx = zmq_ctx_new();
    void *probe = zmq_socket(ctx, ZMQ_PAIR);
    int zero = 0;
    zmtp = zmq_setsockopt(probe, 0x7A01 /* ZMTP_FD_LEVEL_TRIGGERED */, &zero, sizeof zero) == 0;
    zmq_close(probe);
    printf("     running on %s\n", zmtp ? "zmtp" : "libzmq");

    char what[160];
    const size_t n = sizeof refused_options / sizeof refused_options[0];
    for (size_t i = 0; i < n; ++i) {
        const struct refused *r = &refused_options[i];
        void *s = zmq_socket(ctx, ZMQ_PAIR);
        const int err = set_any_form(s, r->option);
        if (zmtp) {
            snprintf(what, sizeof what, "ZMQ_%s (%d): EINVAL on zmtp", r->name, r->option);
            CHECK(err == EINVAL, what);
        } else {
            snprintf(what, sizeof what, "ZMQ_%s (%d): accepted by libzmq", r->name, r->option);
            CHECK(err == 0, what);
        }
        zmq_close(s);
    }

    /* The multicast options: accepted and read back by both. */
    static const int multicast[] = {ZMQ_RATE, ZMQ_RECOVERY_IVL, ZMQ_MULTICAST_HOPS,
                                    ZMQ_MULTICAST_MAXTPDU};
    void *s = zmq_socket(ctx, ZMQ_PUB);
    for (size_t i = 0; i < sizeof multicast / sizeof multicast[0]; ++i) {
        const int v = 7;
        snprintf(what, sizeof what, "multicast option %d accepted and read back", multicast[i]);
        CHECK(zmq_setsockopt(s, multicast[i], &v, sizeof v) == 0 &&
                  get_int_option(s, multicast[i]) == 7,
              what);
    }
    if (zmtp)
        CHECK_ERRNO(zmq_connect(s, "epgm://127.0.0.1;239.192.1.1:5555"), EPROTONOSUPPORT,
                    "zmtp: epgm:// is refused at connect (EPROTONOSUPPORT)");
    zmq_close(s);

    zmq_ctx_term(ctx);
    return check_finish("options_set");
}
