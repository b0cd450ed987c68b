"""Shared timing for the Python references of bench/run: warm-up, repetitions, and per repetition the wall time, this
process's CPU time (os.times: user + system over all its threads) and the CPU time the rest of the machine used
meanwhile (busy time in /proc/stat minus ours), so the Java side can judge whether each repetition was quiet.

A reference script calls `measure(fn, reps, warmup)` and then `emit(reference, version, threads, reps, **extra)`,
which prints the one JSON line Benchmarks.java reads.
"""
import json
import os
import time

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def machine_busy_seconds():
    """Busy CPU seconds of the whole machine since boot (user, nice, system, irq, softirq, steal), None off Linux."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return None
    busy = fields[0] + fields[1] + fields[2] + sum(fields[5:8])
    return busy / TICKS


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[0]
    except OSError:
        return "n/a"


def process_cpu():
    t = os.times()
    return t.user + t.system


def measure(fn, reps, warmup=1):
    """Runs fn warmup times uncounted, then reps times; one record per counted run."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(reps):
        busy0, cpu0, wall0 = machine_busy_seconds(), process_cpu(), time.perf_counter()
        value = fn()
        wall = time.perf_counter() - wall0
        cpu = process_cpu() - cpu0
        busy = machine_busy_seconds()
        # /proc/stat counts in ticks of 10 ms: over less than 50 ms the others' share is not known
        other = None if busy is None or wall < 0.05 else max(0.0, (busy - busy0) - cpu) / wall
        out.append({"wall": wall, "cpu": cpu, "other": other, "value": value})
    return out


def emit(reference, version, threads, reps, **extra):
    line = {"reference": reference, "version": version, "threads": threads,
            "reps": [{k: v for k, v in r.items() if k != "value" or isinstance(v, (int, float))} for r in reps],
            "loadavg": loadavg()}
    line.update(extra)
    print(json.dumps(line))


def threads_from_env(default=1):
    return int(os.environ.get("NNLAB_BENCH_THREADS", default))
