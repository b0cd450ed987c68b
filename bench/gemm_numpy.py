"""Reference for the matrix-product workloads: products of float64 matrices of the given shapes.

Usage: gemm_numpy.py REPS MIN_SECONDS into|allocate M,K,N [M,K,N ...]   (threads: OPENBLAS_NUM_THREADS, set by bench/run)
"into" writes every product into one result array kept from call to call (np.matmul(a, b, out=c)), as nnlab's
training loops do; "allocate" returns a new array per call (np.dot(a, b)), as a notebook cell does.
A repetition runs the product as often as it takes to fill MIN_SECONDS (counted once at warm-up) and records the time
per product. Prints one JSON line per shape.
"""
import sys
import time

import numpy as np

from benchutil import emit, measure, threads_from_env


def main():
    reps, min_seconds, mode = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    if mode not in ("into", "allocate"):
        sys.exit(f"gemm_numpy.py: the third argument must be 'into' or 'allocate', not {mode!r}")
    rng = np.random.RandomState(0)
    for shape in sys.argv[4:]:
        m, k, n = (int(v) for v in shape.split(","))
        a = rng.randn(m, k)
        b = rng.randn(k, n)
        c = np.empty((m, n))
        if mode == "into":
            def product():
                np.matmul(a, b, out=c)
        else:
            def product():
                np.dot(a, b)
        product()
        start, calls = time.perf_counter(), 0
        while time.perf_counter() - start < min_seconds / 4 or calls < 1:
            product()
            calls += 1
        per_call = (time.perf_counter() - start) / calls
        inner = max(1, round(min_seconds / per_call))

        def run():
            for _ in range(inner):
                product()

        records = measure(run, reps, warmup=1)
        for r in records:  # per product
            r["wall"] /= inner
            r["cpu"] /= inner
        emit("numpy", np.__version__, threads_from_env(), records, shape=shape, calls=inner)


if __name__ == "__main__":
    main()
