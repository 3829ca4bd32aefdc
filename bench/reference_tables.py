"""reference_tables: the no-ZeroMQ reference runs of run_bench.py and their tables.

wire_ceiling (plain sockets carrying the large tcp/ipc PAIR rows) and roundtrip_floor (the least
a sleeping 1-byte round trip takes), run between the library runs of a row so that the load
drifts for all alike, and printed as two tables after the main one.
"""
import os
import statistics

from bench_runs import BenchError, run_once

CEILING_BYTES = 1 << 30  # least bytes per wire_ceiling run


def has_ceiling(row):
    """Large-message PAIR rows on a kernel transport: held against wire_ceiling."""
    return (row.mode == "thr" and row.pattern == "pair" and row.transport in ("tcp", "ipc")
            and row.size >= 65536 and row.io_threads == 1)


def floor_ways(row):
    """roundtrip_floor modes for a round-trip row (relay: through one I/O thread)."""
    if row.mode != "lat" or row.pattern != "pair" or row.io_threads != 1:
        return ()
    return ("direct",) if row.transport == "inproc" else ("direct", "relay")


def measure_references(row, ceiling, timeout):
    """One round of the row's reference runs (none unless --ceiling gave wire_ceiling)."""
    if ceiling and has_ceiling(row):  # interleaved too: the load drifts for all alike
        for how in ("fill", "piped", "shared", "bare"):
            try:
                count = max(row.count, CEILING_BYTES // row.size)
                out = run_once(ceiling, [row.transport, str(row.size), str(count), how],
                               timeout)
                row.ceiling.setdefault(how, []).append(float(out["msgs_per_s"]))
            except (BenchError, KeyError, ValueError) as e:
                row.errors["ceiling " + how] = str(e)
    floor = ceiling and os.path.join(os.path.dirname(ceiling), "roundtrip_floor")
    for how in floor_ways(row) if floor and os.access(floor, os.X_OK) else ():
        try:
            out = run_once(floor, [row.transport, str(row.count), how], timeout)
            row.floor.setdefault(how, []).append(out)
        except BenchError as e:
            row.errors["floor " + how] = str(e)


def print_ceilings(rows):
    rows = [row for row in rows if row.ceiling]
    if not rows:
        return
    print()
    print("| benchmark | plain sockets: written, sent by the writer | written by another "
          "thread | the same, one thread sends and receives | bare | zmtp | libzmq |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    nan = [float("nan")]
    for row in rows:
        fill, piped, shared, bare = (
            statistics.median(row.ceiling.get(how, nan)) * row.size / 1e6
            for how in ("fill", "piped", "shared", "bare"))
        limit = max(fill, piped, shared)
        cells = []
        for name in ("zmtp", "libzmq"):
            if name in row.results:
                mb = row.median(name) * row.size / 1e6
                cells.append("%.0f MB/s, %.0f %%" % (mb, 100 * mb / limit))
            else:
                cells.append("n/a")
        print("| %s | %.0f MB/s | %.0f MB/s | %.0f MB/s | %.0f MB/s | %s | %s |" % (
            row.label(), fill, piped, shared, bare, cells[0], cells[1]))
    print()
    print("Transport limit (bench/wire_ceiling, %d runs of at least %d MiB between the library "
          "runs, medians): plain send(2)/recv(2) of the same messages over the same transport, "
          "default socket buffers, receiver on its own thread. The sender memsets each payload "
          "before sending it, as the benchmark does, either itself or on a third thread through "
          "a ring of four buffers (overlapped, as an application thread and an I/O thread), "
          "and then either sends on one thread and receives on another or does both on one "
          "thread (as the one I/O thread of the benchmark's process); bare: no memset. "
          "Percentages: of the best payload-written figure. The ring keeps payloads in the "
          "CPU caches; the libraries' default HWM of 1000 does not (ZMQ_BENCH_HWM, "
          "bench/README.md)." % (len(rows[0].ceiling.get("fill", [])),
                                        CEILING_BYTES >> 20))


def print_floors(rows):
    rows = [row for row in rows if row.floor]
    if not rows:
        return

    def cell(outs):
        if not outs:
            return "–"
        med = lambda key: statistics.median(float(o[key]) for o in outs)
        return "%.1f µs (p50 %.1f, p99 %.1f)" % (med("usec_per_roundtrip"), med("p50_usec"),
                                                med("p99_usec"))

    print()
    print("| benchmark | plain: two threads | plain: through one relay thread | zmtp | "
          "libzmq | 0.7 × libzmq | zmtp / relay floor |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        have = "zmtp" in row.results and "libzmq" in row.results
        relay = row.floor.get("relay")
        ref = statistics.median(float(o["usec_per_roundtrip"]) for o in relay) if relay else None
        print("| %s | %s | %s | %.1f µs | %.1f µs | %s | %s |" % (
            row.label(), cell(row.floor.get("direct")), cell(relay),
            row.median("zmtp") if have else float("nan"),
            row.median("libzmq") if have else float("nan"),
            "%.1f µs" % (0.7 * row.median("libzmq")) if have else "–",
            "%.2f" % (row.median("zmtp") / ref) if have and ref else "–"))
    print()
    print("Round-trip floor (bench/roundtrip_floor, %d runs between the library runs, medians): "
          "a 1-byte echo between two threads that sleep while they wait, as both libraries' "
          "blocking calls do, with no ZeroMQ. Two threads: blocking send(2)/recv(2) (tcp, ipc) "
          "or a futex hand-over (inproc); two thread wake-ups per round trip, the least any "
          "design can take. Through one relay thread: the client and echo threads hand the "
          "byte to a third thread that alone touches the sockets (woken through an eventfd it "
          "polls with epoll) and sleep on a futex until it hands the answer back: the "
          "one-I/O-thread design of both libraries, four wake-ups per round trip."
          % len(next(iter(rows[0].floor.values()))))
