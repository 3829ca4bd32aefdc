/* Socket and monitor helpers shared by the plain C programs (zmq.h only, as check.h). */
#ifndef ZMTP_CAPI_C_SOCKETS_H
#define ZMTP_CAPI_C_SOCKETS_H

#include "check.h"

#include <stdint.h>

/* A socket that never hangs a test: LINGER 0, 5 s receive and send timeouts. */
static inline void *test_socket(void *ctx, int type) {
    void *s = zmq_socket(ctx, type);
    set_int_option(s, ZMQ_LINGER, 0);
    set_int_option(s, ZMQ_RCVTIMEO, 5000);
    set_int_option(s, ZMQ_SNDTIMEO, 5000);
    return s;
}

/* The endpoint `s` last bound (resolves wildcards and ephemeral ports). */
static inline void last_endpoint(void *s, char *out, size_t size) {
    zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, out, &size);
}

/* Reads one monitor event (both frames) from the reader `mon`; returns its id, printed, or -1
 * when the reader's RCVTIMEO passes first. */
static inline int next_monitor_event(void *mon) {
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, mon, 0) == -1)
        return -1;
    uint16_t id = 0;
    if (zmq_msg_size(&msg) == 6)
        memcpy(&id, zmq_msg_data(&msg), sizeof id);
    zmq_msg_close(&msg);
    char endpoint[256];
    zmq_recv(mon, endpoint, sizeof endpoint, 0);
    printf("     event 0x%04x\n", id);
    return id;
}

/* Skips monitor events until `id` arrives (1) or the reader's RCVTIMEO passes (0). */
static inline int wait_monitor_event(void *mon, int id) {
    for (;;) {
        const int got = next_monitor_event(mon);
        if (got == -1)
            return 0;
        if (got == id)
            return 1;
    }
}

#endif
