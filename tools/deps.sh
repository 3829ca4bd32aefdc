#!/usr/bin/env bash
# Installs the Debian packages zmtp builds and tests with, when any is missing.
# (libzmq, pyzmq and tornado are only peers for the tests, the demo and the benchmark;
# iproute2 and nftables make the network faults of tests/netfault.)
set -euo pipefail
packages=(g++ clang cmake ninja-build meson pkg-config libasio-dev catch2 libzmq3-dev
          python3-zmq python3-tornado iproute2 nftables)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
