"""bench_runs: one run of a benchmark binary, its key=value output parsed (run_bench.py)."""
import subprocess


class BenchError(Exception):
    pass


def run_once(binary, args, timeout, env=None):
    """One bench run; returns its key=value output as a dict."""
    try:
        proc = subprocess.run([binary] + args, capture_output=True, text=True, timeout=timeout,
                              env=env)
    except subprocess.TimeoutExpired:
        raise BenchError("timeout after %.0f s" % timeout)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise BenchError(lines[-1].replace("zmq_bench: ", "") if lines
                         else "exit %d" % proc.returncode)
    try:
        return dict(kv.split("=", 1) for kv in proc.stdout.split())
    except ValueError:
        raise BenchError("unreadable output %r" % proc.stdout[:60])
