// /proc/self readings and the growth verdict (rule in soak_sampler.hpp).
#include "soak_sampler.hpp"

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace soak {
namespace {

int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    while (dirent *e = readdir(d))
        if (e->d_name[0] != '.')
            ++n;
    closedir(d);
    return n - (std::strcmp(dir, "/proc/self/fd") == 0 ? 1 : 0);  // the DIR's own fd
}

uint64_t rss_kib() {
    FILE *f = std::fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    unsigned long long kib = 0;
    while (std::fgets(line, sizeof line, f))
        if (std::sscanf(line, "VmRSS: %llu kB", &kib) == 1)
            break;
    std::fclose(f);
    return kib;
}

Sample max_of(const std::vector<Sample> &s, size_t from, size_t to) {
    Sample m;
    m.t = s[to - 1].t;
    for (size_t i = from; i < to; ++i) {
        m.rss_kib = std::max(m.rss_kib, s[i].rss_kib);
        m.fds = std::max(m.fds, s[i].fds);
        m.threads = std::max(m.threads, s[i].threads);
    }
    return m;
}

}  // namespace

Sample take_sample(double t) {
    Sample s;
    s.t = t;
    s.rss_kib = rss_kib();
    s.fds = count_entries("/proc/self/fd");
    s.threads = count_entries("/proc/self/task");
    return s;
}

Verdict judge(const std::vector<Sample> &s) {
    Verdict v;
    if (s.size() < 20) {
        v.problems.push_back("fewer than 20 samples: the run is too short to judge growth");
        return v;
    }
    size_t n = s.size();
    v.start = s.front();
    v.plateau = max_of(s, n * 20 / 100, n * 40 / 100);
    v.end = max_of(s, n * 75 / 100, n);
    char msg[200];
    uint64_t rss_limit = v.plateau.rss_kib + v.plateau.rss_kib / 10 + 4096;
    if (v.end.rss_kib > rss_limit) {
        std::snprintf(msg, sizeof msg, "RSS grew: %llu KiB at the end, plateau %llu KiB "
                      "(limit %llu)", (unsigned long long)v.end.rss_kib,
                      (unsigned long long)v.plateau.rss_kib, (unsigned long long)rss_limit);
        v.problems.push_back(msg);
    }
    if (v.end.fds > v.plateau.fds + 16) {
        std::snprintf(msg, sizeof msg, "fds grew: %d at the end, plateau %d", v.end.fds,
                      v.plateau.fds);
        v.problems.push_back(msg);
    }
    if (v.end.threads > v.plateau.threads + 4) {
        std::snprintf(msg, sizeof msg, "threads grew: %d at the end, plateau %d", v.end.threads,
                      v.plateau.threads);
        v.problems.push_back(msg);
    }
    return v;
}

}  // namespace soak
