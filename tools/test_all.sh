#!/usr/bin/env bash
# Builds zmtp and runs every test: CMake (g++) and a 2-minute soak, CMake with ASan+UBSan
# (clang), CMake with TSan (clang; the suites on zmtp alone and a 30 s soak), Meson, the
# portable fallbacks (poll/pipe waits, 32-bit queue counters), the POSIX audit (no Linux-only
# call when built as for BSD/macOS), and the cross-architecture stage (aarch64, armhf, mips,
# s390x under qemu-user) with the static-size check.
# Usage: tools/test_all.sh   (from anywhere; build trees go to build-test-*/)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
jobs=$(nproc)

echo "== CMake, g++ =="
cmake -S . -B build-test-gcc -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build-test-gcc -j"$jobs"
ctest --test-dir build-test-gcc --output-on-failure -j1

echo "== Soak, 2 minutes (tools/soak.sh; the long run is tools/soak.sh 60m) =="
SOAK_BUILD_DIR=build-test-gcc tools/soak.sh 2m

echo "== CMake, clang, ASan+UBSan =="
CC=clang CXX=clang++ cmake -S . -B build-test-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DZMTP_SANITIZE=address,undefined -DZMTP_BUILD_BENCH=OFF >/dev/null
ninja -C build-test-asan -j"$jobs"
# allocator_may_return_null: a peer's absurd frame size must fail the allocation (and drop
# that connection) as it does in production, instead of ASan aborting the process.
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-test-asan --output-on-failure -j1

echo "== CMake, clang, TSan (suites on zmtp alone: CTest label tsan) =="
# Without pkg-config the tree finds no libzmq: nothing here can link the uninstrumented
# system library (TSan reports false races in it). Only the labelled suites are built.
CC=clang CXX=clang++ cmake -S . -B build-test-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DZMTP_SANITIZE=thread -DZMTP_BUILD_BENCH=OFF -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON \
    >/dev/null
ninja -C build-test-tsan -j"$jobs" zmtp_tsan_tests zmtp_soak
export TSAN_OPTIONS=allocator_may_return_null=1:second_deadlock_stack=1
ctest --test-dir build-test-tsan -L tsan --output-on-failure -j1
# And every workload of the soak at once for 30 s (it exits non-zero on any TSan report).
build-test-tsan/tools/soak/zmtp_soak 30
unset TSAN_OPTIONS

echo "== Meson, g++ =="
if [ ! -d build-test-meson ]; then
    # -O2 as the default debugoptimized, without debug information (a third of the build time)
    meson setup build-test-meson -Dbench=false -Ddebug=false >/dev/null
fi
ninja -C build-test-meson -j"$jobs"
meson test -C build-test-meson --print-errorlogs

echo "== CMake, g++, portable fallbacks: ZMTP_PORTABLE_WAIT (poll/pipes), 32-bit queue counters =="
# RelWithDebInfo without -g: the same code as the first stage, a third less build time.
cmake -S . -B build-test-portable -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" \
    -DZMTP_PORTABLE_WAIT=ON -DZMTP_QUEUE_COUNT_32=ON -DZMTP_BUILD_BENCH=OFF >/dev/null
ninja -C build-test-portable -j"$jobs"
ctest --test-dir build-test-portable --output-on-failure -j1

echo "== BSD/macOS readiness: the library compiled without __linux__ (tools/posix_audit.sh) =="
tools/posix_audit.sh

echo "== Cross-architecture stage (tools/cross_test.sh; README: Portability and embedding) =="
cross_start=$(date +%s)
tools/cross_deps.sh aarch64 armhf mips s390x # one apt-get for the four cross compilers
for arch in aarch64 armhf mips s390x; do
    echo "-- $arch --"
    tools/cross_test.sh "$arch"
done
echo "cross stage: $(($(date +%s) - cross_start)) s"

echo "== Small static builds (tools/static_size.sh) =="
tools/static_size.sh

echo "All test runs passed."
