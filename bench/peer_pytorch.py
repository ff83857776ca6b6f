#!/usr/bin/env python3
"""The peer: Trainbench's preset models trained by PyTorch from Python on the same files, with
the same layers, Adam (lr 1e-3, eps 1e-7), batch 32, one epoch, a 10000-element shuffle
approximated by a full shuffle.
usage: peer_pytorch.py DATA THREADS [LIMIT] [MODEL] [--tuned] [--device=cuda] [--epochs=N]
MODEL: seed-cnn (default), lenet5, mlp, deep-cnn, color-cnn (DATA then a CIFAR-10 binary folder:
data_batch_1.bin ... and test_batch.bin, in DATA or DATA/cifar-10-batches-bin).
--tuned: flush denormals, foreach Adam, zero_grad(set_to_none=True) and one OpenBLAS thread (so
that with THREADS > 1 libtorch's pool has the cores: OpenBLAS's own threads would fight it), the
usual advice for CPU training; on CUDA, fused Adam and set_to_none. --device=cuda keeps the
whole training set on the GPU (the peer's best case: no per-batch copies), times each epoch up
to a synchronize, and evaluates the test set after the last epoch.
Prints one JSON line: {"model": M, "threads": N, "tuned": B, "samples_per_second": X, ...}, with
"device", "epoch_seconds" and, on CUDA, "test_accuracy"."""
import json
import os
import sys
import time

if "--tuned" in sys.argv:
    # Before numpy and torch load OpenBLAS, which reads it once.
    os.environ["OPENBLAS_NUM_THREADS"] = "1"

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def read_cifar(paths):
    # CIFAR-10's binary records: a label byte, then 32x32 red, green and blue planes.
    records = np.concatenate([np.fromfile(p, dtype=np.uint8).reshape(-1, 1 + 3 * 32 * 32)
                              for p in paths])
    return records[:, 1:].reshape(-1, 3, 32, 32), records[:, 0].astype(np.int64)


def read_data(data_dir, train):
    """Images as (N, C, H, W) uint8 and labels, from IDX files or, as Trainbench looks for them
    after those, CIFAR-10 batches in DATA or DATA/cifar-10-batches-bin."""
    prefix = "train" if train else "t10k"
    if not os.path.exists(f"{data_dir}/{prefix}-images-idx3-ubyte"):
        for folder in (data_dir, f"{data_dir}/cifar-10-batches-bin"):
            names = ([f"data_batch_{b}.bin" for b in range(1, 6)] if train else ["test_batch.bin"])
            paths = [f"{folder}/{n}" for n in names if os.path.exists(f"{folder}/{n}")]
            if paths:
                return read_cifar(paths)
    images = read_idx(f"{data_dir}/{prefix}-images-idx3-ubyte")
    labels = read_idx(f"{data_dir}/{prefix}-labels-idx1-ubyte").astype(np.int64)
    return images[:, None], labels


def build(name):
    def conv_bn(cin, cout):
        # Keras order, as Trainbench builds it: convolution, ReLU, then BatchNorm (eps 1e-3).
        return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(cout, eps=1e-3),
                nn.MaxPool2d(2)]
    if name == "seed-cnn":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(6272, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    if name == "lenet5":
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    if name == "mlp":
        return nn.Sequential(
            nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2),
            nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    if name == "deep-cnn":
        return nn.Sequential(
            *conv_bn(1, 32), *conv_bn(32, 64), *conv_bn(64, 128), nn.Dropout(0.25), nn.Flatten(),
            nn.Linear(1152, 256), nn.ReLU(), nn.BatchNorm1d(256, eps=1e-3), nn.Dropout(0.4),
            nn.Linear(256, 10))
    if name == "color-cnn":
        return nn.Sequential(
            *conv_bn(3, 32), *conv_bn(32, 64), *conv_bn(64, 128), nn.Dropout(0.3), nn.Flatten(),
            nn.Linear(2048, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
    raise SystemExit(f"unknown model {name}")


def option(name, default):
    prefix = f"--{name}="
    return next((a[len(prefix):] for a in sys.argv[1:] if a.startswith(prefix)), default)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    tuned = "--tuned" in sys.argv
    device = torch.device(option("device", "cpu"))
    epochs = int(option("epochs", "1"))
    data_dir = args[0]
    threads = int(args[1])
    limit = int(args[2]) if len(args) > 2 else 0
    name = args[3] if len(args) > 3 else "seed-cnn"
    cuda = device.type == "cuda"
    torch.set_num_threads(threads)
    if tuned:
        torch.set_flush_denormal(True)
    torch.manual_seed(0)
    images, labels = read_data(data_dir, True)
    if limit:
        images, labels = images[:limit], labels[:limit]
    x_all = torch.from_numpy(images.copy()).to(device)
    y_all = torch.from_numpy(labels.copy()).to(device)
    model = build(name).to(device)
    model.train()
    fast = ({"fused": True} if cuda else {"foreach": True}) if tuned else {}
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, **fast)
    loss_fn = nn.CrossEntropyLoss()
    epoch_seconds = []
    for _ in range(epochs):
        order = torch.randperm(len(y_all), device=device)
        if cuda:
            torch.cuda.synchronize()
        start = time.perf_counter()
        for i in range(0, len(order), 32):
            idx = order[i:i + 32]
            if len(idx) < 2 and name == "deep-cnn":
                continue  # BatchNorm1d cannot train on one sample
            x = x_all[idx].float().div_(255.0)
            y = y_all[idx]
            optimizer.zero_grad(set_to_none=tuned)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
        if cuda:
            torch.cuda.synchronize()
        epoch_seconds.append(time.perf_counter() - start)
    result = {"model": name, "threads": threads, "tuned": tuned, "device": str(device),
              "samples_per_second": len(y_all) / min(epoch_seconds),
              "epoch_seconds": epoch_seconds}
    if cuda:
        model.eval()
        test_images, test_labels = read_data(data_dir, False)
        test_x = torch.from_numpy(test_images.copy())
        test_y = torch.from_numpy(test_labels)
        with torch.no_grad():
            logits = model(test_x.to(device).float().div_(255.0))
        result["test_accuracy"] = (logits.argmax(1).cpu() == test_y).double().mean().item()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
