#!/usr/bin/python3
"""A pyzmq (libzmq 4.3) PUB or SUB in another process, for zmtp's PUB/SUB interop tests.

usage: pubsub_peer.py sub bind|connect ENDPOINT [HEXTOPIC...]
       pubsub_peer.py pub bind|connect ENDPOINT

sub  subscribes to every HEXTOPIC (hex-encoded bytes) and to "PROBE" and "END", prints
     "READY <endpoint>", then one line per message received: "PROBE" for a message whose first
     frame starts with "PROBE", "MSG <hex>,<hex>,..." for any other, and "DONE <count>" (count =
     MSG lines) for a message whose first frame is "END", then exits 0.
pub  prints "READY <endpoint>", then publishes ["PROBE"] every 10 ms until the first command
     on stdin. Commands, one per line: "send <hex>,<hex>,..." publishes one multipart message;
     "quit" (or EOF) exits 0.

Frames are hex-encoded so any bytes pass through a line. Exit status: 0 done, 2 pyzmq missing
("NOZMQ" printed instead of READY), 3 nothing received for 20 s, 4 usage.
"""
import os
import select
import sys

TIMEOUT_MS = 20000


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run_sub(zmq, sock, topics):
    for t in topics + [b"PROBE", b"END"]:
        sock.setsockopt(zmq.SUBSCRIBE, t)
    count = 0
    while True:
        if not sock.poll(TIMEOUT_MS):
            say("TIMEOUT")
            return 3
        frames = sock.recv_multipart()
        if frames[0] == b"END":
            say("DONE %d" % count)
            return 0
        if frames[0].startswith(b"PROBE"):
            say("PROBE")
            continue
        count += 1
        say("MSG " + ",".join(f.hex() for f in frames))


def run_pub(sock):
    probing = True
    n = 0
    pending = b""  # stdin is read raw: select() does not see data buffered by sys.stdin
    fd = sys.stdin.fileno()
    while True:
        if b"\n" not in pending:
            wait = 0.01 if probing else TIMEOUT_MS / 1000
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                if not probing:
                    say("TIMEOUT")
                    return 3
                sock.send(b"PROBE %d" % n)
                n += 1
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                return 0  # EOF: the test is gone
            pending += chunk
            continue
        line, _, pending = pending.partition(b"\n")
        line = line.decode()
        if line.strip() == "quit":
            return 0
        probing = False
        cmd, _, arg = line.partition(" ")
        if cmd == "send":
            sock.send_multipart([bytes.fromhex(h) for h in arg.split(",")])
        else:
            say("BADCMD " + cmd)


def main(argv):
    try:
        import zmq
    except ImportError as e:
        say("NOZMQ %s (python %s)" % (e, sys.executable))
        return 2
    if len(argv) < 4 or argv[1] not in ("sub", "pub") or argv[2] not in ("bind", "connect"):
        say("USAGE " + __doc__.splitlines()[2])
        return 4
    mode, action, endpoint = argv[1], argv[2], argv[3]
    ctx = zmq.Context()
    sock = ctx.socket(zmq.SUB if mode == "sub" else zmq.PUB)
    sock.linger = 0 if mode == "sub" else 2000
    sock.rcvtimeo = TIMEOUT_MS
    sock.sndtimeo = TIMEOUT_MS
    try:
        if action == "bind":
            sock.bind(endpoint)
            endpoint = sock.last_endpoint.decode()
        else:
            sock.connect(endpoint)
        if mode == "sub":
            topics = [bytes.fromhex(t) for t in argv[4:]]
            say("READY %s %s" % (endpoint, zmq.zmq_version()))
            return run_sub(zmq, sock, topics)
        say("READY %s %s" % (endpoint, zmq.zmq_version()))
        return run_pub(sock)
    finally:
        sock.close()
        ctx.term()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
