#!/usr/bin/env bash
# Soak: builds zmtp_soak and runs every workload at once for DURATION (connection churn,
# subscription churn, slow and vanishing subscribers, PAIR streams with sequence numbers,
# credit-paced lossless PUB/SUB), sampling RSS, fds and threads (tools/soak/soak_main.cpp).
# Usage: tools/soak.sh DURATION    e.g. 60m, 2m, 90s, 1h
# SOAK_BUILD_DIR (default build-soak) picks the build tree, so a long run can keep its binary
# while other builds go on. The log is also written to $SOAK_BUILD_DIR/soak-DURATION.log.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 1 ]; then
    echo "usage: $0 DURATION (e.g. 60m, 2m, 90s, 1h)" >&2
    exit 2
fi
case "$1" in
    *h) seconds=$(( ${1%h} * 3600 )) ;;
    *m) seconds=$(( ${1%m} * 60 )) ;;
    *s) seconds=${1%s} ;;
    *[!0-9]*|'') echo "bad duration: $1" >&2; exit 2 ;;
    *) seconds=$1 ;;
esac
build=${SOAK_BUILD_DIR:-build-soak}
if [ ! -f "$build/build.ninja" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZMTP_BUILD_TESTS=OFF \
        -DZMTP_BUILD_BENCH=OFF >/dev/null
fi
ninja -C "$build" -j"$(nproc)" zmtp_soak
echo "== soak for $1 ($seconds s) =="
"$build/tools/soak/zmtp_soak" "$seconds" 2>&1 | tee "$build/soak-$1.log"
exit "${PIPESTATUS[0]}"
