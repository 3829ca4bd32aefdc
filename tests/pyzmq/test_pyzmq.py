#!/usr/bin/python3
"""pyzmq running on zmtp: Debian's python3-zmq with zmtp's libzmq.so.5 first on
LD_LIBRARY_PATH. Proves the process really mapped our library, then runs PAIR and PUB/SUB over
inproc, ipc and tcp with blocking and non-blocking calls, zmq.Poller (sockets and a plain
descriptor), the monitor, asyncio through zmq.asyncio and ZMQStream on tornado.

usage: test_pyzmq.py --expect-lib DIR     (exit status 0 = pass; pyzmq missing = failure)
Every blocking call has a timeout; nothing sleeps to synchronise."""

import argparse
import asyncio
import os
import sys
import tempfile
import threading

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
    """One fresh endpoint per transport, for bind; tcp binds an ephemeral port."""
    n = 0
    while True:
        n += 1
        yield "inproc", f"inproc://py-{n}"
        yield "ipc", f"ipc://{tmp}/py-{n}.sock"
        yield "tcp", "tcp://127.0.0.1:*"


def make(ctx, kind):
    s = ctx.socket(kind)
    s.linger = 0
    s.rcvtimeo = TIMEOUT_MS
    s.sndtimeo = TIMEOUT_MS
    return s


def bind_connect(ctx, kind_bind, kind_connect, endpoint):
    a = make(ctx, kind_bind)
    a.bind(endpoint)
    b = make(ctx, kind_connect)
    b.connect(a.last_endpoint.decode())
    return a, b


def wait_subscribed(pub, sub, topic=b"t"):
    """Publishes until the subscriber hears something (subscriptions travel asynchronously)."""
    poller = zmq.Poller()
    poller.register(sub, zmq.POLLIN)
    for _ in range(100):
        pub.send_multipart([topic, b"probe"])
        if poller.poll(100):
            sub.recv_multipart()
            # Drain further probes already on the way.
            while poller.poll(0):
                sub.recv_multipart()
            return True
    return False


def test_pair(ctx, transport, endpoint):
    a, b = bind_connect(ctx, zmq.PAIR, zmq.PAIR, endpoint)
    b.send(b"hello")
    check(a.recv() == b"hello", f"{transport} PAIR: blocking send/recv")
    a.send_multipart([b"one", b"two", b"three"])
    check(b.recv_multipart() == [b"one", b"two", b"three"], f"{transport} PAIR: multipart")
    check(b.getsockopt(zmq.RCVMORE) == 0, f"{transport} PAIR: RCVMORE 0 after the last frame")
    try:
        a.recv(zmq.NOBLOCK)
        fail(f"{transport} PAIR: NOBLOCK recv on an empty socket returned")
    except zmq.Again:
        check(True, f"{transport} PAIR: NOBLOCK recv -> zmq.Again")
    a.rcvtimeo = 20
    try:
        a.recv()
        fail(f"{transport} PAIR: RCVTIMEO did not expire")
    except zmq.Again:
        check(True, f"{transport} PAIR: RCVTIMEO -> zmq.Again")
    b.send(b"x" * 100000)
    frame = a.recv(copy=False)
    check(len(frame.bytes) == 100000, f"{transport} PAIR: 100 kB frame, zero-copy recv")
    # A zero-copy send above zmq.COPY_THRESHOLD goes through pyzmq's garbage-collector thread,
    # which talks to it over inproc PUSH/PULL on our library too.
    big = bytes(range(256)) * 800
    b.send(big, copy=False)
    check(a.recv() == big, f"{transport} PAIR: 200 kB zero-copy send")
    if transport == "inproc":
        # libzmq gives inproc frames no metadata at all.
        try:
            frame.get("Socket-Type")
            fail(f"{transport} PAIR: frame metadata on an inproc frame")
        except zmq.ZMQError as e:
            check(e.errno == zmq.EINVAL, f"{transport} PAIR: no frame metadata (EINVAL)")
    else:
        check(frame.get("Socket-Type") == "PAIR", f"{transport} PAIR: frame metadata Socket-Type")
        peer = "127.0.0.1" if transport == "tcp" else \
            f"localhost:{os.getuid()}:{os.getgid()}:{os.getpid()}"
        check(frame.get("Peer-Address") == peer, f"{transport} PAIR: Peer-Address {peer}")
    check(a.get(zmq.EVENTS) & zmq.POLLOUT, f"{transport} PAIR: EVENTS has POLLOUT")
    check(isinstance(a.get(zmq.FD), int) and a.get(zmq.FD) >= 0, f"{transport} PAIR: FD")
    a.close()
    b.close()


