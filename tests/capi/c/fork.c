/* fork() (issue 10, item 5): in a child, terminating a context inherited from the parent
 * returns instead of hanging — after the child closed the inherited sockets, without closing
 * them, and for a context that never started I/O threads — and leaves the parent's
 * connections alone: after each child exited, the parent still exchanges messages over tcp and
 * ipc. libzmq 4.3.4 answers the child's zmq_ctx_term with -1/EINTR at once; zmtp finishes it
 * and answers 0 (built against zmtp's zmq.h the program requires 0, and that the child's
 * zmq_close closed its copy of the socket's ZMQ_FD). Each child arms alarm(5),
 * so a hang kills it and fails the case. */
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef ZMTP_FD_LEVEL_TRIGGERED /* zmtp's zmq.h */
#define TERM_OK(rc) ((rc) == 0)
#define ZMTP 1
#else
#define TERM_OK(rc) ((rc) == 0 || zmq_errno() == EINTR)
#define ZMTP 0
#endif

enum { close_first = 1, leave_open = 2, idle_context = 3 };

static void *ctx, *ctx_peer, *idle;
static void *pull_tcp, *push_tcp, *pull_ipc, *push_ipc;
static char ipc[128];
static int pull_tcp_fd = -1; /* its ZMQ_FD, made before the fork */

static int child(int mode) {
    alarm(5);
    int failures = 0;
    if (mode == close_first) {
        failures += zmq_close(pull_tcp) != 0;
        failures += zmq_close(pull_ipc) != 0;
        failures += zmq_close(push_tcp) != 0;
        failures += zmq_close(push_ipc) != 0;
        /* zmtp closes the socket's descriptors in the child (libzmq leaves that to its
         * reaper thread, which the child does not have). */
        if (ZMTP && fcntl(pull_tcp_fd, F_GETFD) != -1)
            ++failures;
    }
    if (mode == idle_context) {
        int rc = zmq_ctx_term(idle);
        failures += !TERM_OK(rc);
    } else {
        int rc = zmq_ctx_term(ctx);
        failures += !TERM_OK(rc);
        rc = zmq_ctx_term(ctx_peer);
        failures += !TERM_OK(rc);
    }
    return failures;
}

static int exchange(const char *what) {
    char buf[16];
    int ok = zmq_send(push_tcp, what, strlen(what), 0) == (int)strlen(what) &&
             zmq_recv(pull_tcp, buf, sizeof buf, 0) == (int)strlen(what) &&
             zmq_send(push_ipc, what, strlen(what), 0) == (int)strlen(what) &&
             zmq_recv(pull_ipc, buf, sizeof buf, 0) == (int)strlen(what);
    /* The ipc listener still has its name: a new peer reaches it. */
    void *fresh = zmq_socket(ctx_peer, ZMQ_PUSH);
    set_int_option(fresh, ZMQ_LINGER, 0);
    set_int_option(fresh, ZMQ_SNDTIMEO, 5000);
    ok = ok && zmq_connect(fresh, ipc) == 0 && zmq_send(fresh, "new", 3, 0) == 3 &&
         zmq_recv(pull_ipc, buf, sizeof buf, 0) == 3;
    zmq_close(fresh);
    return ok;
}

static void run_child(int mode, const char *what) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(child(mode));
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork and wait for the child");
    if (WIFSIGNALED(status))
        printf("     the child died of signal %d (SIGALRM %d: a hang)\n", WTERMSIG(status),
               SIGALRM);
    char line[160];
    snprintf(line, sizeof line, "child (%s): zmq_ctx_term of the inherited contexts returns",
             what);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, line);
    snprintf(line, sizeof line, "parent after that child: tcp and ipc still deliver, a new ipc peer connects");
    CHECK(exchange("after"), line);
}

int main(void) {
    snprintf(ipc, sizeof ipc, "ipc:///tmp/zmtp-fork-%d.sock", (int)getpid());
    ctx = zmq_ctx_new();
    ctx_peer = zmq_ctx_new();
    idle = zmq_ctx_new();
    pull_tcp = zmq_socket(ctx, ZMQ_PULL);
    pull_ipc = zmq_socket(ctx, ZMQ_PULL);
    push_tcp = zmq_socket(ctx_peer, ZMQ_PUSH);
    push_ipc = zmq_socket(ctx_peer, ZMQ_PUSH);
    void *all[] = {pull_tcp, pull_ipc, push_tcp, push_ipc};
    for (int i = 0; i < 4; ++i) {
        set_int_option(all[i], ZMQ_LINGER, 0);
        set_int_option(all[i], ZMQ_RCVTIMEO, 5000);
        set_int_option(all[i], ZMQ_SNDTIMEO, 5000);
    }
    CHECK(zmq_bind(pull_tcp, "tcp://127.0.0.1:*") == 0, "bind tcp");
    char endpoint[256];
    size_t size = sizeof endpoint;
    zmq_getsockopt(pull_tcp, ZMQ_LAST_ENDPOINT, endpoint, &size);
    CHECK(zmq_connect(push_tcp, endpoint) == 0, "connect tcp (another context)");
    CHECK(zmq_bind(pull_ipc, ipc) == 0 && zmq_connect(push_ipc, ipc) == 0, "bind/connect ipc");
    CHECK(exchange("before"), "parent: tcp and ipc deliver before any fork");
    size = sizeof pull_tcp_fd;
    CHECK(zmq_getsockopt(pull_tcp, ZMQ_FD, &pull_tcp_fd, &size) == 0, "ZMQ_FD of the tcp PULL");

    run_child(close_first, "closes the sockets first");
    run_child(leave_open, "leaves the sockets open");
    run_child(idle_context, "a context without I/O threads");
    CHECK(exchange("last"), "parent: a last exchange");
    CHECK(fcntl(pull_tcp_fd, F_GETFD) != -1, "parent: its ZMQ_FD is still open");

    for (int i = 0; i < 4; ++i)
        zmq_close(all[i]);
    CHECK(zmq_ctx_term(ctx) == 0 && zmq_ctx_term(ctx_peer) == 0 && zmq_ctx_term(idle) == 0,
          "parent: terminate the contexts");
    return check_finish("fork");
}
