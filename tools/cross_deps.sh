#!/usr/bin/env bash
# Installs what tools/cross_test.sh ARCH needs: Debian's cross g++ for ARCH and qemu-user (the
# target's C and C++ runtime comes with the cross compiler, under /usr/<triplet>). The host's
# python3-zmq (tools/deps.sh) is the libzmq peer of the interop test.
set -euo pipefail
declare -A triplets=([aarch64]=aarch64-linux-gnu [armhf]=arm-linux-gnueabihf
                     [mips]=mips-linux-gnu [s390x]=s390x-linux-gnu)
packages=(qemu-user)
for arch in "$@"; do
    packages+=("g++-${triplets[$arch]:?unknown architecture $arch}")
done
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
