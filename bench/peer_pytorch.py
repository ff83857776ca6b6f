#!/usr/bin/env python3
"""The peer: the tutorial's CNN trained by PyTorch from Python on the same IDX files, the same
model (Conv2D 32 3x3 same + ReLU, MaxPool 2, Dense 256, Dense 128, Dense 10), Adam (lr 1e-3,
eps 1e-7), batch 32, one epoch, a 10000-element shuffle approximated by a full shuffle.
Prints one JSON line: {"threads": N, "samples_per_second": X}."""
import json
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def main():
    data_dir = sys.argv[1]
    threads = int(sys.argv[2])
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    images = read_idx(f"{data_dir}/train-images-idx3-ubyte")
    labels = read_idx(f"{data_dir}/train-labels-idx1-ubyte").astype(np.int64)
    if limit:
        images, labels = images[:limit], labels[:limit]
    x_all = torch.from_numpy(images.copy()).unsqueeze(1)
    y_all = torch.from_numpy(labels.copy())
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(6272, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(y_all))
    start = time.perf_counter()
    for i in range(0, len(order), 32):
        idx = order[i:i + 32]
        x = x_all[idx].float().div_(255.0)
        y = y_all[idx]
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    seconds = time.perf_counter() - start
    print(json.dumps({"threads": threads, "samples_per_second": len(order) / seconds}))


if __name__ == "__main__":
    main()
