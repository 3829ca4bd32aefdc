// bench_asio: one table, measured in one run — zmtp::asio_socket (async) beside zmtp's blocking
// API, libzmq driven by Asio through ZMQ_FD, and libzmq's blocking API; PAIR throughput (64 B)
// and round trip (1 B) over tcp, ipc and inproc. Every cell is the median of --repeat runs,
// the four implementations taking turns within each repetition. Ratios compare zmtp async
// with zmtp blocking and with libzmq on Asio (higher is better for zmtp in both rows kinds).
//
// usage: bench_asio [--repeat N] [--scale F]   (F multiplies the message counts)
#include "asio_bench.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

using namespace asio_bench;

namespace {

using run_fn = double (*)(const std::string&, std::size_t, int);

struct row {
    const char* kind; ///< "thr" or "lat"
    std::string transport;
    std::size_t size;
    int count;
};

struct impl {
    const char* name;
    run_fn thr;
    run_fn lat;
};

const impl impls[] = {
    {"zmtp async", zmtp_async_thr, zmtp_async_lat},
    {"zmtp blocking", zmtp_blocking_thr, zmtp_blocking_lat},
    {"libzmq + Asio (ZMQ_FD)", libzmq_asio_thr, libzmq_asio_lat},
    {"libzmq blocking", libzmq_blocking_thr, libzmq_blocking_lat},
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0)
            return line.substr(line.find(':') + 2);
    return "unknown CPU";
}

std::string cell(const row& r, double v) {
    char buf[64];
    if (std::strcmp(r.kind, "thr") == 0)
        std::snprintf(buf, sizeof buf, "%.0f k/s", v / 1000);
    else
        std::snprintf(buf, sizeof buf, "%.1f us", v);
    return buf;
}

} // namespace

int main(int argc, char** argv) {
    int repeat = 3;
    double scale = 1.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--repeat") == 0)
            repeat = std::max(1, std::atoi(argv[i + 1]));
        else if (std::strcmp(argv[i], "--scale") == 0)
            scale = std::atof(argv[i + 1]);
    }
    const auto n = [&](int c) { return std::max(1000, static_cast<int>(c * scale)); };
    const std::vector<row> rows = {
        {"thr", "tcp", 64, n(300000)},    {"thr", "ipc", 64, n(300000)},
        {"thr", "inproc", 64, n(500000)}, {"lat", "tcp", 1, n(20000)},
        {"lat", "ipc", 1, n(20000)},      {"lat", "inproc", 1, n(50000)},
    };
    double load[3] = {0, 0, 0};
    if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
            load[0] = -1;
        std::fclose(f);
    }
    const std::time_t now = std::time(nullptr);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M", std::gmtime(&now));
    std::printf("bench_asio %s UTC, %s, load %.2f %.2f %.2f, median of %d\n\n", date,
                cpu_model().c_str(), load[0], load[1], load[2], repeat);
    std::printf("| PAIR | zmtp async | zmtp blocking | libzmq + Asio (ZMQ_FD) | libzmq blocking "
                "| async / blocking | async / libzmq+Asio |\n|---|---|---|---|---|---|---|\n");
    for (const auto& r : rows) {
        std::vector<std::vector<double>> results(std::size(impls));
        for (int k = 0; k < repeat; ++k)
            for (std::size_t i = 0; i < std::size(impls); ++i) {
                const bool thr = std::strcmp(r.kind, "thr") == 0;
                results[i].push_back(
                    (thr ? impls[i].thr : impls[i].lat)(r.transport, r.size, r.count));
            }
        std::vector<double> m;
        for (auto& v : results)
            m.push_back(median(v));
        const bool thr = std::strcmp(r.kind, "thr") == 0;
        // As "how many times better is zmtp async": throughput a/b, round trip b/a.
        const double vs_blocking = thr ? m[0] / m[1] : m[1] / m[0];
        const double vs_libzmq = thr ? m[0] / m[2] : m[2] / m[0];
        std::printf("| %s %s %zu B | %s | %s | %s | %s | %.2fx | %.2fx |\n",
                    thr ? "throughput" : "round trip", r.transport.c_str(), r.size,
                    cell(r, m[0]).c_str(), cell(r, m[1]).c_str(), cell(r, m[2]).c_str(),
                    cell(r, m[3]).c_str(), vs_blocking, vs_libzmq);
        std::fflush(stdout);
    }
    return 0;
}
