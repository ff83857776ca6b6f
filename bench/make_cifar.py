#!/usr/bin/env python3
"""Made-up colour images in CIFAR-10's binary format, for speed measurements where CIFAR-10 itself
is not at hand (no registry ships it; the speed does not depend on what the pixels show).
usage: make_cifar.py DIR TRAIN TEST
Writes DIR/data_batch_1.bin with TRAIN records and DIR/test_batch.bin with TEST records, each a
label byte (0-9 in turn) and 32x32 red, green and blue planes of seeded random bytes. Plain
Python (3.9 or later), so it runs where numpy is not installed."""
import os
import random
import sys


def main():
    folder, train, test = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(0)
    for name, count in (("data_batch_1.bin", train), ("test_batch.bin", test)):
        with open(os.path.join(folder, name), "wb") as f:
            for i in range(count):
                f.write(bytes([i % 10]) + rng.randbytes(3 * 32 * 32))


if __name__ == "__main__":
    main()
