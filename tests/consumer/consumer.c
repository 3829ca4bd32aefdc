/* Consumer of the installed C API: zmtp's zmq.h (it has ZMTP_FD_LEVEL_TRIGGERED), a PAIR
 * round trip, and with "--expect-lib DIR" a check that libzmq.so was loaded from DIR (not
 * from the system) when linked against the shared library. */
#include <zmq.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ZMTP_FD_LEVEL_TRIGGERED
#error "this is not zmtp's zmq.h"
#endif

static int loaded_from(const char *dir) {
    char want[PATH_MAX], have[PATH_MAX], line[1024];
    if (!realpath(dir, want))
        return 0;
    FILE *maps = fopen("/proc/self/maps", "r");
    int found = 0, other = 0;
    while (maps && fgets(line, sizeof line, maps)) {
        char *path = strchr(line, '/');
        if (!path || !strstr(path, "/libzmq.so"))
            continue;
        path[strcspn(path, "\n")] = '\0';
        *strrchr(path, '/') = '\0';
        if (realpath(path, have) && strcmp(have, want) == 0)
            found = 1;
        else
            other = 1;
    }
    if (maps)
        fclose(maps);
    return found && !other;
}

int main(int argc, char **argv) {
    void *ctx = zmq_ctx_new();
    void *a = zmq_socket(ctx, ZMQ_PAIR);
    void *b = zmq_socket(ctx, ZMQ_PAIR);
    int timeout = 5000;
    zmq_setsockopt(a, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    int ok = zmq_bind(a, "inproc://consumer") == 0 && zmq_connect(b, "inproc://consumer") == 0 &&
             zmq_send(b, "hello", 5, 0) == 5;
    char buf[8];
    ok = ok && zmq_recv(a, buf, sizeof buf, 0) == 5 && memcmp(buf, "hello", 5) == 0;
    if (argc == 3 && strcmp(argv[1], "--expect-lib") == 0 && !loaded_from(argv[2])) {
        printf("FAIL consumer_c: libzmq.so not (only) loaded from %s\n", argv[2]);
        ok = 0;
    }
    zmq_close(a);
    zmq_close(b);
    zmq_ctx_term(ctx);
    puts(ok ? "ok   consumer_c: zmtp's zmq.h, PAIR round trip" : "FAIL consumer_c");
    return ok ? 0 : 1;
}
