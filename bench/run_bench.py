#!/usr/bin/python3
"""run_bench.py: runs bench_zmtp and bench_libzmq side by side and prints a Markdown table.

Each row is calibrated so the slower library takes about --target seconds per run, then run
--repeat times with zmtp and libzmq interleaved (alternating which goes first) to cancel drift;
the table shows the medians. Rows come from --transports x --patterns, so new transports and
patterns need no change here.

usage: run_bench.py BENCH_ZMTP BENCH_LIBZMQ [--transports tcp] [--patterns pair] ...
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

THR_SIZES = [1, 64, 1024, 65536]
LAT_SIZE = 1
LAT_PATTERNS = {"pair"}  # zmq_bench lat needs a two-way pattern
MAX_COUNT = 5_000_000


class BenchError(Exception):
    pass


def run_once(binary, mode, transport, pattern, size, count, timeout):
    """One bench run; returns its key=value output as a dict."""
    cmd = [binary, mode, transport, pattern, str(size), str(count)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchError("timeout")
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise BenchError(lines[-1].replace("zmq_bench: ", "") if lines
                         else "exit %d" % proc.returncode)
    return dict(kv.split("=", 1) for kv in proc.stdout.split())


def version(binary):
    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=10)
        return out.stdout.strip().split("=", 1)[1]
    except (IndexError, OSError, subprocess.TimeoutExpired):
        return "?"


class Row:
    """One table row: a mode (thr/lat) for one transport, pattern and message size."""

    def __init__(self, mode, transport, pattern, size):
        self.mode, self.transport, self.pattern, self.size = mode, transport, pattern, size
        self.count = 0
        self.results = {}  # impl name -> list of values (msgs/s or usec)
        self.errors = {}   # impl name -> message

    def label(self):
        size = "%d KiB" % (self.size // 1024) if self.size >= 1024 else "%d B" % self.size
        what = "throughput" if self.mode == "thr" else "latency"
        return "%s %s %s %s" % (self.pattern.upper(), self.transport, what, size)

    def pilot_count(self):
        if self.mode == "lat":
            return 500
        return max(2000, min(100_000, 20_000_000 // max(self.size, 1)))

    def value(self, out):
        return float(out["msgs_per_s"] if self.mode == "thr" else out["usec_per_roundtrip"])

    def seconds_per_unit(self, value):
        """Seconds one message (thr) or one round trip (lat) takes, from a measured value."""
        return 1.0 / value if self.mode == "thr" else value / 1e6


def calibrate(row, impls, target, timeout):
    """Picks a count so the slower library takes about `target` seconds."""
    slowest = 0.0
    for name, binary in impls:
        try:
            out = run_once(binary, row.mode, row.transport, row.pattern, row.size,
                           row.pilot_count(), timeout)
            slowest = max(slowest, row.seconds_per_unit(row.value(out)))
        except BenchError as e:
            row.errors[name] = str(e)
    if slowest > 0:
        row.count = int(min(MAX_COUNT, max(row.pilot_count(), target / slowest)))


def measure(row, impls, repeat, timeout):
    for i in range(repeat):
        order = impls if i % 2 == 0 else impls[::-1]
        for name, binary in order:
            if name in row.errors:
                continue
            try:
                out = run_once(binary, row.mode, row.transport, row.pattern, row.size,
                               row.count, timeout)
                row.results.setdefault(name, []).append(row.value(out))
            except BenchError as e:
                row.errors[name] = str(e)


def fmt_cell(row, name):
    if name in row.errors:
        return "n/a (%s)" % row.errors[name].replace("|", "/")
    value = statistics.median(row.results[name])
    if row.mode == "lat":
        return "%.1f µs" % value
    return "%s msg/s, %.1f MB/s" % (format(round(value), ","), value * row.size / 1e6)


def fmt_ratio(row):
    if "zmtp" not in row.results or "libzmq" not in row.results:
        return "–"
    return "%.2f" % (statistics.median(row.results["zmtp"]) /
                     statistics.median(row.results["libzmq"]))


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
    ap.add_argument("--transports", default="tcp", help="comma list: tcp,ipc,inproc")
    ap.add_argument("--patterns", default="pair", help="comma list: pair,pubsub")
    ap.add_argument("--repeat", type=int, default=3, help="runs per row (median reported)")
    ap.add_argument("--target", type=float, default=1.0, help="seconds per run, slower lib")
    ap.add_argument("--timeout", type=float, default=30, help="seconds before a run is killed")
    args = ap.parse_args()

    impls = [("zmtp", os.path.abspath(args.bench_zmtp)),
             ("libzmq", os.path.abspath(args.bench_libzmq))]
    rows = []
    for transport in args.transports.split(","):
        for pattern in args.patterns.split(","):
            rows += [Row("thr", transport, pattern, size) for size in THR_SIZES]
            if pattern in LAT_PATTERNS:
                rows.append(Row("lat", transport, pattern, LAT_SIZE))

    started = time.monotonic()
    for row in rows:
        print("running %-36s" % row.label(), end="", file=sys.stderr, flush=True)
        calibrate(row, impls, args.target, args.timeout)
        measure(row, impls, args.repeat, args.timeout)
        runs = "  ".join("%s %s" % (name, " ".join("%.4g" % v for v in values))
                         for name, values in row.results.items())
        print(" count %-9d %s" % (row.count, runs), file=sys.stderr)
    elapsed = time.monotonic() - started

    print("| benchmark | count | zmtp | libzmq %s | zmtp/libzmq |" % version(impls[1][1]))
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        print("| %s | %s | %s | %s | %s |" % (row.label(), format(row.count, ","),
                                               fmt_cell(row, "zmtp"), fmt_cell(row, "libzmq"),
                                               fmt_ratio(row)))
    print()
    print("Median of %d interleaved runs per row, one process, sender/echo thread + receiver, "
          "1 I/O thread. Throughput: higher is better, timed at the receiver from first to last "
          "message (MB = 10^6 bytes). Latency: mean round trip, lower is better. "
          "%s, %d CPUs, %.0f s in total." % (args.repeat, cpu_model(), os.cpu_count() or 0,
                                             elapsed))
    return 1 if any(row.errors for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
