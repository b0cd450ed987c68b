"""Reference for the matrix-product benchmark: median seconds of np.dot on two n x n float64 matrices."""
import json
import sys
import time

import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
rng = np.random.RandomState(0)
a = rng.randn(n, n)
b = rng.randn(n, n)
np.dot(a, b)  # warm-up
times = []
for _ in range(repeats):
    start = time.perf_counter()
    np.dot(a, b)
    times.append(time.perf_counter() - start)
print(json.dumps({"workload": "matmul", "n": n, "seconds_median": float(np.median(times))}))
