#!/usr/bin/python3
"""pyzmq XPUB/XSUB programs on zmtp (issue 12): Debian's python3-zmq with zmtp's libzmq.so.5
first on LD_LIBRARY_PATH (--expect-lib proves the process mapped it), or on the system libzmq
without it (the reference run: the same expectations).
Over inproc, ipc and tcp: XPUB subscription reports (first holder only, VERBOSE, VERBOSER, a
subscriber leaving), XSUB subscribing by message (counted), sending upstream and re-sending its
subscriptions to a new publisher after a reconnect, an XSUB that binds sending its
subscriptions to an XPUB that connects, "publish when subscribed" (wait for
b"\\x01topic" on the XPUB with a poll deadline, then publish: nothing is lost), and forwarders
with subscriptions travelling upstream through them: zmq.proxy in a thread (also with 8
publishers and 40 subscribers), zmq.devices.ThreadProxy (with its monitor socket) and
ProcessProxy.

usage: test_pyzmq_xpub.py [--expect-lib DIR]     (exit status 0 = pass; pyzmq missing = failure)
Every blocking call has a timeout; nothing sleeps to synchronise."""

import argparse
import os
import sys
import tempfile
import threading
import time

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


def test_reports(ctx, transport, endpoint):
    xpub, ep = bound(ctx, zmq.XPUB, endpoint)
    sub = make(ctx, zmq.SUB)
    sub.connect(ep)
    xsub = make(ctx, zmq.XSUB)
    xsub.connect(ep)
    t = f"{transport} XPUB"

    sub.subscribe(b"a")
    check(xpub.recv() == b"\x01a", f"{t}: the SUB's subscription arrives as b'\\x01a'")
    xsub.send(b"\x01a")
    xsub.send(b"\x01b")
    # One pipe keeps its order: had the second holder of 'a' been reported, it came first.
    check(xpub.recv() == b"\x01b", f"{t}: a topic already held is not reported again")
    xpub.setsockopt(zmq.XPUB_VERBOSE, 1)
    xsub.send(b"\x01b")
    check(xpub.recv() == b"\x01b", f"{t}: XPUB_VERBOSE reports every subscribe")
    xsub.send(b"hello upstream")
    check(xpub.recv() == b"hello upstream", f"{t}: an XSUB message goes upstream to the XPUB")

    # Both subscriptions were read, so both subscribers get what matches (XSUB does not
    # filter: the XPUB does it for it).
    for msg in (b"a1", b"b1", b"c1", b"a2"):
        xpub.send(msg)
    check([sub.recv(), sub.recv()] == [b"a1", b"a2"], f"{t}: the SUB gets its topic only")
    check([xsub.recv(), xsub.recv(), xsub.recv()] == [b"a1", b"b1", b"a2"],
          f"{t}: the XSUB gets its topics only")

    sub.unsubscribe(b"a")  # the XSUB still holds 'a': not reported
    sub.subscribe(b"c")
    check(xpub.recv() == b"\x01c", f"{t}: an unsubscribe with holders left is not reported")
    xpub.setsockopt(zmq.XPUB_VERBOSER, 1)
    sub.subscribe(b"a")
    sub.unsubscribe(b"a")
    check([xpub.recv(), xpub.recv()] == [b"\x01a", b"\x00a"],
          f"{t}: XPUB_VERBOSER reports every subscribe and unsubscribe")
    xsub.send(b"\x00a")
    check(xpub.recv() == b"\x00a", f"{t}: the last holder's unsubscribe is reported")
    xsub.close()
    check(xpub.recv() == b"\x00b", f"{t}: a leaving XSUB's last topic is unsubscribed")
    sub.close()
    check(xpub.recv() == b"\x00c", f"{t}: a leaving SUB's last topic is unsubscribed")
    xpub.close()


