// Samples the soak process's resident memory, open fds and threads, and judges their growth.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace soak {

struct Sample {
    double t = 0;         // seconds since the start
    uint64_t rss_kib = 0; // VmRSS
    int fds = 0;          // entries of /proc/self/fd
    int threads = 0;      // entries of /proc/self/task
};

Sample take_sample(double t);

// The growth rule. Samples in the first 20 % of the run are warm-up and ignored. The plateau
// is the maximum over 20-40 % of the run, the end the maximum over the last 25 %. The run fails
// if the end exceeds the plateau by more than the slack: RSS 10 % + 4 MiB (allocator noise),
// fds 16 and threads 4 (a churn cycle holds a few sockets, and a fresh context its I/O
// thread, at the instant of a sample). A leak of anything per cycle grows with the run time
// and crosses these; a bounded cache fills during warm-up and stays.
struct Verdict {
    Sample start, plateau, end;
    std::vector<std::string> problems;
};
Verdict judge(const std::vector<Sample> &samples);

}  // namespace soak
