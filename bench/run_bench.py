#!/usr/bin/python3
"""run_bench.py: runs bench_zmtp and bench_libzmq side by side and prints a Markdown table.

Each row is calibrated so the slower library takes about --target seconds per run, then run
--repeat times with zmtp and libzmq interleaved (alternating which goes first) to cancel drift;
the table shows the medians. Exit status 1 if any row failed for either library.

usage: run_bench.py BENCH_ZMTP BENCH_LIBZMQ [--suite default|full] [--transports tcp,ipc,inproc]
                    [--patterns pair,pubsub] [--subscribers 1,4] [--full] [--repeat 3] ...

--suite full is the long table of issue 13: every size up to 1 MiB, round-trip percentiles,
PUB -> 1/4/16/64 SUB, 2 and 4 I/O threads, memory per idle connection (1000 SUB on one PUB)
and per queued message.
"""
import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time

from bench_runs import BenchError, run_once
from reference_tables import measure_references, print_ceilings, print_floors

TRANSPORTS = ["tcp", "ipc", "inproc"]
PAIR_SIZES = {"tcp": [1, 64, 1024, 65536], "ipc": [1, 64, 1024], "inproc": [1, 64, 1024]}
PUBSUB_SIZES = {"tcp": [1, 64, 1024], "ipc": [1, 1024], "inproc": [1, 1024]}
FULL_SIZES = [1, 64, 1024, 65536]
SUBSCRIBERS = [1, 4]
LAT_SIZE = 1
MAX_COUNT = 5_000_000
IDLE_CONNECTIONS = 1000
QUEUED_MESSAGES = 200_000


def version(binary, name):
    """'zmtp 0.1.0' or 'libzmq 4.3.4', from `bench_X version` ("impl=NAME [VERSION] api=X.Y.Z")."""
    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=10)
        impl, api = out.stdout.strip().split(" api=")
        impl = impl.split("=", 1)[1]
        return impl if " " in impl else "%s %s" % (impl, api)
    except (ValueError, IndexError, OSError, subprocess.TimeoutExpired):
        return name + " ?"


