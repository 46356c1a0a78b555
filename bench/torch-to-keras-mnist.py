#!/usr/bin/python3
"""Trains a small CNN on normalised MNIST with PyTorch (CPU, one thread) and writes it as a Keras 2
HDF5 Sequential model (channels_last), the way a user brings "a Keras model trained elsewhere" to
advtrain. No TensorFlow or Keras needed: the file is written with the writers of
scripts/make-keras-fixtures.py. docs/results.md ("Fine-tuning a Keras model trained elsewhere") has
the run.

    /usr/bin/python3 bench/torch-to-keras-mnist.py [DATA_DIR] [OUT.h5]

DATA_DIR (default data/mnist) holds the four MNIST IDX files; OUT.h5 defaults to
runs/torch-mnist.h5. Beside it, OUT.json holds the first 100 test images (NCHW-flattened pixels in
[0, 1], not normalised), their labels and PyTorch's softmax outputs for them (normalised inside, as
the Keras model expects with advtrain's model.normalize), so the import can be checked.
The model expects normalised inputs: (pixel - 0.1307) / 0.3081.
"""
import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN, STD = 0.1307, 0.3081
EPOCHS, BATCH, LR, SEED, CHECK = 2, 64, 1e-3, 0, 100

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("fixtures", os.path.join(ROOT, "scripts", "make-keras-fixtures.py"))
kf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(kf)


def idx(path):
    """An IDX file as a numpy array (big-endian header: magic, then one int32 per dimension)."""
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, prefix):
    images = idx(os.path.join(data_dir, prefix + "-images-idx3-ubyte")).astype(np.float32) / 255.0
    labels = idx(os.path.join(data_dir, prefix + "-labels-idx1-ubyte")).astype(np.int64)
    return torch.from_numpy(images[:, None, :, :]), torch.from_numpy(labels)   # N,1,28,28 in [0, 1]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 5)
        self.conv2 = nn.Conv2d(16, 32, 5)
        self.fc1 = nn.Linear(512, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):   # x already normalised; returns logits
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)      # 16 x 12 x 12
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)      # 32 x 4 x 4
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


def normalise(x):
    return (x - MEAN) / STD


def accuracy(net, x, y):
    with torch.no_grad():
        return sum((net(normalise(x[i:i + 1000])).argmax(1) == y[i:i + 1000]).sum().item()
                   for i in range(0, len(x), 1000)) / len(x)


def keras_weights(net):
    """PyTorch tensors in Keras's layouts, keyed by Keras layer name."""
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    conv = lambda w: w.transpose(2, 3, 1, 0)                 # [out,in,kh,kw] -> [kh,kw,in,out]
    # fc1's inputs are PyTorch's flatten order (C, H, W); Keras channels_last flattens (H, W, C).
    fc1 = sd["fc1.weight"].reshape(128, 32, 4, 4).transpose(0, 2, 3, 1).reshape(128, 512)
    return {"conv2d_1": [conv(sd["conv1.weight"]), sd["conv1.bias"]],
            "conv2d_2": [conv(sd["conv2.weight"]), sd["conv2.bias"]],
            "dense_1": [np.ascontiguousarray(fc1.T), sd["fc1.bias"]],              # [out,in] -> [in,out]
            "dense_2": [np.ascontiguousarray(sd["fc2.weight"].T), sd["fc2.bias"]]}


def keras_layers():
    return [kf.with_input_shape(kf.conv2d("conv2d_1", 16, 5, "relu"), (28, 28, 1)),
            kf.max_pooling("max_pooling2d_1", 2),
            kf.conv2d("conv2d_2", 32, 5, "relu"),
            kf.max_pooling("max_pooling2d_2", 2),
            kf.flatten("flatten_1"),
            kf.dense("dense_1", 128, "relu"),
            kf.dense("dense_2", 10, "softmax")]


def main():
    data_dir = sys.argv[1] if len(sys.argv) > 1 else "data/mnist"
    out = sys.argv[2] if len(sys.argv) > 2 else "runs/torch-mnist.h5"
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    x_train, y_train = load(data_dir, "train")
    x_test, y_test = load(data_dir, "t10k")

    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    start = time.time()
    for epoch in range(EPOCHS):
        net.train()
        order = torch.randperm(len(x_train))
        for i in range(0, len(order), BATCH):
            b = order[i:i + BATCH]
            loss = F.cross_entropy(net(normalise(x_train[b])), y_train[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch + 1}: last batch loss {loss.item():.4f}, {time.time() - start:.0f} s", flush=True)
    net.eval()
    test_acc = accuracy(net, x_test, y_test)
    print(f"PyTorch test accuracy: {test_acc:.4f} (10,000 images), training {time.time() - start:.0f} s")

    # The Keras file, with a numpy check of the layout conversion (the fixtures' forward pass).
    layers, weights = keras_layers(), keras_weights(net)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    kf.write_h5(out, kf.sequential(layers), layers, weights)
    x = x_test[:CHECK]
    with torch.no_grad():
        probs = F.softmax(net(normalise(x)), dim=1).numpy().astype(np.float64)
    keras_probs = kf.forward(layers, weights, normalise(x).numpy().transpose(0, 2, 3, 1))
    print(f"numpy forward pass of the Keras weights vs PyTorch: max |diff| {np.abs(keras_probs - probs).max():.2e}")

    record = {"model": os.path.basename(out), "channels": 1, "height": 28, "width": 28, "classes": 10,
              "mean": [MEAN], "std": [STD], "pytorch_test_accuracy": test_acc,
              "inputs_nchw_flat": x.reshape(CHECK, -1).numpy().astype(np.float64).tolist(),
              "labels": y_test[:CHECK].tolist(), "expected_outputs": probs.tolist()}
    with open(os.path.splitext(out)[0] + ".json", "w") as f:
        json.dump(record, f)
    print("wrote", out, "and", os.path.splitext(out)[0] + ".json")


if __name__ == "__main__":
    main()
