#!/bin/sh
# Checks the symbol boundary of the C API (DESIGN.md "The C API is its own library"):
#   1. our libzmq.so.5 exports zmq_* symbols only;
#   2. the C++ library defines no zmq_* symbol;
#   3. (with a system libzmq.so.5) our export list equals libzmq's, so it is a drop-in.
# usage: check_exports.sh OUR_LIBZMQ_SO ZMTP_STATIC_LIB [SYSTEM_LIBZMQ_SO]
set -eu
ours=$1
cxx=$2
system=${3:-}

# Global symbols only: some ABIs (MIPS) list local ones in .dynsym too. NM: the target's nm
# in a cross build.
NM=${NM:-nm}
exports() { "$NM" -D --defined-only "$1" | awk '$2 ~ /^[A-Z]$/ { print $NF }' | sort -u; }

others=$(exports "$ours" | grep -v '^zmq_' || true)
if [ -n "$others" ]; then
    echo "FAIL: $ours exports non-zmq_ symbols:"; echo "$others" | head -20; exit 1
fi
echo "ok   $ours exports $(exports "$ours" | wc -l) symbols, all zmq_*"

leaked=$("$NM" --defined-only "$cxx" 2>/dev/null | awk '$3 ~ /^zmq_/ { print $3 }' || true)
if [ -n "$leaked" ]; then
    echo "FAIL: the C++ library defines zmq_ symbols:"; echo "$leaked"; exit 1
fi
echo "ok   $cxx defines no zmq_* symbol"

if [ -n "$system" ] && [ -e "$system" ]; then
    diff_out=$(exports "$ours" > /tmp/zmtp_exports.$$; exports "$system" | grep '^zmq_' \
        | diff /tmp/zmtp_exports.$$ - || true)
    rm -f /tmp/zmtp_exports.$$
    if [ -n "$diff_out" ]; then
        echo "FAIL: export lists differ (< ours, > $system):"; echo "$diff_out"; exit 1
    fi
    echo "ok   same zmq_* exports as $system"
fi