def test_pubsub(ctx, transport, endpoint):
    pub, sub = bind_connect(ctx, zmq.PUB, zmq.SUB, endpoint)
    sub.setsockopt(zmq.SUBSCRIBE, b"t")
    check(wait_subscribed(pub, sub), f"{transport} PUB/SUB: subscription reaches the publisher")
    pub.send_multipart([b"other", b"dropped"])
    pub.send_multipart([b"t.1", b"kept"])
    check(sub.recv_multipart() == [b"t.1", b"kept"], f"{transport} PUB/SUB: prefix filter")
    check(pub.get(zmq.EVENTS) == zmq.POLLOUT, f"{transport} PUB: EVENTS is POLLOUT")
    try:
        sub.send(b"nope")
        fail(f"{transport} SUB: send succeeded")
    except zmq.ZMQError as e:
        check(e.errno == zmq.ENOTSUP, f"{transport} SUB: send -> ENOTSUP")
    pub.close()
    sub.close()


def test_poller(ctx):
    a, b = bind_connect(ctx, zmq.PAIR, zmq.PAIR, "inproc://poller")
    r, w = os.pipe()
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    poller.register(r, zmq.POLLIN)
    check(poller.poll(0) == [], "Poller: nothing ready, timeout 0")
    check(poller.poll(30) == [], "Poller: nothing ready, timeout 30 ms")
    os.write(w, b"x")
    check(dict(poller.poll(TIMEOUT_MS)) == {r: zmq.POLLIN}, "Poller: plain descriptor ready")
    os.read(r, 1)

    def later():
        b.send(b"wake")

    t = threading.Thread(target=later)
    t.start()
    events = dict(poller.poll(TIMEOUT_MS))
    t.join()
    check(events == {a: zmq.POLLIN}, "Poller: blocking poll woken by another thread")
    check(a.recv() == b"wake", "Poller: the message")
    poller.register(b, zmq.POLLOUT)
    check(dict(poller.poll(0)) == {b: zmq.POLLOUT}, "Poller: POLLOUT")
    os.close(r)
    os.close(w)
    a.close()
    b.close()


def test_monitor(ctx):
    s = make(ctx, zmq.PAIR)
    mon = s.get_monitor_socket()
    mon.rcvtimeo = TIMEOUT_MS
    s.bind("tcp://127.0.0.1:*")
    event = recv_monitor_message(mon)
    check(event["event"] == zmq.EVENT_LISTENING
          and event["endpoint"] == s.last_endpoint, "monitor: LISTENING with the endpoint")
    peer = make(ctx, zmq.PAIR)
    peer.connect(s.last_endpoint.decode())
    got = [recv_monitor_message(mon)["event"] for _ in range(2)]
    check(got == [zmq.EVENT_ACCEPTED, zmq.EVENT_HANDSHAKE_SUCCEEDED],
          "monitor: ACCEPTED, HANDSHAKE_SUCCEEDED")
    s.disable_monitor()
    check(recv_monitor_message(mon)["event"] == zmq.EVENT_MONITOR_STOPPED, "monitor: STOPPED")
    mon.close()
    peer.close()
    s.close()


