"""Reference for the matrix-product workloads: np.dot on float64 matrices of the given shapes.

Usage: gemm_numpy.py REPS MIN_SECONDS M,K,N [M,K,N ...]   (threads: OPENBLAS_NUM_THREADS, set by bench/run)
A repetition runs the product as often as it takes to fill MIN_SECONDS (counted once at warm-up) and records the time
per product. Prints one JSON line per shape.
"""
import sys
import time

import numpy as np

from benchutil import emit, measure, threads_from_env


def main():
    reps, min_seconds = int(sys.argv[1]), float(sys.argv[2])
    rng = np.random.RandomState(0)
    for shape in sys.argv[3:]:
        m, k, n = (int(v) for v in shape.split(","))
        a = rng.randn(m, k)
        b = rng.randn(k, n)
        np.dot(a, b)
        start, calls = time.perf_counter(), 0
        while time.perf_counter() - start < min_seconds / 4 or calls < 1:
            np.dot(a, b)
            calls += 1
        per_call = (time.perf_counter() - start) / calls
        inner = max(1, round(min_seconds / per_call))

        def run():
            for _ in range(inner):
                np.dot(a, b)

        records = measure(run, reps, warmup=1)
        for r in records:  # per product
            r["wall"] /= inner
            r["cpu"] /= inner
        emit("numpy", np.__version__, threads_from_env(), records, shape=shape, calls=inner)


if __name__ == "__main__":
    main()
