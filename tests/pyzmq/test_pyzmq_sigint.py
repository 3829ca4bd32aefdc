#!/usr/bin/python3
"""Ctrl-C interrupts pyzmq's blocking recv (issue 10, item 1). A child python process binds a
PAIR over tcp (so the I/O thread runs), says "ready" and blocks in sock.recv() with no
timeout; once its main thread sleeps in the kernel, the parent sends SIGINT once. pyzmq retries
a call that failed with EINTR only after running Python's signal handlers, so the library's
blocking wait must return EINTR: the child then sees KeyboardInterrupt and exits. A library
that retries the wait itself hangs here (the parent fails after 5 s).

usage: test_pyzmq_sigint.py [--expect-lib DIR]   (exit status 0 = pass)
Run with zmtp's libzmq.so.5 first on LD_LIBRARY_PATH, or without to see libzmq do the same."""

import argparse
import os
import select
import signal
import subprocess
import sys
import time

CHILD = r"""
import os, sys
import zmq
want = sys.argv[1]
if want:
    with open("/proc/self/maps") as maps:
        dirs = {os.path.realpath(os.path.dirname(l.split()[-1])) for l in maps
                if "libzmq.so" in l}
    if dirs != {os.path.realpath(want)}:
        print(f"wrong library: {sorted(dirs)}", flush=True)
        sys.exit(3)
ctx = zmq.Context()
s = ctx.socket(zmq.PAIR)
s.linger = 0
s.bind("tcp://127.0.0.1:*")
try:
    print("ready", flush=True)
    s.recv()
    print("recv returned", flush=True)
    sys.exit(4)
except KeyboardInterrupt:
    print("interrupted", flush=True)
s.close()
ctx.term()
"""

DEADLINE_S = 5.0


def fail(message):
    print(f"FAIL {message}", flush=True)
    sys.exit(1)


def read_line(child, deadline):
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([child.stdout], [], [], left)
        if ready:
            return child.stdout.readline().decode().strip()


def sleeping(pid):
    """True once the main thread is asleep in the kernel (blocked in the library's wait)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "S"
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--expect-lib", default="")
    args = parser.parse_args()
    child = subprocess.Popen([sys.executable, "-c", CHILD, args.expect_lib],
                             stdout=subprocess.PIPE)
    try:
        deadline = time.monotonic() + DEADLINE_S
        line = read_line(child, deadline)
        if line != "ready":
            fail(f"the child did not get ready (said {line!r})")
        # Poll the child's state (a probe, not a sleep as synchronisation).
        while not sleeping(child.pid):
            if time.monotonic() > deadline:
                fail("the child never blocked")
            time.sleep(0.005)
        print("ok   the child blocks in recv()", flush=True)
        child.send_signal(signal.SIGINT)
        line = read_line(child, time.monotonic() + DEADLINE_S)
        if line != "interrupted":
            fail(f"SIGINT did not interrupt recv() within {DEADLINE_S} s (child said {line!r})")
        print("ok   SIGINT raised KeyboardInterrupt out of recv()", flush=True)
        try:
            rc = child.wait(DEADLINE_S)
        except subprocess.TimeoutExpired:
            fail("the child did not exit after the interrupt")
        if rc != 0:
            fail(f"the child exited with {rc}")
        print("ok   the child closed its socket, terminated its context and exited", flush=True)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    print("pyzmq sigint: passed", flush=True)


if __name__ == "__main__":
    main()
