#!/usr/bin/env bash
# Small static builds (issue 14): builds the minimal library (ZMTP_MINIMAL: C++ API and
# transports; no C API, proxy or monitor) and examples/static_pair fully static (-Os, LTO,
# --gc-sections) for x86-64 and aarch64, runs each (aarch64 under qemu-user), and prints the
# stripped sizes next to the same program on Debian's libzmq (examples/static_pair/
# static_pair_libzmq.c): the libraries `pkg-config --static libzmq` asks for, whether a fully
# static link is possible, and the size of the most static link Debian's packages allow.
# Usage: tools/static_size.sh        (build trees: build-static-x86_64/, build-static-aarch64/)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
tools/cross_deps.sh aarch64

# ZMTP_NO_DNS: tcp hosts are IP literals or localhost, so glibc's getaddrinfo, its resolver and
# NSS (about 125 KiB of a static program) stay out. ZMTP_TRANSPORTS=tcp: a tcp program carries
# no ipc or inproc code.
opts=(-DZMTP_MINIMAL=ON -DZMTP_NO_DNS=ON -DZMTP_TRANSPORTS=tcp -DCMAKE_BUILD_TYPE=MinSizeRel
    -DCMAKE_INTERPROCEDURAL_OPTIMIZATION=ON)
limit=1000000 # the goal of issue 14: under 1 MB on x86-64 and aarch64
declare -A size
for arch in x86_64 aarch64; do
    build=build-static-$arch
    toolchain=()
    strip=strip
    if [ "$arch" = aarch64 ]; then
        toolchain=(-DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64.cmake)
        strip=aarch64-linux-gnu-strip
    fi
    cmake -S . -B "$build" -G Ninja "${toolchain[@]}" "${opts[@]}" >/dev/null
    ninja -C "$build" -j"$(nproc)" static_pair
    ctest --test-dir "$build" -R '^static_pair$' -V | tee "$build/static_pair.log" |
        grep "static_pair over\|host names" || true
    grep -q "Passed" "$build/static_pair.log" || { cat "$build/static_pair.log"; exit 1; }
    # Built without DNS: a host name is refused at connect, not silently never dialled; and
    # a transport left out is refused as an unknown one is.
    grep -q "host names: refused at connect (EINVAL)" "$build/static_pair.log" || {
        echo "static_pair ($arch): a host name was not refused with EINVAL" >&2
        exit 1
    }
    grep -q "inproc: not built in (EPROTONOSUPPORT)" "$build/static_pair.log" || {
        echo "static_pair ($arch): inproc was not refused with EPROTONOSUPPORT" >&2
        exit 1
    }
    "$strip" -o "$build/static_pair.stripped" "$build/examples/static_pair/static_pair"
    if readelf -l "$build/static_pair.stripped" | grep -q "INTERP\|DYNAMIC"; then
        echo "static_pair ($arch) is not fully static" >&2
        exit 1
    fi
    size[$arch]=$(stat -c %s "$build/static_pair.stripped")
    if [ "${size[$arch]}" -ge "$limit" ]; then
        echo "static_pair ($arch) is ${size[$arch]} bytes stripped: not under $limit" >&2
        exit 1
    fi
done

# The floor: any static, threaded C++ program on glibc and libstdc++ (std::thread, std::string,
# printf) stripped, for scale.
floor_src=$(mktemp --suffix=.cpp)
cat >"$floor_src" <<'CPP'
#include <cstdio>
#include <string>
#include <thread>
int main() {
    std::string s = "x";
    std::thread t([&] { s += "y"; });
    t.join();
    std::printf("%s\n", s.c_str());
}
CPP
g++ -Os -static -ffunction-sections -fdata-sections -Wl,--gc-sections -s "$floor_src" \
    -o build-static-x86_64/floor
floor=$(stat -c %s build-static-x86_64/floor)
rm -f "$floor_src"

# libzmq (x86-64; Debian's libzmq3-dev ships libzmq.a).
read -r -a zlibs <<<"$(pkg-config --static --libs-only-l libzmq)"
mapfile -t zlist < <(printf '%s\n' "${zlibs[@]}" $(pkg-config --static --libs libzmq |
    tr ' ' '\n' | grep '\.a$') | sed 's/^-l//' | sort -u)
# What a C++ program gets anyway: the C and C++ runtimes.
extra=()
for l in "${zlist[@]}"; do
    case "$l" in stdc++ | m | pthread | rt | zmq) ;; *) extra+=("$l") ;; esac
done
missing=()
libdirs=(/usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/mit-krb5)
for l in "${extra[@]}"; do
    [[ "$l" == *.a ]] && continue
    found=0
    for d in "${libdirs[@]}"; do [ -e "$d/lib$l.a" ] && found=1; done
    [ $found = 1 ] || missing+=("$l")
done
src=examples/static_pair/static_pair_libzmq.c
out=build-static-x86_64
if gcc -Os -static "$src" -o "$out/static_pair_libzmq_static" \
    $(pkg-config --static --libs libzmq) >/dev/null 2>&1; then
    full_static="links ($(stat -c %s "$out/static_pair_libzmq_static") bytes)"
else
    full_static="fails: no static archive for ${missing[*]}"
fi
# As static as Debian allows: every archive that exists (in pkg-config's order), the rest (and
# glibc) shared.
static_part=() shared_part=()
for t in $(pkg-config --static --libs libzmq); do
    l=${t#-l}
    case "$t" in -lstdc++ | -lm | -lpthread | -lrt | -pthread) continue ;; esac # below
    if [ "$t" != "$l" ] && [[ " ${missing[*]} " == *" $l "* ]]; then
        shared_part+=("$t")
    elif [[ "$t" == *.a ]]; then
        static_part+=("/usr/lib/x86_64-linux-gnu/$t")
    else
        static_part+=("$t")
    fi
done
gcc -Os -ffunction-sections -fdata-sections "$src" -o "$out/static_pair_libzmq" -Wl,--gc-sections \
    -Wl,-Bstatic "${static_part[@]}" -lstdc++ -Wl,-Bdynamic "${shared_part[@]}" -lpthread -lm -lrt
strip "$out/static_pair_libzmq"
"$out/static_pair_libzmq"
semi=$(stat -c %s "$out/static_pair_libzmq")
shared_needed=$(ldd "$out/static_pair_libzmq" | grep -c '=>' || true)

kib() { echo "$(($1 / 1024)) KiB"; }
echo
echo "== Static PAIR-over-tcp program, stripped =="
echo "zmtp (ZMTP_MINIMAL, ZMTP_NO_DNS, tcp only, -Os, LTO, -static) x86-64:  $(kib "${size[x86_64]}") (${size[x86_64]} bytes)"
echo "zmtp (ZMTP_MINIMAL, ZMTP_NO_DNS, tcp only, -Os, LTO, -static) aarch64: $(kib "${size[aarch64]}") (${size[aarch64]} bytes)"
echo "floor: a static threaded C++ hello (glibc + libstdc++), x86-64: $(kib "$floor")"
echo "libzmq 4.3.4 (Debian) x86-64: pkg-config --static names ${#zlist[@]} libraries," \
    "${#extra[@]} beyond libzmq and the C/C++ runtimes: ${extra[*]}"
echo "  fully static link: $full_static"
echo "  every available archive static, the rest shared: $(kib "$semi")," \
    "plus $shared_needed shared libraries at run time (glibc's included)"
