#!/bin/sh
# run_demo.sh: the README's main command. Runs the file-transfer demo (zmtp <-> libzmq, both
# directions), then the zmtp-vs-libzmq benchmark table. Works with CMake and Meson build dirs.
# usage: examples/run_demo.sh <builddir> [file_transfer size in MiB]
set -eu
if [ $# -lt 1 ]; then
    echo "usage: $0 <builddir> [size_mib]" >&2
    exit 2
fi
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)

for exe in examples/file_transfer bench/bench_zmtp bench/bench_libzmq; do
    if [ ! -x "$build/$exe" ]; then
        echo "$0: $build/$exe not found: build first (it needs libzmq, pkg-config libzmq)" >&2
        exit 1
    fi
done

echo "== File transfer over PAIR/tcp, zmtp <-> libzmq =="
"$build/examples/file_transfer" ${2:-}
echo
echo "== Benchmark: zmtp vs libzmq (~1 minute) =="
exec /usr/bin/python3 "$root/bench/run_bench.py" "$build/bench/bench_zmtp" "$build/bench/bench_libzmq"
