#!/bin/sh
# run_demo.sh: the README's main command. Runs the file-transfer demo (PAIR, zmtp <-> libzmq
# over tcp and ipc, zmtp <-> zmtp over inproc), the PUB/SUB fan-out demo (HWM 0, mixed zmtp and
# libzmq subscribers), then the zmtp-vs-libzmq benchmark table. Works with CMake and Meson
# build dirs; exits non-zero if any step failed (every step still runs).
# usage: examples/run_demo.sh <builddir> [file_transfer size in MiB]
set -u
if [ $# -lt 1 ]; then
    echo "usage: $0 <builddir> [size_mib]" >&2
    exit 2
fi
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)

for exe in examples/file_transfer examples/pubsub_fanout bench/bench_zmtp bench/bench_libzmq; do
    if [ ! -x "$build/$exe" ]; then
        echo "$0: $build/$exe not found: build first (it needs libzmq, pkg-config libzmq)" >&2
        exit 1
    fi
done

status=0
echo "== 1. File transfer over PAIR, 64 KiB chunks (tcp, ipc: zmtp <-> libzmq; inproc: zmtp) =="
"$build/examples/file_transfer" ${2:+"$2"} || status=1
echo
echo "== 2. PUB/SUB fan-out, HWM 0, 3 subscribers, every message in order =="
"$build/examples/pubsub_fanout" || status=1
echo
echo "== 3. Benchmark: zmtp vs libzmq (~1 minute) =="
/usr/bin/python3 "$root/bench/run_bench.py" "$build/bench/bench_zmtp" "$build/bench/bench_libzmq" ||
    status=1
exit $status