def fmt_size(size):
    return "%d KiB" % (size // 1024) if size >= 1024 else "%d B" % size


class Row:
    """One table row: a mode (thr/lat) for one transport, pattern, size and subscriber count."""

    # mode -> the output key the table compares (its median over the runs)
    KEYS = {"thr": "msgs_per_s", "lat": "usec_per_roundtrip", "idle": "bytes_per_conn",
            "fresh": "bytes_per_conn", "queue": "bytes_per_msg"}

    def __init__(self, mode, transport, pattern, size, subscribers=1, io_threads=1, count=0):
        self.mode, self.transport, self.pattern = mode, transport, pattern
        self.size, self.subscribers, self.io_threads = size, subscribers, io_threads
        self.count = count  # fixed for idle/queue rows, calibrated for the others
        self.results = {}  # impl name -> list of outputs (key=value dicts)
        self.errors = {}   # impl name -> message
        self.ceiling = {}  # "fill"/"bare" -> wire_ceiling msgs/s per run (--ceiling)
        self.floor = {}  # "direct"/"relay" -> roundtrip_floor µs per run (--ceiling)

    def args(self, count):
        if self.mode == "idle":
            return ["idle", self.transport, "pubsub", str(self.size), str(self.count)]
        if self.mode == "fresh":
            return ["fresh", self.transport, "pubsub", "0", str(self.count)]
        out = [self.mode, self.transport, self.pattern, str(self.size), str(count)]
        return out + [str(self.subscribers)] if self.pattern == "pubsub" else out

    def env(self):
        if self.io_threads == 1:
            return None
        return dict(os.environ, ZMQ_BENCH_IO_THREADS=str(self.io_threads))

    def label(self):
        if self.mode == "idle":
            return "PUB + %d idle SUB %s: memory per connection" % (self.count, self.transport)
        if self.mode == "fresh":
            return ("PUB + %d SUB %s, never carried a message: memory per connection"
                    % (self.count, self.transport))
        if self.mode == "queue":
            return "PAIR %s queued %s message: memory" % (self.transport, fmt_size(self.size))
        if self.pattern == "pubsub":
            what = "PUB→%d SUB %s throughput" % (self.subscribers, self.transport)
        else:
            kind = "throughput" if self.mode == "thr" else "round trip"
            what = "PAIR %s %s" % (self.transport, kind)
        threads = ", %d I/O threads" % self.io_threads if self.io_threads > 1 else ""
        return "%s %s%s" % (what, fmt_size(self.size), threads)

    def timeout(self, default):
        return max(default, 120) if self.mode in ("idle", "fresh") else default

    def calibrated(self):
        return self.mode in ("thr", "lat")

    def pilot_count(self):
        if self.mode == "lat":
            return 500
        return max(2000, min(100_000, 20_000_000 // max(self.size, 1)) // self.subscribers)

    def value(self, out):
        return float(out[self.KEYS[self.mode]])

    def median(self, name, key=None):
        return statistics.median(float(out[key or self.KEYS[self.mode]])
                                 for out in self.results[name])

    def seconds_per_unit(self, value):
        """Seconds one message (thr) or one round trip (lat) takes, from a measured value."""
        return 1.0 / value if self.mode == "thr" else value / 1e6


def full_rows():
    """The long table (issue 13): every row kind, all in one run."""
    rows = []
    big = [1, 64, 1024, 65536, 1 << 20]
    for t, sizes in (("tcp", big), ("ipc", big), ("inproc", big[:-1])):
        rows += [Row("thr", t, "pair", s) for s in sizes]
    rows += [Row("lat", t, "pair", LAT_SIZE) for t in TRANSPORTS]
    for t in ("tcp", "inproc"):
        for n in (1, 4, 16, 64):
            rows += [Row("thr", t, "pubsub", s, n) for s in (64, 1024)]
    for n, s in ((4, 64), (16, 1024)):
        rows += [Row("thr", "tcp", "pubsub", s, n, io_threads=k) for k in (2, 4)]
    rows += [Row("thr", "tcp", "pair", 64, io_threads=k) for k in (2, 4)]
    return rows + memory_rows()


def memory_rows():
    """Memory per idle connection (used, and never used) and per queued message."""
    rows = []
    for t in ("tcp", "ipc"):
        rows += [Row("idle", t, "pubsub", 64, count=IDLE_CONNECTIONS),
                 Row("fresh", t, "pubsub", 0, count=IDLE_CONNECTIONS)]
    rows += [Row("queue", t, "pair", s, count=QUEUED_MESSAGES)
             for t, s in (("inproc", 1), ("inproc", 64), ("tcp", 64))]
    return rows


def default_rows(transports, patterns, subscribers, full):
    rows = []
    if "pair" in patterns:
        for t in transports:
            rows += [Row("thr", t, "pair", s) for s in (FULL_SIZES if full else PAIR_SIZES[t])]
            rows.append(Row("lat", t, "pair", LAT_SIZE))
    if "pubsub" in patterns:
        for t in transports:
            for n in subscribers:
                rows += [Row("thr", t, "pubsub", s, n)
                         for s in (FULL_SIZES if full else PUBSUB_SIZES[t])]
    return rows


def calibrate(row, impls, target, timeout):
    """Picks a count so the slower library takes about `target` seconds."""
    if not row.calibrated():
        return
    slowest = 0.0
    for name, binary in impls:
        try:
            out = run_once(binary, row.args(row.pilot_count()), timeout, row.env())
            value = row.value(out)
            if value <= 0:
                raise BenchError("run too short to time")
            slowest = max(slowest, row.seconds_per_unit(value))
        except BenchError as e:
            row.errors[name] = str(e)
    if slowest > 0:
        row.count = int(min(MAX_COUNT, max(row.pilot_count(), target / slowest)))


def repeats(row, repeat):
    """Runs for a row: N-subscriber rows (N + 2 threads on few cores) are the noisiest."""
    return repeat + 2 if row.subscribers > 1 else repeat


def measure(row, impls, repeat, timeout, ceiling=None):
    for i in range(repeats(row, repeat)):
        order = impls if i % 2 == 0 else impls[::-1]
        for name, binary in order:
            if name in row.errors:
                continue
            try:
                out = run_once(binary, row.args(row.count), row.timeout(timeout), row.env())
                row.value(out)  # the key is there
                row.results.setdefault(name, []).append(out)
            except BenchError as e:
                row.errors[name] = str(e)
                row.results.pop(name, None)
        measure_references(row, ceiling, timeout)


def fmt_cell(row, name):
    if name in row.errors:
        return "n/a (%s)" % row.errors[name].replace("|", "/")
    if name not in row.results:
        return "n/a (not run)"
    value = row.median(name)
    if row.mode == "lat":
        if "p50_usec" not in row.results[name][0]:
            return "%.1f µs" % value
        return "%.1f µs (p50 %.1f, p99 %.1f, p99.9 %.1f)" % (
            value, row.median(name, "p50_usec"), row.median(name, "p99_usec"),
            row.median(name, "p999_usec"))
    if row.mode == "idle":
        return "%.1f KiB, all joined in %.2f s, one message to all in %.1f ms" % (
            value / 1024, row.median(name, "join_seconds"),
            row.median(name, "fanout_usec") / 1000)
    if row.mode == "fresh":
        return "%.1f KiB, all handshaken in %.2f s" % (value / 1024,
                                                       row.median(name, "join_seconds"))
    if row.mode == "queue":
        return "%.0f B" % value
    return "%s msg/s, %.1f MB/s" % (format(round(value), ","), value * row.size / 1e6)


def fmt_ratio(row):
    if "zmtp" not in row.results or "libzmq" not in row.results:
        return "–"
    ratio = "%.2f" % (row.median("zmtp") / row.median("libzmq"))
    if row.mode == "lat" and "p99_usec" in row.results["zmtp"][0]:
        ratio += " (p99 %.2f)" % (row.median("zmtp", "p99_usec") /
                                  row.median("libzmq", "p99_usec"))
    return ratio


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bench_zmtp")
    ap.add_argument("bench_libzmq")
    ap.add_argument("--suite", default="default", choices=["default", "full", "memory", "large", "roundtrip"],
                    help="full: the long table, memory: its memory rows, large: its tcp/ipc "
                         "PAIR 64 KiB and 1 MiB rows, roundtrip: its round-trip rows with "
                         "their floors (all ignore the row selection options)")
    ap.add_argument("--transports", default=",".join(TRANSPORTS), help="comma list")
    ap.add_argument("--patterns", default="pair,pubsub", help="comma list: pair,pubsub")
    ap.add_argument("--subscribers", default=",".join(map(str, SUBSCRIBERS)),
                    help="comma list of SUB counts for the pubsub rows")
    ap.add_argument("--full", action="store_true",
                    help="every size (1 B .. 64 KiB) on every transport and pattern")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs per row, median reported (N-subscriber rows: 2 more)")
    ap.add_argument("--target", type=float, default=0.25, help="seconds per run, slower lib")
    ap.add_argument("--timeout", type=float, default=20, help="seconds before a run is killed")
    ap.add_argument("--ceiling", metavar="WIRE_CEILING",
                    help="bench/wire_ceiling binary: also measure what plain sockets carry for "
                         "the large tcp/ipc PAIR rows and print each library's share of it, "
                         "and (bench/roundtrip_floor beside it) the least a sleeping round "
                         "trip takes for the round-trip rows (--suite full/large/roundtrip: "
                         "the one beside BENCH_ZMTP, if built)")
    args = ap.parse_args()
    if args.ceiling is None and args.suite in ("full", "large", "roundtrip"):
        # Built beside bench_zmtp (bench/CMakeLists.txt, bench/meson.build).
        beside = os.path.join(os.path.dirname(os.path.abspath(args.bench_zmtp)), "wire_ceiling")
        args.ceiling = beside if os.access(beside, os.X_OK) else None
    if args.ceiling:
        args.ceiling = os.path.abspath(args.ceiling)

    impls = [("zmtp", os.path.abspath(args.bench_zmtp)),
             ("libzmq", os.path.abspath(args.bench_libzmq))]
    for name, binary in impls:
        if not os.access(binary, os.X_OK):
            sys.exit("run_bench.py: %s binary %s is not executable" % (name, binary))
    if args.suite == "full":
        rows = full_rows()
    elif args.suite == "memory":
        rows = memory_rows()
    elif args.suite == "large":
        rows = [Row("thr", t, "pair", s) for t in ("tcp", "ipc") for s in (65536, 1 << 20)]
    elif args.suite == "roundtrip":
        rows = [Row("lat", t, "pair", LAT_SIZE) for t in TRANSPORTS]
    else:
        rows = default_rows(args.transports.split(","), args.patterns.split(","),
                            [int(n) for n in args.subscribers.split(",")], args.full)
    if not rows:
        sys.exit("run_bench.py: no rows selected")

    started = time.monotonic()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    stamp = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    for row in rows:
        print("running %-38s" % row.label(), end="", file=sys.stderr, flush=True)
        calibrate(row, impls, args.target, args.timeout)
        measure(row, impls, args.repeat, args.timeout, args.ceiling)
        runs = "  ".join("%s %s" % (name, " ".join("%.4g" % row.value(v) for v in values))
                         for name, values in row.results.items())
        errors = "  ".join("%s FAILED: %s" % item for item in row.errors.items())
        print(" count %-9d %s %s" % (row.count, runs, errors), file=sys.stderr)
    elapsed = time.monotonic() - started

    zmtp_version, libzmq_version = (version(binary, name) for name, binary in impls)
    print("**%s vs %s** — %s, %s, %d cores, Linux %s, load average %.1f at start" %
          (zmtp_version, libzmq_version, stamp, cpu_model(), os.cpu_count() or 0,
           platform.release(), load))
    print()
    print("| benchmark | count | %s | %s | zmtp/libzmq |" % (zmtp_version, libzmq_version))
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        print("| %s | %s | %s | %s | %s |" % (row.label(), format(row.count, ","),
                                               fmt_cell(row, "zmtp"), fmt_cell(row, "libzmq"),
                                               fmt_ratio(row)))
    print()
    print("Median of %d interleaved runs per row (%d for PUB→N SUB with N > 1); one process, "
          "1 I/O thread per library. Throughput: timed at the receiver from its first message to "
          "its last, MB = 10^6 bytes. PUB→N SUB: one PUB with ZMQ_XPUB_NODROP (default HWM 1000: "
          "it blocks instead of dropping) and N SUB threads; msg/s is per subscriber, and every "
          "subscriber must receive every message. Round trip: mean of 1-byte echoes (with "
          "p50 / p99 / p99.9 of the single round trips). "
          "zmtp/libzmq above 1 is better for throughput, below 1 for round trip. "
          "%.0f s in total." % (args.repeat, args.repeat + 2, elapsed))
    if any(row.mode in ("idle", "fresh", "queue") for row in rows):
        print()
        print("Memory rows (below 1 is better): growth of the process's resident memory. "
              "Idle connections: N SUB sockets connect to one PUB in the same process and "
              "each receives probes until all have joined (so both ends of every connection "
              "and one used pipe chunk each are counted); then the time one message takes to "
              "reach all N (median of 11). Never carried a message: N SUB sockets that "
              "subscribe to nothing connect to one PUB; measured once the PUB's monitor has "
              "seen N handshakes complete and resident memory has settled. Queued message: a PAIR sends %d messages with both "
              "HWMs unlimited while its peer reads none (tcp: once the stream has settled)."
              % QUEUED_MESSAGES)
    if any(row.io_threads > 1 for row in rows):
        print("I/O threads: ZMQ_IO_THREADS on the context (both libraries).")
    print_ceilings(rows)
    print_floors(rows)
    failed = [row for row in rows if row.errors or len(row.results) != len(impls)]
    for row in failed:
        print("run_bench.py: FAILED %s: %s" % (row.label(), "; ".join(
            "%s: %s" % item for item in row.errors.items()) or "missing results"),
            file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
