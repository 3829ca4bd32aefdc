#!/bin/sh
# Checks that our zmq.h defines exactly the macros of the system's libzmq zmq.h (non-draft
# part), with the same values: every ZMQ_* and E* macro, compared after the preprocessor.
# usage: check_header.sh C_COMPILER OUR_INCLUDE_DIR
set -eu
cc=$1
ours=$2
tmp=${TMPDIR:-/tmp}/zmtp_check_header.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
echo '#include <zmq.h>' > "$tmp/probe.c"

# Macro definitions, whitespace removed so spacing style does not matter.
macros() {
    "$cc" -E -dM "$@" "$tmp/probe.c" | grep -E '^#define (ZMQ_|E[A-Z0-9]+ )' \
        | sed 's/[[:space:]]//g' | sort
}
macros > "$tmp/system.txt"
macros -I"$ours" > "$tmp/ours.txt"
if ! diff "$tmp/system.txt" "$tmp/ours.txt"; then
    echo "FAIL: macro definitions differ (< system zmq.h, > $ours/zmq.h)"
    exit 1
fi
echo "ok   $(wc -l < "$tmp/ours.txt") ZMQ_*/errno macros identical to the system zmq.h"
