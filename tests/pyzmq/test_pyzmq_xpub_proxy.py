#!/usr/bin/python3
"""pyzmq XSUB/XPUB forwarders on zmtp (issue 12), run as test_pyzmq_xpub.py is (--expect-lib:
on zmtp; without it: the reference run on the system libzmq). Subscriptions travel upstream
through each forwarder to publishers that are XPUBs, which publish only once they have seen
them: zmq.proxy in a thread (also with 8 publishers and 40 subscribers),
zmq.devices.ThreadProxy (with its monitor socket) and ProcessProxy.

usage: test_pyzmq_xpub_proxy.py [--expect-lib DIR]     (exit status 0 = pass)
Every blocking call has a timeout; nothing sleeps to synchronise."""

import tempfile
import threading

import xpub_support as support
from xpub_support import zmq, check, endpoints, make, bound, wait_for_topic, run_proxy
from xpub_support import TIMEOUT_MS


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
    support.start()
    with tempfile.TemporaryDirectory(prefix="zmtp-pyzmq-xpub-proxy-") as tmp:
        test_proxy(tmp)
        test_proxy_many(tmp)
        test_thread_proxy(tmp)
        test_process_proxy(tmp)
    print(f"pyzmq XSUB/XPUB forwarders: {support.checks} checks passed", flush=True)


if __name__ == "__main__":
    main()