def test_xsub_counts(ctx, transport, endpoint):
    """XSUB counts its subscriptions: every subscribe goes upstream, an unsubscribe only when
    the count falls to 0. ZMQ_SUBSCRIBE is not an XSUB option."""
    xpub, ep = bound(ctx, zmq.XPUB, endpoint)
    xpub.setsockopt(zmq.XPUB_VERBOSER, 1)  # report everything that arrives
    xsub = make(ctx, zmq.XSUB)
    xsub.connect(ep)
    try:
        xsub.setsockopt(zmq.SUBSCRIBE, b"a")
        fail(f"{transport} XSUB: ZMQ_SUBSCRIBE accepted")
    except zmq.ZMQError as e:
        check(e.errno == zmq.EINVAL, f"{transport} XSUB: ZMQ_SUBSCRIBE is EINVAL")
    for frame in (b"\x01a", b"\x01a", b"\x00a", b"\x01m", b"\x00a", b"\x00a", b"\x01n"):
        xsub.send(frame)
    # Same pipe, same order: the first cancel stayed home (one holder left), the second went,
    # the third (nothing left to cancel) stayed home too.
    got = [xpub.recv() for _ in range(5)]
    check(got == [b"\x01a", b"\x01a", b"\x01m", b"\x00a", b"\x01n"],
          f"{transport} XSUB: subscriptions counted, cancelled upstream at 0 ({got})")
    xpub.send(b"a-gone")
    xpub.send(b"m-kept")
    check(xsub.recv() == b"m-kept", f"{transport} XSUB: the cancelled topic no longer arrives")
    xsub.close()
    xpub.close()


def test_xsub_reconnects(ctx, tmp):
    """An XSUB whose publisher is replaced (ipc: the new one binds the same path) sends its
    subscriptions again, one per topic, whatever it counted."""
    ep = f"ipc://{tmp}/pyx-reconnect.sock"
    old, _ = bound(ctx, zmq.XPUB, ep)
    xsub = make(ctx, zmq.XSUB)
    xsub.reconnect_ivl = 20
    xsub.connect(ep)
    for frame in (b"\x01a", b"\x01a", b"\x01b", b"\x00b", b"\x01c"):
        xsub.send(frame)
    check([old.recv() for _ in range(3)] == [b"\x01a", b"\x01b", b"\x00b"] and
          old.recv() == b"\x01c", "ipc XSUB: the first publisher gets its subscriptions")
    old.close()
    new, _ = bound(ctx, zmq.XPUB, ep)
    new.setsockopt(zmq.XPUB_VERBOSE, 1)  # duplicates would show
    # The XSUB takes up the new connection when its own thread next touches it.
    got = []
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while len(got) < 2 and time.monotonic() < deadline:
        xsub.getsockopt(zmq.EVENTS)
        if new.poll(50):
            got.append(new.recv())
    xsub.send(b"\x01end")  # after the re-sent ones, on the same connection
    got.append(new.recv())
    check(got == [b"\x01a", b"\x01c", b"\x01end"],
          f"ipc XSUB: a new publisher gets each topic again, once ({got})")
    new.close()
    xsub.close()


def test_xsub_binds(ctx, transport, endpoint):
    """An XSUB subscribes before anyone is there; an XPUB that connects later gets it."""
    xsub, ep = bound(ctx, zmq.XSUB, endpoint)
    xsub.send(b"\x01news")
    xpub = make(ctx, zmq.XPUB)
    xpub.connect(ep)
    # A bound socket takes a new peer when its own thread next touches it (libzmq too).
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not xpub.poll(50) and time.monotonic() < deadline:
        xsub.getsockopt(zmq.EVENTS)
    check(xpub.recv() == b"\x01news",
          f"{transport}: a bound XSUB sends its subscriptions to an XPUB that connects")
    xpub.send_multipart([b"news", b"body"])
    xpub.send(b"sport")
    xpub.send(b"news2")
    check(xsub.recv_multipart() == [b"news", b"body"] and xsub.recv() == b"news2",
          f"{transport}: the connecting XPUB publishes only what the XSUB subscribed")
    xpub.close()
    xsub.close()


