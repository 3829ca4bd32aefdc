"""Helpers shared by the pyzmq XPUB/XSUB programs (test_pyzmq_xpub.py,
test_pyzmq_xpub_proxy.py): checks that print what they verified, sockets that never hang a
test, fresh endpoints, the publish-when-subscribed wait, and the start of every run (pyzmq
importable, the library mapped the one expected)."""

import argparse
import os
import sys
import time

try:
    import zmq
    import zmq.devices
except ImportError as e:
    print(f"FAIL pyzmq is not importable by {sys.executable}: {e} (apt-get install python3-zmq)",
          flush=True)
    sys.exit(1)

TIMEOUT_MS = 5000
checks = 0


def fail(message):
    print(f"FAIL {message}", flush=True)
    sys.exit(1)


def check(condition, message):
    global checks
    if not condition:
        fail(message)
    checks += 1
    print(f"ok   {message}", flush=True)


def mapped_libzmq():
    """Directories of every libzmq.so* mapped into this process."""
    dirs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if "/" in line else ""
            if "libzmq.so" in os.path.basename(path):
                dirs.add(os.path.realpath(os.path.dirname(path)))
    return dirs


def endpoints(tmp):
    """(transport, endpoint to bind) for each transport, fresh names every call."""
    endpoints.n += 1
    n = endpoints.n
    return [("inproc", f"inproc://pyx-{n}"), ("ipc", f"ipc://{tmp}/pyx-{n}.sock"),
            ("tcp", "tcp://127.0.0.1:*")]


endpoints.n = 0


def make(ctx, kind):
    s = ctx.socket(kind)
    s.linger = 0
    s.rcvtimeo = TIMEOUT_MS
    s.sndtimeo = TIMEOUT_MS
    return s


def bound(ctx, kind, endpoint):
    s = make(ctx, kind)
    s.bind(endpoint)
    return s, s.last_endpoint.decode()


def wait_for_topic(xpub, topic, timeout_ms=TIMEOUT_MS):
    """The publish-when-subscribed pattern: read the XPUB's reports until b"\\x01" + topic
    arrives or the deadline passes. Returns the reports read before it (None on timeout)."""
    deadline = time.monotonic() + timeout_ms / 1000
    poller = zmq.Poller()
    poller.register(xpub, zmq.POLLIN)
    before = []
    while True:
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms <= 0 or not poller.poll(left_ms):
            return None
        report = xpub.recv()
        if report == b"\x01" + topic:
            return before
        before.append(report)


def run_proxy(frontend, backend, outcome):
    try:
        zmq.proxy(frontend, backend)
    except zmq.ZMQError as e:
        outcome.append(e.errno)
    finally:
        frontend.close()
        backend.close()


def start():
    """Parses --expect-lib and, when given, checks the process mapped libzmq from there only
    (without it: the reference run on the system libzmq)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--expect-lib")
    args = parser.parse_args()
    mapped = mapped_libzmq()
    print(f"     pyzmq {zmq.pyzmq_version()} from {os.path.dirname(zmq.__file__)}; "
          f"libzmq mapped from {sorted(mapped)}", flush=True)
    if args.expect_lib:
        want = os.path.realpath(args.expect_lib)
        check(mapped == {want}, f"pyzmq loaded libzmq.so.5 from {want} only")
