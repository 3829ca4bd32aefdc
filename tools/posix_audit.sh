#!/usr/bin/env bash
# BSD/macOS readiness check (issue 14), run by test_all.sh. No BSD or macOS machine is at hand,
# so the library and the C API are compiled here as a non-Linux POSIX system would see them:
# __linux__ undefined (Asio then uses its select reactor and pipes; our code takes its
# non-Linux branches) and ZMTP_PORTABLE_WAIT (poll/pipe waits, the dup-based level ZMQ_FD).
# Then no object may reference a Linux-only call. What this cannot check: the headers of a
# real BSD (a macro present in glibc and missing there), kqueue, and running the suite there.
# Usage: tools/posix_audit.sh     (build tree: build-posix-audit/)
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-posix-audit
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0 \
    -DCMAKE_CXX_FLAGS="-U__linux__ -U__gnu_linux__ -Ulinux" -DZMTP_PORTABLE_WAIT=ON \
    -DZMTP_BUILD_TESTS=OFF -DZMTP_BUILD_BENCH=OFF >/dev/null
ninja -C "$build" -j"$(nproc)" zmtp zmtp_wire zmtp_zmq_shared >/dev/null

# Calls only Linux has (glibc's names for them), and glibc-only extensions. (libstdc++'s own
# glibc references, such as __libc_single_threaded, come with the host's C++ runtime.)
linux_only='^(epoll_[a-z_0-9]*|eventfd[a-z_]*|timerfd_[a-z]*|signalfd|inotify_[a-z_0-9]*|syscall|'
linux_only+='accept4|pipe2|dup3|gettid|getrandom|memfd_create|prctl|splice|vmsplice|tee|sendfile|'
linux_only+='sendmmsg|recvmmsg|mremap|sched_[gs]etaffinity|pthread_[gs]etaffinity_np|'
linux_only+='pthread_setname_np|pthread_getname_np|malloc_trim|mallinfo2?)$'
undefined=$(for lib in "$build/core/libzmtp.a" "$build/core/wire/libzmtp_wire.a" \
    "$build"/interop/libzmq.so.5*; do
    [ -e "$lib" ] && nm -u --no-demangle "$lib" 2>/dev/null
done | awk 'NF >= 2 { print $NF }' | sed 's/@.*//' | grep -v '^_Z' | sort -u)
found=$(grep -E "$linux_only" <<<"$undefined" || true)
echo "C-level symbols the library and libzmq.so.5 use (non-Linux build):"
tr '\n' ' ' <<<"$undefined" | fold -s -w 100
echo
if [ -n "$found" ]; then
    echo "Linux-only calls referenced: $found" >&2
    exit 1
fi
echo "No Linux-only call referenced."
