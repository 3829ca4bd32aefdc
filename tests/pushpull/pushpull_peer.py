#!/usr/bin/python3
"""A pyzmq (libzmq 4.3) PUSH or PULL in another process, for zmtp's PUSH/PULL interop tests.

usage: pushpull_peer.py pull|push bind|connect ENDPOINT

pull  prints "READY <endpoint> <libzmq version>", then one line per message received:
      "MSG <hex>,<hex>,..." (one hex string per frame), until a message whose first frame is
      "END": prints "DONE <count>" (count = MSG lines) and exits 0.
push  prints "READY <endpoint> <libzmq version>", then runs commands from stdin, one per line:
      "send <hex>,<hex>,..." sends one multipart message; "count N" sends N messages
      [b"n", 8-byte big-endian index]; "quit" (or EOF) exits 0 once everything is sent.

The endpoint is LAST_ENDPOINT after a bind, so "tcp://127.0.0.1:*" and "ipc://*" work. Exit
status: 0 done, 2 pyzmq missing ("NOZMQ" printed instead of READY), 3 nothing received or a
send blocked for 20 s, 4 usage.
"""
import struct
import sys

TIMEOUT_MS = 20000


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run_pull(sock):
    count = 0
    while True:
        if not sock.poll(TIMEOUT_MS):
            say("TIMEOUT")
            return 3
        frames = sock.recv_multipart()
        if frames[0] == b"END":
            say("DONE %d" % count)
            return 0
        count += 1
        say("MSG " + ",".join(f.hex() for f in frames))


def run_push(zmq, sock):
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        try:
            if cmd == "quit":
                return 0
            if cmd == "send":
                sock.send_multipart([bytes.fromhex(h) for h in arg.split(",")])
            elif cmd == "count":
                for i in range(int(arg)):
                    sock.send_multipart([b"n", struct.pack(">Q", i)])
            else:
                say("BADCMD " + cmd)
        except zmq.Again:
            say("TIMEOUT")
            return 3
    return 0


def main(argv):
    try:
        import zmq
    except ImportError as e:
        say("NOZMQ %s (python %s)" % (e, sys.executable))
        return 2
    if len(argv) != 4 or argv[1] not in ("pull", "push") or argv[2] not in ("bind", "connect"):
        say("USAGE " + __doc__.splitlines()[2])
        return 4
    mode, action, endpoint = argv[1], argv[2], argv[3]
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PULL if mode == "pull" else zmq.PUSH)
    sock.linger = 0 if mode == "pull" else TIMEOUT_MS  # a PUSH flushes before it exits
    sock.sndtimeo = TIMEOUT_MS
    try:
        if action == "bind":
            sock.bind(endpoint)
            endpoint = sock.last_endpoint.decode()
        else:
            sock.connect(endpoint)
        say("READY %s %s" % (endpoint, zmq.zmq_version()))
        return run_pull(sock) if mode == "pull" else run_push(zmq, sock)
    finally:
        sock.close()
        ctx.term()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
