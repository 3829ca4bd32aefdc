// io_thread_setup: names, affinity and scheduling of an I/O thread, applied by the thread to
// itself. The choices follow what libzmq 4.3.4 does on Linux (observed by reading
// /proc/self/task/*/comm, sched_getaffinity, sched_getscheduler and getpriority of its threads).
// Thread names and CPU affinity are not POSIX: on systems without the glibc/Linux calls the
// name is skipped (it is cosmetic) and an affinity request fails with ENOTSUP, so the option
// is never accepted and ignored; the nice level of a thread needs Linux's per-thread
// setpriority (ENOTSUP elsewhere).
#include "core/io_thread_setup.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include <cerrno>

namespace zmtp::detail {

namespace {

bool real_time(int policy) noexcept { return policy == SCHED_FIFO || policy == SCHED_RR; }

int apply_affinity(const io_thread_settings& s) noexcept {
    if (s.cpus.empty())
        return 0;
#ifndef __linux__
    return ENOTSUP;
#else
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int cpu : s.cpus)
        if (cpu >= 0 && cpu < CPU_SETSIZE)
            CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
#endif
}

int apply_scheduling(const io_thread_settings& s) noexcept {
    if (s.sched_policy < 0 && s.priority < 0)
        return 0;
    int policy = s.sched_policy;
    sched_param param{};
    if (policy < 0) {
        if (int rc = pthread_getschedparam(pthread_self(), &policy, &param))
            return rc;
    }
    // Only the real-time policies have a static priority; the others take 0.
    param.sched_priority = real_time(policy) && s.priority >= 0 ? s.priority : 0;
    if (int rc = pthread_setschedparam(pthread_self(), policy, &param))
        return rc;
    // For the time-sharing policies libzmq turns "a priority was given" into the highest
    // nice level; do the same, so the option is not accepted and ignored.
    if (s.priority >= 0 && !real_time(policy)) {
#ifdef __linux__
        const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
        if (::setpriority(PRIO_PROCESS, tid, -20) != 0)
            return errno;
#else
        return ENOTSUP; // setpriority(PRIO_PROCESS) would renice the whole process
#endif
    }
    return 0;
}

} // namespace

std::string io_thread_name(const io_thread_settings& settings, int index) {
    std::string name;
    if (settings.name_prefix)
        name = std::to_string(*settings.name_prefix) + "/";
    name += "ZMQbg/IO/" + std::to_string(index);
    if (name.size() > 15)
        name.resize(15); // the kernel's limit (TASK_COMM_LEN - 1)
    return name;
}

int apply_io_thread_settings(const io_thread_settings& settings, int index) noexcept {
    try {
        const std::string name = io_thread_name(settings, index);
#if defined(__APPLE__)
        pthread_setname_np(name.c_str()); // names the calling thread only
#elif defined(__linux__) || defined(__FreeBSD__)
        pthread_setname_np(pthread_self(), name.c_str());
#elif defined(__OpenBSD__)
        pthread_set_name_np(pthread_self(), name.c_str());
#endif
    } catch (...) { // std::bad_alloc building the name: the thread stays unnamed
    }
    if (int rc = apply_affinity(settings))
        return rc;
    return apply_scheduling(settings);
}

} // namespace zmtp::detail
