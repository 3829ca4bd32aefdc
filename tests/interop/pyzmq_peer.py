#!/usr/bin/python3
"""A libzmq PAIR peer in another process, for zmtp's interop tests (pyzmq over libzmq 4.3).

usage: pyzmq_peer.py MODE bind|connect ENDPOINT [COUNT]

MODE
  echo    send every multipart message back, until a message [b"quit"], answered [b"bye"]
  source  send COUNT messages (4-byte big-endian index, then index % 23 filler bytes), then
          wait for [b"done"] and answer [b"bye"]
  sink    receive COUNT such messages, check order and content, answer [b"ok COUNT"] or
          [b"bad: ..."], then wait for [b"quit"] and answer [b"bye"]

After binding or connecting it prints "READY <endpoint> <libzmq version>" on stdout (the
endpoint is LAST_ENDPOINT after a bind, so "tcp://127.0.0.1:*" works). Exit status: 0 done,
2 pyzmq missing ("NOZMQ" printed instead of READY), 3 a receive or send timed out, 4 usage.
"""
import struct
import sys

TIMEOUT_MS = 20000


def seq_payload(i):
    return struct.pack(">I", i) + bytes([(i * 7) & 0xFF]) * (i % 23)


def main(argv):
    try:
        import zmq
    except ImportError as e:
        print("NOZMQ %s (python %s)" % (e, sys.executable), flush=True)
        return 2
    if len(argv) < 4 or argv[1] not in ("echo", "source", "sink") or \
            argv[2] not in ("bind", "connect"):
        print("USAGE " + __doc__.splitlines()[2], flush=True)
        return 4
    mode, action, endpoint = argv[1], argv[2], argv[3]
    count = int(argv[4]) if len(argv) > 4 else 0

    ctx = zmq.Context()
    sock = ctx.socket(zmq.PAIR)
    sock.linger = 2000  # the final "bye" must get out; bounded so exit never hangs
    sock.rcvtimeo = TIMEOUT_MS
    sock.sndtimeo = TIMEOUT_MS
    if endpoint.startswith("tcp://["):
        sock.ipv6 = 1
    try:
        if action == "bind":
            sock.bind(endpoint)
            endpoint = sock.last_endpoint.decode()
        else:
            sock.connect(endpoint)
        print("READY %s %s" % (endpoint, zmq.zmq_version()), flush=True)

        if mode == "echo":
            while True:
                parts = sock.recv_multipart()
                if parts == [b"quit"]:
                    sock.send(b"bye")
                    break
                sock.send_multipart(parts)
        elif mode == "source":
            for i in range(count):
                sock.send(seq_payload(i))
            while sock.recv_multipart() != [b"done"]:
                pass
            sock.send(b"bye")
        else:  # sink
            verdict = b"ok %d" % count
            for i in range(count):
                got = sock.recv()
                if sock.rcvmore:
                    verdict = b"bad: message %d has MORE set" % i
                    break
                if got != seq_payload(i):
                    seq = struct.unpack(">I", got[:4])[0] if len(got) >= 4 else -1
                    verdict = b"bad: expected %d, got %d bytes with sequence %d" % (
                        i, len(got), seq)
                    break
            sock.send(verdict)
            while sock.recv_multipart() != [b"quit"]:
                pass
            sock.send(b"bye")
    except zmq.Again:
        print("TIMEOUT in mode %s" % mode, file=sys.stderr, flush=True)
        return 3
    finally:
        sock.close()
        ctx.term()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
