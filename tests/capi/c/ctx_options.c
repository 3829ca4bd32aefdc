/* Context options for the I/O threads (issue 10, item 13), checked against what libzmq 4.3.4
 * does on Linux: THREAD_SCHED_POLICY / THREAD_PRIORITY refuse negative values with EINVAL;
 * THREAD_NAME_PREFIX is an int that zmq_ctx_get reads back; THREAD_AFFINITY_CPU_REMOVE of a CPU
 * never added is EINVAL. And the settings take effect: the I/O threads are named
 * "ZMQbg/IO/<n>" ("<prefix>/ZMQbg/IO/<n>" with a prefix), run on the CPUs added, under the
 * policy set (SCHED_BATCH needs no privilege; SCHED_RR with a priority is checked when the
 * program runs as root). The threads are found by name in /proc/self/task; libzmq names them
 * from the thread itself, so the lookup waits (bounded) for the name to appear. */
#define _GNU_SOURCE
#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The thread id of the thread named `name`, or 0 after 5 s. */
static int find_thread(const char *name) {
    const struct timespec pause = {0, 5 * 1000 * 1000};
    for (int round = 0; round < 1000; ++round) {
        DIR *dir = opendir("/proc/self/task");
        struct dirent *e;
        int found = 0;
        while (dir && (e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char path[300], comm[64] = "";
            snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
            FILE *f = fopen(path, "r");
            if (!f)
                continue;
            if (fgets(comm, sizeof comm, f))
                comm[strcspn(comm, "\n")] = '\0';
            fclose(f);
            if (strcmp(comm, name) == 0)
                found = atoi(e->d_name);
        }
        if (dir)
            closedir(dir);
        if (found)
            return found;
        nanosleep(&pause, NULL); /* a bounded probe: the name is set by the new thread */
    }
    return 0;
}

/* Starts the context's I/O threads (libzmq: at the first socket; zmtp: at the first tcp bind). */
static void *start_threads(void *ctx) {
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    set_int_option(s, ZMQ_LINGER, 0);
    CHECK(s && zmq_bind(s, "tcp://127.0.0.1:*") == 0, "start the I/O threads (bind tcp)");
    return s;
}

static int pick_cpu(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return -1;
    for (int cpu = CPU_SETSIZE - 1; cpu >= 0; --cpu)
        if (CPU_ISSET(cpu, &set))
            return cpu; /* the last CPU we may run on */
    return -1;
}

int main(void) {
    void *ctx = zmq_ctx_new();
    CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_THREAD_SCHED_POLICY, -1), EINVAL,
                "THREAD_SCHED_POLICY -1: EINVAL");
    CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_THREAD_SCHED_POLICY, -7), EINVAL,
                "THREAD_SCHED_POLICY -7: EINVAL");
    CHECK(zmq_ctx_get(ctx, ZMQ_THREAD_SCHED_POLICY) == -1, "THREAD_SCHED_POLICY reads -1");
    CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_THREAD_PRIORITY, -1), EINVAL, "THREAD_PRIORITY -1: EINVAL");
    CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_THREAD_PRIORITY, -3), EINVAL, "THREAD_PRIORITY -3: EINVAL");
    CHECK(zmq_ctx_get(ctx, ZMQ_THREAD_NAME_PREFIX) == 0, "THREAD_NAME_PREFIX reads 0 unset");
    CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_NAME_PREFIX, 77) == 0 &&
              zmq_ctx_get(ctx, ZMQ_THREAD_NAME_PREFIX) == 77,
          "THREAD_NAME_PREFIX 77 reads back 77");
    CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_NAME_PREFIX, -5) == 0 &&
              zmq_ctx_get(ctx, ZMQ_THREAD_NAME_PREFIX) == -5,
          "THREAD_NAME_PREFIX takes any int (-5 reads back)");
    CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_THREAD_AFFINITY_CPU_ADD, -1), EINVAL,
                "THREAD_AFFINITY_CPU_ADD -1: EINVAL");
    CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_THREAD_AFFINITY_CPU_REMOVE, 3), EINVAL,
                "THREAD_AFFINITY_CPU_REMOVE of a CPU never added: EINVAL");
    CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_AFFINITY_CPU_ADD, 3) == 0 &&
              zmq_ctx_set(ctx, ZMQ_THREAD_AFFINITY_CPU_REMOVE, 3) == 0,
          "THREAD_AFFINITY_CPU_ADD 3 then REMOVE 3");
    CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_THREAD_AFFINITY_CPU_REMOVE, 3), EINVAL,
                "REMOVE 3 again: EINVAL");
    CHECK(zmq_ctx_term(ctx) == 0, "term");

    /* Default names, one thread per ZMQ_IO_THREADS. */
    ctx = zmq_ctx_new();
    zmq_ctx_set(ctx, ZMQ_IO_THREADS, 2);
    void *s = start_threads(ctx);
    CHECK(find_thread("ZMQbg/IO/0") != 0, "an I/O thread named ZMQbg/IO/0");
    CHECK(find_thread("ZMQbg/IO/1") != 0, "an I/O thread named ZMQbg/IO/1");
    zmq_close(s);
    CHECK(zmq_ctx_term(ctx) == 0, "term");

    /* Prefix, affinity and SCHED_BATCH (no privilege needed). */
    const int cpu = pick_cpu();
    CHECK(cpu >= 0, "sched_getaffinity of the process");
    ctx = zmq_ctx_new();
    zmq_ctx_set(ctx, ZMQ_THREAD_NAME_PREFIX, 42);
    CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_AFFINITY_CPU_ADD, cpu) == 0, "THREAD_AFFINITY_CPU_ADD");
    CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_SCHED_POLICY, SCHED_BATCH) == 0, "SCHED_POLICY BATCH");
    s = start_threads(ctx);
    const int tid = find_thread("42/ZMQbg/IO/0");
    CHECK(tid != 0, "the I/O thread is named 42/ZMQbg/IO/0");
    if (tid) {
        cpu_set_t set;
        CHECK(sched_getaffinity(tid, sizeof set, &set) == 0 && CPU_COUNT(&set) == 1 &&
                  CPU_ISSET(cpu, &set),
              "its affinity is exactly the CPU added");
        CHECK(sched_getscheduler(tid) == SCHED_BATCH, "its policy is SCHED_BATCH");
    }
    cpu_set_t mine;
    CHECK(sched_getaffinity(0, sizeof mine, &mine) == 0 && CPU_ISSET(cpu, &mine),
          "the application thread keeps its own affinity");
    zmq_close(s);
    CHECK(zmq_ctx_term(ctx) == 0, "term");

    /* A long prefix is cut to the kernel's 15 characters. */
    ctx = zmq_ctx_new();
    zmq_ctx_set(ctx, ZMQ_THREAD_NAME_PREFIX, 123456789);
    s = start_threads(ctx);
    CHECK(find_thread("123456789/ZMQbg") != 0, "prefix 123456789: named 123456789/ZMQbg");
    zmq_close(s);
    CHECK(zmq_ctx_term(ctx) == 0, "term");

    if (geteuid() == 0) {
        ctx = zmq_ctx_new();
        zmq_ctx_set(ctx, ZMQ_THREAD_SCHED_POLICY, SCHED_RR);
        zmq_ctx_set(ctx, ZMQ_THREAD_PRIORITY, 10);
        s = start_threads(ctx);
        const int rr = find_thread("ZMQbg/IO/0");
        struct sched_param param;
        CHECK(rr != 0 && sched_getscheduler(rr) == SCHED_RR &&
                  sched_getparam(rr, &param) == 0 && param.sched_priority == 10,
              "as root: SCHED_RR priority 10 applies to the I/O thread");
        zmq_close(s);
        CHECK(zmq_ctx_term(ctx) == 0, "term");
    } else {
        printf("skip SCHED_RR priority 10 (needs root)\n");
    }
#ifdef ZMTP_FD_LEVEL_TRIGGERED
    /* zmtp only: without the privilege a real-time policy cannot be applied. libzmq aborts the
     * process from its I/O thread; zmtp fails the bind that starts the threads with EPERM. */
    if (geteuid() == 0) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            alarm(5);
            if (setuid(65534) != 0)
                _exit(10);
            void *c = zmq_ctx_new();
            zmq_ctx_set(c, ZMQ_THREAD_SCHED_POLICY, SCHED_FIFO);
            zmq_ctx_set(c, ZMQ_THREAD_PRIORITY, 10);
            void *p = zmq_socket(c, ZMQ_PAIR);
            const int rc = zmq_bind(p, "tcp://127.0.0.1:*");
            const int err = zmq_errno();
            zmq_close(p);
            zmq_ctx_term(c);
            _exit(rc == -1 && err == EPERM ? 0 : 11);
        }
        int status = 0;
        CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
                  WEXITSTATUS(status) == 0,
              "unprivileged SCHED_FIFO: the bind starting the I/O threads fails with EPERM");
    }
#endif
    return check_finish("ctx_options");
}
