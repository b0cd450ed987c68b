"""Reference for the conv benchmark: one epoch of the seed's MNIST conv net in PyTorch on the CPU.

Four 3x3 convolutions with padding 1 (16, 16, 32, 32 channels, ReLU after each), 2x2 max-pooling after the second
and the fourth, a linear layer to 10; softmax cross-entropy, plain SGD with learning rate 0.01, batches of 100, on
random inputs of MNIST's shape (the time does not depend on the pixel values). Runs on 2 threads, like nnlab on this
machine's 2 cores. Arguments: images per epoch, number of segments the epoch is timed in, dtype (float32 or float64).
Prints one JSON line (bench/benchutil.py): each segment's time scaled to the whole epoch, and the final loss.
"""
import sys

import torch
from torch import nn

from benchutil import emit, measure


def main():
    images = int(sys.argv[1]) if len(sys.argv) > 1 else 60000
    segments = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    dtype = torch.float64 if len(sys.argv) > 3 and sys.argv[3] == "float64" else torch.float32
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10)).to(dtype)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(images, 1, 28, 28, dtype=dtype)
    y = torch.randint(0, 10, (images,))
    batch = 100

    def step(i):
        opt.zero_grad()
        loss = loss_fn(model(x[i:i + batch]), y[i:i + batch])
        loss.backward()
        opt.step()
        return loss.item()

    for i in range(0, min(10 * batch, images), batch):  # warm-up
        step(i)
    per = images // segments // batch * batch
    state = {"segment": 0, "loss": float("nan")}

    def segment():
        s = state["segment"]
        state["segment"] += 1
        for i in range(s * per, (s + 1) * per, batch):
            state["loss"] = step(i)

    records = measure(segment, segments, warmup=0)
    for r in records:  # each segment scaled to the whole epoch
        r["wall"] *= images / per
        r["cpu"] *= images / per
    emit("torch-" + ("float64" if dtype == torch.float64 else "float32"), torch.__version__,
         torch.get_num_threads(), records, loss=state["loss"])

if __name__ == "__main__":
    main()
