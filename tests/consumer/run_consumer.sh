#!/bin/sh
# Installs zmtp from a build tree into a private prefix, then builds and runs the consumer
# project against it both ways: CMake (find_package(zmtp)) and pkg-config (zmtp, zmtp-zmq).
# usage: run_consumer.sh cmake BUILD_DIR WORK_DIR
#        run_consumer.sh meson BUILD_DIR WORK_DIR MESON_PREFIX
set -eu
mode=$1
build=$2
work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
if [ "$mode" = cmake ]; then
    prefix=$work/prefix
    cmake --install "$build" --prefix "$prefix" > "$work/install.log"
else
    meson install -C "$build" --no-rebuild --quiet --destdir "$work/stage" > "$work/install.log"
    prefix=$work/stage$4
fi
echo "ok   installed into $prefix"

config=$(find "$prefix" -name zmtpConfig.cmake | head -1)
pcdir=$(dirname "$(find "$prefix" -name zmtp.pc | head -1)")
zmqdir=$(dirname "$(find "$prefix" -name libzmq.so.5 | head -1)")
for f in "$config" "$pcdir/zmtp-zmq.pc" "$zmqdir/libzmq.so.5" "$prefix/include/zmtp/zmtp.hpp" \
         "$prefix/include/zmtp-zmq/zmq.h"; do
    [ -e "$f" ] || { echo "FAIL missing: $f"; exit 1; }
done
case $zmqdir in */zmtp) ;; *) echo "FAIL libzmq.so.5 is not in a zmtp/ folder: $zmqdir"; exit 1;; esac
if grep -rl 'asio' "$prefix/include" >/dev/null 2>&1; then
    echo "FAIL installed headers mention asio:"; grep -rl asio "$prefix/include"; exit 1
fi
echo "ok   layout: include/zmtp/, include/zmtp-zmq/zmq.h, $(basename "$(dirname "$zmqdir")")/zmtp/libzmq.so.5, no Asio in headers"

# 1. CMake: find_package(zmtp) from the prefix.
cmake -S "$here" -B "$work/cmake-consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release > "$work/consumer-configure.log"
cmake --build "$work/cmake-consumer" > "$work/consumer-build.log"
"$work/cmake-consumer/consumer_cpp"
"$work/cmake-consumer/consumer_c" --expect-lib "$zmqdir"
"$work/cmake-consumer/consumer_c_static"
echo "ok   CMake consumer (zmtp::zmtp, zmtp::zmq, zmtp::zmq_static)"

# 2. pkg-config.
export PKG_CONFIG_PATH="$pcdir"
cc=${CC:-cc}
cxx=${CXX:-c++}
# shellcheck disable=SC2046
"$cxx" -std=c++17 "$here/consumer.cpp" -o "$work/pc_consumer_cpp" $(pkg-config --cflags --libs zmtp)
# shellcheck disable=SC2046
"$cc" "$here/consumer.c" -o "$work/pc_consumer_c" $(pkg-config --cflags --libs zmtp-zmq)
"$work/pc_consumer_cpp"
"$work/pc_consumer_c" --expect-lib "$zmqdir"
echo "ok   pkg-config consumer (zmtp, zmtp-zmq)"
