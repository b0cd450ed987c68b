"""Reference for the spiral benchmark and golden values: the minimal 2-layer case study in numpy.

Generates the spiral (N=100, D=2, K=3, noise 0.2) from np.random.seed(seed), then trains the 2-layer ReLU net
(h=100, 0.01*randn init drawn from the same stream, step 1.0, reg 1e-3) with full-batch gradient descent.
As a benchmark (main) prints one JSON line (bench/benchutil.py): the time of each training loop, final loss, accuracy.
"""
import json
import sys
import numpy as np


def spiral(n, k, noise):
    X = np.zeros((n * k, 2))
    y = np.zeros(n * k, dtype=np.int64)
    for j in range(k):
        ix = range(n * j, n * (j + 1))
        r = np.linspace(0.0, 1, n)
        t = np.linspace(j * 4, (j + 1) * 4, n) + np.random.randn(n) * noise
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[ix] = j
    return X, y


def train(X, y, iterations, h=100, step=1.0, reg=1e-3):
    n, d = X.shape
    k = int(y.max()) + 1
    W = 0.01 * np.random.randn(d, h)
    b = np.zeros((1, h))
    W2 = 0.01 * np.random.randn(h, k)
    b2 = np.zeros((1, k))
    for i in range(iterations):
        hidden = np.maximum(0, np.dot(X, W) + b)
        scores = np.dot(hidden, W2) + b2
        exp_scores = np.exp(scores)
        probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
        loss = np.sum(-np.log(probs[range(n), y])) / n + 0.5 * reg * np.sum(W * W) + 0.5 * reg * np.sum(W2 * W2)
        dscores = probs
        dscores[range(n), y] -= 1
        dscores /= n
        dW2 = np.dot(hidden.T, dscores)
        db2 = np.sum(dscores, axis=0, keepdims=True)
        dhidden = np.dot(dscores, W2.T)
        dhidden[hidden <= 0] = 0
        dW = np.dot(X.T, dhidden)
        db = np.sum(dhidden, axis=0, keepdims=True)
        dW2 += reg * W2
        dW += reg * W
        W += -step * dW
        b += -step * db
        W2 += -step * dW2
        b2 += -step * db2
    hidden = np.maximum(0, np.dot(X, W) + b)
    accuracy = float(np.mean(np.argmax(np.dot(hidden, W2) + b2, axis=1) == y))
    return float(loss), accuracy


def main():
    """Usage: spiral_numpy.py ITERATIONS REPS: one warm-up run, then REPS timed training loops (one JSON line)."""
    from benchutil import emit, measure, threads_from_env
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    result = {}

    def run():
        np.random.seed(0)
        X, y = spiral(100, 3, 0.2)
        result["loss"], result["accuracy"] = train(X, y, iterations)

    records = measure(run, reps, warmup=1 if iterations <= 20000 else 0)
    emit("numpy", np.__version__, threads_from_env(), records, iterations=iterations, loss=result["loss"],
         accuracy=result["accuracy"])


if __name__ == "__main__":
    main()
