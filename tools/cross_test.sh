#!/usr/bin/env bash
# Cross-architecture stage (issue 14): builds zmtp for ARCH with Debian's cross g++ and runs a
# subset of the suite under qemu-user (CTest's CMAKE_CROSSCOMPILING_EMULATOR).
# Usage: tools/cross_test.sh ARCH [extra cmake -D options]
#   ARCH: aarch64 | armhf | mips (32-bit big-endian) | s390x (64-bit big-endian)
# Build tree: build-cross-ARCH/. Installs g++-<triplet> and qemu-user when missing.
#
# The subset (README, "Portability and embedding", says why):
#   test_wire     the codec unit tests, in full (byte order, frame lengths vs size_t)
#   test_core     messages, the lock-free queue (its counters across their wrap), signaler
#   test_inproc, test_ipc, test_integration, test_pubsub
#                 PAIR and PUB/SUB behaviour over inproc, ipc and tcp
#   capi_c_*_zmtp C programs against our zmq.h (the static C API), capi_c_pair_tcp_shared
#                 (libzmq.so.5), capi_exports (its symbols: zmq_* only, with the target's nm)
#   cross_interop_libzmq
#                 this build's zmtp under qemu against the host's libzmq (pyzmq) over tcp
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:?usage: tools/cross_test.sh aarch64|armhf|mips|s390x [cmake options]}
shift
case "$arch" in
    aarch64) triplet=aarch64-linux-gnu ;;
    armhf) triplet=arm-linux-gnueabihf ;;
    mips) triplet=mips-linux-gnu ;;
    s390x) triplet=s390x-linux-gnu ;;
    *) echo "unknown architecture: $arch" >&2; exit 2 ;;
esac
tools/cross_deps.sh "$arch"

c_programs=(pair_tcp msg_api errno_checks poll proxy_pubsub utils iov conflate
            invert_matching getsockopt_sizes)
targets=(test_wire test_core test_inproc test_ipc test_integration test_pubsub cross_peer
         capi_c_pair_tcp_shared)
for p in "${c_programs[@]}"; do targets+=("capi_c_${p}_zmtp"); done
regex="^(test_wire|test_core|test_inproc|test_ipc|test_integration|test_pubsub"
regex+="|capi_c_pair_tcp_shared|capi_exports|cross_interop_libzmq"
regex+="|capi_c_($(IFS='|'; echo "${c_programs[*]}"))_zmtp)\$"

build=build-cross-$arch
start=$(date +%s)
# -O1: the run under qemu is short; compile time dominates on a small machine.
cmake -S . -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="cmake/toolchains/$arch.cmake" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1" -DCMAKE_C_FLAGS_RELEASE="-O1" \
    -DZMTP_BUILD_BENCH=OFF "$@" >/dev/null
ninja -C "$build" -j"$(nproc)" "${targets[@]}"
built=$(date +%s)
ctest --test-dir "$build" -R "$regex" --output-on-failure -j1
ran=$(date +%s)
echo "cross $arch: build $((built - start)) s, tests $((ran - built)) s" \
    "($(ctest --test-dir "$build" -N -R "$regex" | grep -c 'Test *#') tests under qemu)"
