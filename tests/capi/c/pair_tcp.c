/* PAIR over tcp through the plain libzmq C API: bind/connect, send/recv, multipart with
 * ZMQ_RCVMORE, truncation, zmq_msg_* transfer, DONTWAIT on a peerless bound PAIR (C-PAIR-3).
 * With "--expect-lib DIR" it also checks that the libzmq.so.5 mapped into the process lives
 * in DIR (used to prove an LD_LIBRARY_PATH swap loaded zmtp's library). */
#include "check.h"

#include <limits.h>
#include <stdlib.h>

/* True if a mapped libzmq.so lives in `dir` (compared after resolving symlinks). */
static int libzmq_loaded_from(const char *dir) {
    char want[PATH_MAX];
    if (!realpath(dir, want))
        return 0;
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps)
        return 0;
    char line[1024];
    int found = 0;
    while (!found && fgets(line, sizeof line, maps)) {
        char *path = strchr(line, '/');
        if (!path || !strstr(path, "libzmq.so"))
            continue;
        path[strcspn(path, "\n")] = '\0';
        printf("     mapped: %s\n", path);
        char *slash = strrchr(path, '/');
        *slash = '\0';
        char have[PATH_MAX];
        found = realpath(path, have) && strcmp(have, want) == 0;
    }
    fclose(maps);
    return found;
}

int main(int argc, char **argv) {
    void *ctx = zmq_ctx_new();
    CHECK(ctx != NULL, "zmq_ctx_new");
    void *a = zmq_socket(ctx, ZMQ_PAIR);
    void *b = zmq_socket(ctx, ZMQ_PAIR);
    CHECK(a && b, "zmq_socket(ZMQ_PAIR) twice");
    set_int_option(a, ZMQ_RCVTIMEO, 5000);
    set_int_option(b, ZMQ_RCVTIMEO, 5000);

    CHECK(zmq_bind(a, "tcp://127.0.0.1:*") == 0, "bind tcp://127.0.0.1:*");
    char endpoint[256];
    size_t size = sizeof endpoint;
    CHECK(zmq_getsockopt(a, ZMQ_LAST_ENDPOINT, endpoint, &size) == 0, "ZMQ_LAST_ENDPOINT");
    CHECK(strncmp(endpoint, "tcp://127.0.0.1:", 16) == 0, "LAST_ENDPOINT names 127.0.0.1");
    CHECK(size == strlen(endpoint) + 1, "LAST_ENDPOINT size counts the NUL");

    void *lonely = zmq_socket(ctx, ZMQ_PAIR);
    CHECK(zmq_bind(lonely, "tcp://127.0.0.1:*") == 0, "bind a second, peerless PAIR");
    CHECK_ERRNO(zmq_send(lonely, "x", 1, ZMQ_DONTWAIT), EAGAIN,
                "DONTWAIT send on a bound PAIR without peer -> EAGAIN (C-PAIR-3)");
    zmq_close(lonely);

    CHECK(zmq_connect(b, endpoint) == 0, "connect to LAST_ENDPOINT");
    CHECK(zmq_send(b, "hello", 5, 0) == 5, "send 'hello' returns 5");
    char buf[64];
    int n = zmq_recv(a, buf, sizeof buf, 0);
    CHECK(n == 5 && memcmp(buf, "hello", 5) == 0, "recv 'hello'");
    CHECK(zmq_send(a, "reply", 5, 0) == 5, "send back");
    n = zmq_recv(b, buf, sizeof buf, 0);
    CHECK(n == 5 && memcmp(buf, "reply", 5) == 0, "recv 'reply' on the connecting side");

    CHECK(zmq_send(b, "part1", 5, ZMQ_SNDMORE) == 5, "send part1 with SNDMORE");
    CHECK(zmq_send(b, "part2", 5, ZMQ_SNDMORE) == 5, "send part2 with SNDMORE");
    CHECK(zmq_send(b, "end", 3, 0) == 3, "send the last part");
    n = zmq_recv(a, buf, sizeof buf, 0);
    CHECK(n == 5 && memcmp(buf, "part1", 5) == 0, "recv part1");
    CHECK(get_int_option(a, ZMQ_RCVMORE) == 1, "RCVMORE 1 after part1");
    n = zmq_recv(a, buf, sizeof buf, 0);
    CHECK(n == 5 && memcmp(buf, "part2", 5) == 0, "recv part2");
    CHECK(get_int_option(a, ZMQ_RCVMORE) == 1, "RCVMORE 1 after part2");
    n = zmq_recv(a, buf, sizeof buf, 0);
    CHECK(n == 3 && memcmp(buf, "end", 3) == 0, "recv the last part");
    CHECK(get_int_option(a, ZMQ_RCVMORE) == 0, "RCVMORE 0 after the last part");

    CHECK(zmq_send(b, "0123456789", 10, 0) == 10, "send 10 bytes");
    n = zmq_recv(a, buf, 4, 0);
    CHECK(n == 10 && memcmp(buf, "0123", 4) == 0, "recv into 4 bytes: truncated, returns 10");

    zmq_msg_t msg;
    zmq_msg_init_size(&msg, 1000);
    memset(zmq_msg_data(&msg), 'm', 1000);
    CHECK(zmq_msg_send(&msg, b, 0) == 1000, "zmq_msg_send 1000 bytes");
    zmq_msg_close(&msg);
    zmq_msg_init(&msg);
    CHECK(zmq_msg_recv(&msg, a, 0) == 1000, "zmq_msg_recv 1000 bytes");
    CHECK(zmq_msg_size(&msg) == 1000 && ((char *)zmq_msg_data(&msg))[999] == 'm',
          "received content intact");
    CHECK(zmq_msg_more(&msg) == 0, "zmq_msg_more 0");
    const char *peer_type = zmq_msg_gets(&msg, "Socket-Type");
    CHECK(peer_type && strcmp(peer_type, "PAIR") == 0, "zmq_msg_gets: Socket-Type PAIR");
    CHECK(zmq_msg_gets(&msg, "No-Such-Property") == NULL && zmq_errno() == EINVAL,
          "zmq_msg_gets: unknown property -> EINVAL");
    zmq_msg_close(&msg);

    set_int_option(a, ZMQ_RCVTIMEO, 20);
    CHECK_ERRNO(zmq_recv(a, buf, sizeof buf, 0), EAGAIN, "RCVTIMEO expiry -> EAGAIN");

    if (argc == 3 && strcmp(argv[1], "--expect-lib") == 0)
        CHECK(libzmq_loaded_from(argv[2]), "libzmq.so.5 was loaded from the expected directory");

    set_int_option(a, ZMQ_LINGER, 0);
    set_int_option(b, ZMQ_LINGER, 0);
    CHECK(zmq_close(a) == 0 && zmq_close(b) == 0, "zmq_close both");
    CHECK(zmq_ctx_term(ctx) == 0, "zmq_ctx_term");
    return check_finish("pair_tcp");
}
