#!/usr/bin/python3
"""pyzmq XPUB/XSUB programs on zmtp (issue 12): Debian's python3-zmq with zmtp's libzmq.so.5
first on LD_LIBRARY_PATH (--expect-lib proves the process mapped it), or on the system libzmq
without it (the reference run: the same expectations).
Over inproc, ipc and tcp: XPUB subscription reports (first holder only, VERBOSE, VERBOSER, a
subscriber leaving), XSUB subscribing by message (counted), sending upstream and re-sending its
subscriptions to a new publisher after a reconnect, an XSUB that binds sending its
subscriptions to an XPUB that connects, and "publish when subscribed" (wait for b"\\x01topic"
on the XPUB with a poll deadline, then publish: nothing is lost). Forwarders:
test_pyzmq_xpub_proxy.py.

usage: test_pyzmq_xpub.py [--expect-lib DIR]     (exit status 0 = pass; pyzmq missing = failure)
Every blocking call has a timeout; nothing sleeps to synchronise."""

import tempfile
import time

import xpub_support as support
from xpub_support import zmq, fail, check, endpoints, make, bound, wait_for_topic, TIMEOUT_MS


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


def main():
    support.start()
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
    print(f"pyzmq XPUB/XSUB: {support.checks} checks passed", flush=True)


if __name__ == "__main__":
    main()