def test_publish_when_subscribed(ctx, transport, endpoint):
    """The slow-joiner fix: wait for the subscription, then publish; nothing is lost."""
    xpub, ep = bound(ctx, zmq.XPUB, endpoint)
    sub = make(ctx, zmq.SUB)
    sub.connect(ep)
    sub.subscribe(b"topic")
    check(wait_for_topic(xpub, b"topic") == [],
          f"{transport}: the XPUB sees b'\\x01topic' before the deadline")
    for i in range(100):
        xpub.send_multipart([b"topic", str(i).encode()], zmq.NOBLOCK)
    got = [int(sub.recv_multipart()[1]) for _ in range(100)]
    check(got == list(range(100)), f"{transport}: published after the report, all 100 arrive")
    sub.close()
    check(wait_for_topic(xpub, b"nobody", 50) is None,
          f"{transport}: waiting for a topic nobody wants times out")
    xpub.close()


def run_proxy(frontend, backend, outcome):
    try:
        zmq.proxy(frontend, backend)
    except zmq.ZMQError as e:
        outcome.append(e.errno)
    finally:
        frontend.close()
        backend.close()


def test_proxy(tmp):
    """zmq.proxy(XSUB, XPUB) in a thread: the publisher, an XPUB, sees subscriptions that
    travelled through the proxy, and publishes only then."""
    ctx = zmq.Context()
    eps = dict(endpoints(tmp))
    front, front_ep = bound(ctx, zmq.XSUB, "tcp://127.0.0.1:*")
    back = make(ctx, zmq.XPUB)
    back.bind(eps["ipc"])
    back.bind(eps["inproc"])
    outcome = []
    proxy = threading.Thread(target=run_proxy, args=(front, back, outcome))
    proxy.start()

    pub = make(ctx, zmq.XPUB)
    pub.connect(front_ep)
    sub_x, sub_y = make(ctx, zmq.SUB), make(ctx, zmq.SUB)
    sub_x.connect(eps["ipc"])
    sub_y.connect(eps["inproc"])
    sub_x.subscribe(b"x")
    check(wait_for_topic(pub, b"x") == [],
          "proxy: b'\\x01x' travelled ipc SUB -> proxy -> tcp XPUB")
    sub_y.subscribe(b"y")
    check(wait_for_topic(pub, b"y") == [],
          "proxy: b'\\x01y' travelled inproc SUB -> proxy -> tcp XPUB")
    for i in range(50):
        for topic in (b"x", b"y", b"z"):
            pub.send(topic + str(i).encode())
    pub.send(b"x-end")
    pub.send(b"y-end")

    def until_end(sub, end):
        got = []
        while (m := sub.recv()) != end:
            got.append(m)
        return got

    check(until_end(sub_x, b"x-end") == [b"x" + str(i).encode() for i in range(50)],
          "proxy: the x subscriber gets exactly its 50, in order")
    check(until_end(sub_y, b"y-end") == [b"y" + str(i).encode() for i in range(50)],
          "proxy: the y subscriber gets exactly its 50, in order")
    sub_x.unsubscribe(b"x")
    check(pub.recv() == b"\x00x", "proxy: the unsubscribe travels upstream too")
    for s in (pub, sub_x, sub_y):
        s.close()
    ctx.term()  # the proxy's recv fails with ETERM; its thread closes its sockets
    proxy.join(TIMEOUT_MS / 1000)
    check(not proxy.is_alive() and outcome == [zmq.ETERM],
          "proxy: zmq.proxy ends with ETERM on context termination")


