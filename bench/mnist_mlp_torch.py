"""Reference for the MNIST MLP benchmark: one epoch of notebook 05's network in PyTorch on the CPU.

The network is 784-100-10 with a sigmoid hidden layer (nn.Linear's default initialization), softmax cross-entropy on
the raw scores, Adam with learning rate 1e-3, mini-batches of 100. The data are the same IDX files nnlab reads
(NNLAB_DATA/mnist or data/mnist), scaled to [0, 1] and normalized with MNIST's mean 0.1307 and std 0.3081, and the
batch order is nnlab's: the first epoch of Trainer.miniBatches(100, epochs, seed) visits the samples in the order of
np.random.RandomState(seed).permutation(60000).

Usage: mnist_mlp_torch.py DATA_DIR REPEATS SEED THREADS DTYPE [IMAGES]   (DTYPE float32 or float64; IMAGES: the
first IMAGES training images only, for the quick mode)
Prints one JSON line (bench/benchutil.py): each timed epoch, the mean batch loss of the last one, peak RSS in MB.
"""
import gzip
import os
import resource
import sys

import numpy as np
import torch

from benchutil import emit, measure


def idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(folder, name):
    for candidate in (name, name[:-3]):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            return path
    raise SystemExit(f"{name} is not in {folder}")


def main():
    folder, repeats, seed, threads, dtype = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    limit = int(sys.argv[6]) if len(sys.argv) > 6 else None
    torch.set_num_threads(threads)
    dt = {"float32": torch.float32, "float64": torch.float64}[dtype]
    images = idx(find(folder, "train-images-idx3-ubyte.gz")).reshape(-1, 784)
    labels = idx(find(folder, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    x = torch.tensor((images / 255.0 - 0.1307) / 0.3081, dtype=dt)
    y = torch.tensor(labels)
    n = x.shape[0] if limit is None else min(limit, x.shape[0])
    order = torch.tensor(np.random.RandomState(seed).permutation(n))
    state = {"run": 0, "loss": float("nan")}

    def epoch(images):
        torch.manual_seed(state["run"])
        state["run"] += 1
        model = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.Sigmoid(), torch.nn.Linear(100, 10)).to(dt)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        criterion = torch.nn.CrossEntropyLoss()
        total = 0.0
        for i in range(0, images, 100):
            idx_b = order[i:i + 100]
            opt.zero_grad()
            loss = criterion(model(x[idx_b]), y[idx_b])
            loss.backward()
            opt.step()
            total += loss.item()
        state["loss"] = total / ((images + 99) // 100)

    epoch(min(2000, n))  # warm-up: 20 batches, not counted
    records = measure(lambda: epoch(n), repeats, warmup=0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    emit("torch-" + dtype, torch.__version__, threads, records, loss=state["loss"], peak_rss_mb=peak_mb)

if __name__ == "__main__":
    main()
