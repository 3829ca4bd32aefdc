#!/usr/bin/python3
"""Cross-architecture interop: cross_peer (zmtp's C API, built for the target and run under
qemu-user when cross-compiled) against libzmq on the host through pyzmq, over tcp, both ways:
zmtp binds / libzmq connects and the reverse, for PAIR and PUB/SUB. Both sides check every
octet of a sequence with short and long (8-octet, big-endian) frame lengths; see cross_peer.c.

Usage: run_interop.py PEER [EMULATOR ARGS...]     (exit status 0 when all six cases pass)
"""
import subprocess
import sys

import zmq

SIZES = [0, 1, 255, 256, 1000, 65536 + 7, 300000]
TIMEOUT_MS = 60000  # qemu is slow; a hang fails the case instead of the whole run


def payload(k):
    return bytes((k * 7 + j * 13) & 0xFF for j in range(SIZES[k]))


def send_sequence(s):
    for k in range(len(SIZES)):
        s.send_multipart([b"data", payload(k)])
        s.send(b"other")
    s.send(b"data-end")


def recv_sequence(s, pair):
    got = []
    while True:
        parts = s.recv_multipart()
        if parts == [b"data-end"]:
            break
        if parts == [b"data-probe"]:
            continue
        if parts == [b"other"]:
            if pair:
                continue
            raise AssertionError("a message on an unsubscribed topic came through")
        got.append(parts)
    want = [[b"data", payload(k)] for k in range(len(SIZES))]
    if got != want:
        raise AssertionError("sequence differs: %d messages, sizes %s" %
                             (len(got), [len(p[-1]) for p in got]))


def run_case(cmd, role, zmtp_binds):
    ctx = zmq.Context()
    kind = {"pair": zmq.PAIR, "sub": zmq.XPUB, "pub": zmq.SUB}[role]
    s = ctx.socket(kind)
    s.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    s.setsockopt(zmq.LINGER, 10000)
    if kind == zmq.SUB:
        s.setsockopt(zmq.SUBSCRIBE, b"data")
    if zmtp_binds:
        peer = subprocess.Popen(cmd + [role, "bind", "tcp://127.0.0.1:*"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        endpoint = peer.stdout.readline().strip()
        s.connect(endpoint)
    else:
        port = s.bind_to_random_port("tcp://127.0.0.1")
        endpoint = "tcp://127.0.0.1:%d" % port
        peer = subprocess.Popen(cmd + [role, "connect", endpoint], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
    try:
        if role == "pair":
            send_sequence(s)
            recv_sequence(s, True)
        elif role == "sub":  # zmtp subscribes; libzmq's XPUB tells when the subscription is in
            if s.recv() != b"\x01data":
                raise AssertionError("unexpected subscription message")
            send_sequence(s)
        else:  # zmtp publishes; the first probe means our subscription reached it
            if s.recv() != b"data-probe":
                raise AssertionError("expected a probe first")
            peer.stdin.write("go\n")
            peer.stdin.flush()
            recv_sequence(s, False)
        out, _ = peer.communicate(timeout=TIMEOUT_MS / 1000)
        if peer.returncode != 0:
            raise AssertionError("cross_peer exited %d" % peer.returncode)
    finally:
        if peer.poll() is None:
            peer.kill()
        s.close(linger=0)
        ctx.term()


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    cmd = sys.argv[2:] + [sys.argv[1]]
    failures = 0
    for role in ("pair", "pub", "sub"):
        for zmtp_binds in (True, False):
            what = "zmtp %s %s, libzmq %s" % (role, "binds" if zmtp_binds else "connects",
                                              "connects" if zmtp_binds else "binds")
            try:
                run_case(cmd, role, zmtp_binds)
                print("ok   " + what)
            except Exception as e:  # report every case, then fail
                failures += 1
                print("FAIL %s: %s" % (what, e))
    print("libzmq %s (host) vs %s: %d failure(s)" % (zmq.zmq_version(), " ".join(cmd), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