def test_proxy_many(tmp):
    """zmq.proxy with 8 publishers (XPUB) and 40 subscribers, 4 on each of 10 topics. The
    proxy's XPUB is VERBOSER and the publishers VERBOSE, so every subscribe reaches every
    publisher (once it has all 40, the proxy has applied all 40: only then is publishing
    safe), every subscriber gets exactly its topic from all of them, and the XSUB's count
    sends each topic's unsubscribe upstream once, when its last subscriber left."""
    ctx = zmq.Context()
    eps = dict(endpoints(tmp))
    front, front_ep = bound(ctx, zmq.XSUB, "tcp://127.0.0.1:*")
    back = make(ctx, zmq.XPUB)
    back.setsockopt(zmq.XPUB_VERBOSER, 1)
    back.bind(eps["ipc"])
    back.bind(eps["inproc"])
    outcome = []
    proxy = threading.Thread(target=run_proxy, args=(front, back, outcome))
    proxy.start()
    topics = [b"topic-%d" % i for i in range(10)]
    pubs = [make(ctx, zmq.XPUB) for _ in range(8)]
    for pub in pubs:
        pub.setsockopt(zmq.XPUB_VERBOSE, 1)
        pub.connect(front_ep)
    # A publisher that joins the XSUB late is sent its subscriptions once per topic, not each
    # subscribe: wait until every publisher is there (it saw the first one) before the rest.
    first = make(ctx, zmq.SUB)
    first.connect(eps["inproc"])
    first.subscribe(b"first")
    check(all(pub.recv() == b"\x01first" for pub in pubs),
          "proxy, 8 publishers: each sees the first subscription")
    subs = []
    for i in range(40):
        sub = make(ctx, zmq.SUB)
        sub.connect(eps["ipc"] if i % 2 else eps["inproc"])
        sub.subscribe(topics[i % 10])
        subs.append((topics[i % 10], sub))
    seen = [sorted(pub.recv() for _ in subs) for pub in pubs]
    check(all(s == sorted(b"\x01" + t for t, _ in subs) for s in seen),
          "proxy, 8 publishers x 40 subscribers: each publisher sees all 40 subscribes")
    for n in range(50):
        for p, pub in enumerate(pubs):
            for topic in topics:
                pub.send_multipart([topic, b"%d %d" % (p, n)])
    ok = True
    for topic, sub in subs:
        got = [sub.recv_multipart() for _ in range(8 * 50)]
        per_pub = [[m[1] for m in got if m[1].startswith(b"%d " % p)] for p in range(8)]
        ok &= all(m[0] == topic for m in got) and all(
            per_pub[p] == [b"%d %d" % (p, n) for n in range(50)] for p in range(8))
    check(ok, "proxy: every subscriber gets exactly its topic, 50 from each publisher, in order")
    for _, sub in subs:
        sub.close()
    first.close()
    gone = [sorted(pub.recv() for _ in range(11)) for pub in pubs]
    check(all(g == sorted(b"\x00" + t for t in topics + [b"first"]) for g in gone),
          "proxy: when all subscribers left, each publisher sees each topic's unsubscribe once")
    for pub in pubs:
        pub.close()
    ctx.term()
    proxy.join(TIMEOUT_MS / 1000)
    check(not proxy.is_alive() and outcome == [zmq.ETERM], "proxy: ends with ETERM")


def forward_through(dev_name, pub, subs, capture=None):
    """Publish-when-subscribed through a forwarder: `subs` maps topic -> a SUB behind it."""
    for topic, sub in subs.items():
        sub.subscribe(topic)
        check(wait_for_topic(pub, topic) == [],
              f"{dev_name}: b'\\x01{topic.decode()}' reached the publisher through it")
    for i in range(20):
        for topic in subs:
            pub.send_multipart([topic, str(i).encode()])
    for topic, sub in subs.items():
        got = [sub.recv_multipart() for _ in range(20)]
        check(got == [[topic, str(i).encode()] for i in range(20)],
              f"{dev_name}: the {topic.decode()} subscriber gets its 20, in order")
    if capture is not None:
        # The monitor PUB sees subscriptions going up, then the messages coming down.
        seen = []
        while len(seen) < len(subs) * 21:
            seen.append(capture.recv_multipart())
        subscriptions = sorted(m[0] for m in seen[:len(subs)])
        check(subscriptions == sorted(b"\x01" + t for t in subs) and
              all(len(m) == 2 for m in seen[len(subs):]),
              f"{dev_name}: its monitor socket saw the subscriptions and every message")


