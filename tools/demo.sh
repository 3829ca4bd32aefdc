#!/usr/bin/env bash
# Builds zmtp and runs the main job: the seed's file transfer over PAIR against libzmq in
# both directions, then the side-by-side benchmark (zmtp vs libzmq).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build -j"$(nproc)"
examples/run_demo.sh build
