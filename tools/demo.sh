#!/usr/bin/env bash
# Builds zmtp and runs the main job: the seed's scenarios — a file sent over PAIR in 64 KiB
# chunks (zmtp <-> libzmq both ways on tcp and ipc, zmtp on inproc) and PUB/SUB with HWM 0 and
# an empty subscription to several subscribers on every transport — then the side-by-side
# benchmark table (zmtp vs libzmq, one run).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build -j"$(nproc)"
examples/run_demo.sh build