def test_thread_proxy(tmp):
    """zmq.devices.ThreadProxy(XSUB, XPUB) with a monitor PUB, on a context of our own."""
    ctx = zmq.Context()
    eps = dict(endpoints(tmp))
    dev = zmq.devices.ThreadProxy(zmq.XSUB, zmq.XPUB, zmq.PUB)
    dev.context_factory = lambda: ctx
    dev.bind_in(eps["ipc"])
    dev.bind_out(eps["inproc"])
    dev.bind_mon(eps["inproc"] + "-mon")
    dev.setsockopt_in(zmq.LINGER, 0)
    dev.setsockopt_out(zmq.LINGER, 0)
    dev.setsockopt_mon(zmq.LINGER, 0)
    dev.daemon = True
    dev.start()
    # The device binds in its thread, maybe after this connect: inproc allows either order.
    capture = make(ctx, zmq.SUB)
    capture.subscribe(b"")
    capture.connect(eps["inproc"] + "-mon")
    pub = make(ctx, zmq.XPUB)
    pub.connect(eps["ipc"])
    subs = {b"p": make(ctx, zmq.SUB), b"q": make(ctx, zmq.SUB)}
    for sub in subs.values():
        sub.connect(eps["inproc"])
    forward_through("ThreadProxy", pub, subs, capture)
    for sock in [pub, capture, *subs.values()]:
        sock.close()
    ctx.term()  # the device's proxy ends with ETERM and it closes its sockets
    dev.join(TIMEOUT_MS / 1000)
    check(dev.done, "ThreadProxy: ends on context termination")


def test_process_proxy(tmp):
    """zmq.devices.ProcessProxy(XSUB, XPUB): the forwarder in a forked process."""
    eps = dict(endpoints(tmp))
    dev = zmq.devices.ProcessProxy(zmq.XSUB, zmq.XPUB, zmq.PUB)
    dev.bind_in(eps["ipc"])
    dev.bind_out(eps["ipc"] + "-out")
    dev.daemon = True
    dev.start()
    ctx = zmq.Context()
    pub = make(ctx, zmq.XPUB)
    pub.connect(eps["ipc"])
    subs = {b"r": make(ctx, zmq.SUB), b"s": make(ctx, zmq.SUB)}
    for sub in subs.values():
        sub.connect(eps["ipc"] + "-out")
    forward_through("ProcessProxy", pub, subs)
    dev.launcher.terminate()
    dev.join(TIMEOUT_MS / 1000)
    check(not dev.launcher.is_alive(), "ProcessProxy: its process ends on SIGTERM")
    for sock in [pub, *subs.values()]:
        sock.close()
    ctx.term()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--expect-lib")
    args = parser.parse_args()

    global zmq
    try:
        import zmq
        import zmq.devices
    except ImportError as e:
        fail(f"pyzmq is not importable by {sys.executable}: {e} (apt-get install python3-zmq)")
    mapped = mapped_libzmq()
    print(f"     pyzmq {zmq.pyzmq_version()} from {os.path.dirname(zmq.__file__)}; "
          f"libzmq mapped from {sorted(mapped)}", flush=True)
    if args.expect_lib:
        want = os.path.realpath(args.expect_lib)
        check(mapped == {want}, f"pyzmq loaded libzmq.so.5 from {want} only")

    with tempfile.TemporaryDirectory(prefix="zmtp-pyzmq-xpub-") as tmp:
        ctx = zmq.Context()
        for transport, endpoint in endpoints(tmp):
            test_reports(ctx, transport, endpoint)
        for transport, endpoint in endpoints(tmp):
            test_xsub_counts(ctx, transport, endpoint)
        for transport, endpoint in endpoints(tmp):
            test_xsub_binds(ctx, transport, endpoint)
        test_xsub_reconnects(ctx, tmp)
        for transport, endpoint in endpoints(tmp):
            test_publish_when_subscribed(ctx, transport, endpoint)
        ctx.term()
        test_proxy(tmp)
        test_proxy_many(tmp)
        test_thread_proxy(tmp)
        test_process_proxy(tmp)
    print(f"pyzmq XPUB/XSUB: {checks} checks passed", flush=True)


if __name__ == "__main__":
    main()