async def async_main(tmp):
    actx = zmq.asyncio.Context()
    for transport, endpoint in [("inproc", "inproc://aio"), ("ipc", f"ipc://{tmp}/aio.sock"),
                                ("tcp", "tcp://127.0.0.1:*")]:
        a = actx.socket(zmq.PAIR)
        a.linger = 0
        a.bind(endpoint)
        b = actx.socket(zmq.PAIR)
        b.linger = 0
        b.connect(a.last_endpoint.decode())
        # The receive waits first, so the wake-up has to come through ZMQ_FD.
        pending = asyncio.ensure_future(a.recv_multipart())
        await asyncio.sleep(0)
        await b.send_multipart([b"async", transport.encode()])
        got = await asyncio.wait_for(pending, TIMEOUT_MS / 1000)
        check(got == [b"async", transport.encode()], f"asyncio {transport}: awaited recv")
        results = await asyncio.wait_for(
            asyncio.gather(*[b.send(str(i).encode()) for i in range(100)],
                           *[a.recv() for _ in range(100)]), TIMEOUT_MS / 1000)
        check(results[100:] == [str(i).encode() for i in range(100)],
              f"asyncio {transport}: 100 messages in order")
        a.close()
        b.close()

        pub = actx.socket(zmq.PUB)
        pub.linger = 0
        pub.bind(endpoint if transport != "inproc" else "inproc://aio-pub")
        sub = actx.socket(zmq.SUB)
        sub.linger = 0
        sub.connect(pub.last_endpoint.decode())
        sub.subscribe(b"")
        received = None
        for _ in range(100):
            await pub.send(b"tick")
            try:
                received = await asyncio.wait_for(sub.recv(), 0.1)
                break
            except asyncio.TimeoutError:
                continue
        check(received == b"tick", f"asyncio {transport}: PUB/SUB")
        pub.close()
        sub.close()
    poller = zmq.asyncio.Poller()
    a = actx.socket(zmq.PAIR)
    a.bind("inproc://aio-poller")
    b = actx.socket(zmq.PAIR)
    b.connect("inproc://aio-poller")
    poller.register(a, zmq.POLLIN)
    waiting = asyncio.ensure_future(poller.poll(TIMEOUT_MS))
    await asyncio.sleep(0)
    await b.send(b"p")
    check(dict(await waiting) == {a: zmq.POLLIN}, "asyncio Poller woken")
    a.close(linger=0)
    b.close(linger=0)
    actx.term()


async def tornado_main(ctx):
    from tornado.ioloop import IOLoop
    from zmq.eventloop.zmqstream import ZMQStream

    assert IOLoop.current() is not None
    for transport, kinds in [("PAIR", (zmq.PAIR, zmq.PAIR)), ("PUB/SUB", (zmq.PUB, zmq.SUB))]:
        a, b = bind_connect(ctx, kinds[0], kinds[1], "tcp://127.0.0.1:*")
        if kinds[1] == zmq.SUB:
            b.setsockopt(zmq.SUBSCRIBE, b"")
        done = asyncio.get_running_loop().create_future()
        received = []

        def on_recv(frames, received=received, done=done):
            received.append(frames)
            if len(received) == 50 and not done.done():
                done.set_result(True)

        stream_b = ZMQStream(b)
        stream_b.on_recv(on_recv)
        stream_a = ZMQStream(a)
        # Keep sending through the stream until the receiver has 50 (PUB drops before the
        # subscription arrives).
        for i in range(1000):
            if done.done():
                break
            stream_a.send_multipart([b"zmqstream", str(i).encode()])
            await asyncio.sleep(0.001 if kinds[0] == zmq.PUB else 0)
        await asyncio.wait_for(done, TIMEOUT_MS / 1000)
        check(len(received) >= 50 and received[0][0] == b"zmqstream",
              f"tornado ZMQStream {transport}: on_recv callbacks")
        stream_a.close()
        stream_b.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--expect-lib", required=True)
    args = parser.parse_args()
    want = os.path.realpath(args.expect_lib)

    global zmq, recv_monitor_message
    try:
        import zmq
        import zmq.asyncio
        from zmq.utils.monitor import recv_monitor_message
    except ImportError as e:
        fail(f"pyzmq is not importable by {sys.executable}: {e} (apt-get install python3-zmq)")
    mapped = mapped_libzmq()
    print(f"     pyzmq {zmq.pyzmq_version()} from {os.path.dirname(zmq.__file__)}; "
          f"libzmq mapped from {sorted(mapped)}", flush=True)
    check(mapped == {want}, f"pyzmq loaded libzmq.so.5 from {want} only")
    check(zmq.zmq_version() == "4.3.4", "zmq.zmq_version() is the API level zmtp speaks")
    check(zmq.has("ipc") and not zmq.has("curve"), "zmq.has: ipc yes, curve no")

    with tempfile.TemporaryDirectory(prefix="zmtp-pyzmq-") as tmp:
        ctx = zmq.Context()
        gen = endpoints(tmp)
        for _ in range(3):
            transport, endpoint = next(gen)
            test_pair(ctx, transport, endpoint)
        for _ in range(3):
            transport, endpoint = next(gen)
            test_pubsub(ctx, transport, endpoint)
        test_poller(ctx)
        test_monitor(ctx)
        asyncio.run(async_main(tmp))
        try:
            import tornado  # noqa: F401
        except ImportError:
            fail("tornado is not importable (apt-get install python3-tornado)")
        asyncio.run(tornado_main(ctx))
        ctx.term()
    print(f"pyzmq on zmtp: {checks} checks passed", flush=True)


if __name__ == "__main__":
    main()
