#!/usr/bin/python3
"""This machine's native single-precision matrix-multiply throughput: NumPy's BLAS (OpenBLAS on Debian
with libopenblas0-pthread) on float32 n×n matrices, the yardstick shiftlab's training GFLOP/s is read
against. The thread count must be fixed before NumPy loads its BLAS, so each count is its own process:

    /usr/bin/python3 bench/pytorch/sgemm.py --threads 1 [--n 1024] [--runs 5]

Prints one JSON object: the median GFLOP/s of --runs multiplies (2·n³ flops each) after one warm-up.
"""
import argparse
import json
import os
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--n', type=int, default=1024)
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()
    for name in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ[name] = str(args.threads)
    if 'numpy' in sys.modules:
        raise SystemExit('numpy was loaded before the thread count was set')
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((args.n, args.n), dtype=np.float32)
    b = rng.standard_normal((args.n, args.n), dtype=np.float32)
    a @ b
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - started)
    times.sort()
    seconds = times[len(times) // 2]
    maps = [line.split()[-1] for line in open('/proc/self/maps')]
    blas = next((path for path in maps if 'libblas' in path or 'libopenblas' in path), 'unknown')
    print(json.dumps({
        'benchmark': 'sgemm',
        'threads': args.threads,
        'n': args.n,
        'gflops': round(2 * args.n ** 3 / seconds / 1e9, 1),
        'blas': blas,
        'numpy': np.__version__,
    }))


if __name__ == '__main__':
    main()
