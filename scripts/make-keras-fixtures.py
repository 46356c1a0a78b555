#!/usr/bin/python3
"""Writes the Keras 2.x HDF5 test fixtures of trainer-core, with their expected outputs.

Regenerate (from the repository root; needs only Debian's python3-h5py and python3-numpy, no Keras):

    /usr/bin/python3 scripts/make-keras-fixtures.py trainer-core/src/test/resources/keras

The files are written the way Keras 2.2.4 `model.save()` writes them: root attributes `keras_version`,
`backend`, `model_config` and `training_config` (JSON as bytes), and a group `model_weights` with the
attributes `layer_names`, `backend`, `keras_version` and one group per layer holding `weight_names` and
datasets such as `dense_1/dense_1/kernel:0`. Weights and inputs are seeded random numbers; a rerun
writes byte-identical files (h5py 3.7, numpy 1.24).

For each model NAME the script writes NAME.h5 and NAME.json. The JSON holds the image shape, the
inputs as rows of C*H*W pixels in [0, 1] in channel-row-column (NCHW flattened) order, and the
softmax outputs that this script's own numpy forward pass (float64 on the stored float32 weights)
computes for them. The models:

  mlp.h5         Sequential: Flatten (28x28x1), Dense 8 relu, Dense 10 softmax
  cnn.h5         Sequential: Conv2D 3x3x4 relu (channels_last, 28x28x1), MaxPooling2D 2x2, Flatten,
                 Dense 10 softmax
  functional.h5  Model: InputLayer (8x8x3), Conv2D 3x3x4 relu, Flatten, Dense 16 relu, Dense 5 softmax
  cnn_channels_first.h5
                 Sequential, every layer channels_first: Conv2D 3x3x4 relu (3x8x8), MaxPooling2D 2x2,
                 Flatten, Dense 4 softmax (DL4J 1.0.0-M2.1 reads its kernel wrongly: advtrain rejects it)
  pool_channels_first.h5
                 Sequential, channels_first: MaxPooling2D 2x2 (3x8x8), Flatten, Dense 4 softmax
  mlp_channels_first.h5
                 Sequential: Flatten channels_first (3x8x8), Dense 4 softmax
  mlp_rgb.h5     Sequential: Flatten channels_last (8x8x3), Dense 4 softmax

and files that advtrain must reject, without a JSON file:

  vector_input.h5     Sequential: Dense 4 softmax on a vector of 64 (no image shape)
  lambda_layer.h5     Sequential: Flatten (8x8x1), Lambda, Dense 4 softmax (DL4J cannot import Lambda)
  weights_only.h5     what Keras's save_weights writes: the weights of mlp_rgb.h5, no model_config
  logits_output.h5    Sequential: Flatten (8x8x1), Dense 4 linear (logits, no softmax)
"""
import json
import os
import sys

import h5py
import numpy as np

KERAS_VERSION = "2.2.4"
BACKEND = "tensorflow"
SAMPLES = 3


def glorot():
    return {"class_name": "VarianceScaling",
            "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}}


def zeros():
    return {"class_name": "Zeros", "config": {}}


def regularisers_and_constraints():
    return {"kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None}


def dense(name, units, activation):
    config = {"name": name, "trainable": True, "units": units, "activation": activation, "use_bias": True,
              "kernel_initializer": glorot(), "bias_initializer": zeros()}
    config.update(regularisers_and_constraints())
    return {"class_name": "Dense", "config": config}


def conv2d(name, filters, kernel, activation, data_format="channels_last"):
    config = {"name": name, "trainable": True, "filters": filters, "kernel_size": [kernel, kernel],
              "strides": [1, 1], "padding": "valid", "data_format": data_format, "dilation_rate": [1, 1],
              "activation": activation, "use_bias": True, "kernel_initializer": glorot(),
              "bias_initializer": zeros()}
    config.update(regularisers_and_constraints())
    return {"class_name": "Conv2D", "config": config}


def max_pooling(name, size, data_format="channels_last"):
    return {"class_name": "MaxPooling2D",
            "config": {"name": name, "trainable": True, "pool_size": [size, size], "padding": "valid",
                       "strides": [size, size], "data_format": data_format}}


def flatten(name, data_format="channels_last"):
    return {"class_name": "Flatten", "config": {"name": name, "trainable": True, "data_format": data_format}}


def with_input_shape(layer, hwc):
    """Keras's batch_input_shape: (H, W, C) for channels_last, (C, H, W) for channels_first."""
    h, w, c = hwc
    channels_first = layer["config"].get("data_format") == "channels_first"
    layer["config"]["batch_input_shape"] = [None] + ([c, h, w] if channels_first else [h, w, c])
    layer["config"]["dtype"] = "float32"
    return layer


def training_config():
    return {"optimizer_config": {"class_name": "SGD",
                                 "config": {"lr": 0.01, "momentum": 0.0, "decay": 0.0, "nesterov": False}},
            "loss": "categorical_crossentropy", "metrics": ["accuracy"], "sample_weight_mode": None,
            "loss_weights": None}


# ---- numpy forward pass (NHWC, float64) ----

def relu(x):
    return np.maximum(x, 0.0)


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATIONS = {"relu": relu, "softmax": softmax, "linear": lambda x: x}


def conv_valid(x, kernel, bias):
    """Keras Conv2D, padding valid, stride 1: cross-correlation; x [N,H,W,C], kernel [kh,kw,C,F]."""
    kh, kw, _, filters = kernel.shape
    n, h, w, _ = x.shape
    out = np.zeros((n, h - kh + 1, w - kw + 1, filters))
    for i in range(h - kh + 1):
        for j in range(w - kw + 1):
            patch = x[:, i:i + kh, j:j + kw, :]
            out[:, i, j, :] = np.tensordot(patch, kernel, axes=([1, 2, 3], [0, 1, 2]))
    return out + bias


def max_pool(x, size):
    n, h, w, c = x.shape
    ho, wo = h // size, w // size
    x = x[:, :ho * size, :wo * size, :].reshape(n, ho, size, wo, size, c)
    return x.max(axis=(2, 4))


def forward(layers, weights, x_nhwc):
    """The model's output; images are kept NHWC throughout, whatever each layer's data_format."""
    x = x_nhwc.astype(np.float64)
    for layer in layers:
        kind, config = layer["class_name"], layer["config"]
        w = [v.astype(np.float64) for v in weights.get(config["name"], [])]
        if kind == "InputLayer":
            continue
        if kind == "Flatten":
            if config["data_format"] == "channels_first":
                x = x.transpose(0, 3, 1, 2)  # Keras flattens (C, H, W) row-major
            x = x.reshape(x.shape[0], -1)  # channels_last: row-major over (H, W, C)
        elif kind == "Dense":
            x = ACTIVATIONS[config["activation"]](x @ w[0] + w[1])
        elif kind == "Conv2D":
            x = ACTIVATIONS[config["activation"]](conv_valid(x, w[0], w[1]))
        elif kind == "MaxPooling2D":
            x = max_pool(x, config["pool_size"][0])
        else:
            raise ValueError("no forward pass for " + kind)
    return x


# ---- weights and files ----

def random_weights(rng, layers, hwc):
    """He-scaled normal kernels and small random biases, in Keras shapes."""
    weights = {}
    h, w, c = hwc
    flat = None
    for layer in layers:
        kind, config = layer["class_name"], layer["config"]
        if kind == "Conv2D":
            k = config["kernel_size"][0]
            f = config["filters"]
            kernel = rng.normal(0, np.sqrt(2.0 / (k * k * c)), (k, k, c, f))
            weights[config["name"]] = [kernel.astype(np.float32), rng.normal(0, 0.1, f).astype(np.float32)]
            h, w, c = h - k + 1, w - k + 1, f
        elif kind == "MaxPooling2D":
            s = config["pool_size"][0]
            h, w = h // s, w // s
        elif kind == "Flatten":
            flat = h * w * c
        elif kind == "Dense":
            fan_in = flat if flat is not None else h * w * c
            units = config["units"]
            kernel = rng.normal(0, np.sqrt(2.0 / fan_in), (fan_in, units))
            weights[config["name"]] = [kernel.astype(np.float32), rng.normal(0, 0.1, units).astype(np.float32)]
            flat = units
    return weights


def write_h5(path, model_config, layers, weights):
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
        f.attrs["backend"] = BACKEND.encode("utf8")
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        f.attrs["training_config"] = json.dumps(training_config()).encode("utf8")
        write_weights(f.create_group("model_weights"), layers, weights)


def write_weights_only(path, layers, weights):
    with h5py.File(path, "w") as f:
        write_weights(f, layers, weights)


def write_weights(root, layers, weights):
    """Keras's save_weights_to_hdf5_group: one group per layer, datasets named like dense_1/kernel:0."""
    names = [layer["config"]["name"] for layer in layers]
    root.attrs["layer_names"] = np.array([n.encode("utf8") for n in names])
    root.attrs["backend"] = BACKEND.encode("utf8")
    root.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
    for layer in layers:
        name = layer["config"]["name"]
        group = root.create_group(name)
        values = weights.get(name, [])
        weight_names = [name + "/kernel:0", name + "/bias:0"] if values else []
        group.attrs["weight_names"] = np.asarray([n.encode("utf8") for n in weight_names])
        for weight_name, value in zip(weight_names, values):
            group.create_dataset(weight_name, value.shape, dtype=value.dtype)[...] = value


def write_fixture(out_dir, name, model_config, layers, hwc, seed):
    rng = np.random.default_rng(seed)
    weights = random_weights(rng, layers, hwc)
    h, w, c = hwc
    x_nhwc = rng.random((SAMPLES, h, w, c)).astype(np.float32)
    expected = forward(layers, weights, x_nhwc)
    x_nchw_rows = x_nhwc.transpose(0, 3, 1, 2).reshape(SAMPLES, -1)
    write_h5(os.path.join(out_dir, name + ".h5"), model_config, layers, weights)
    record = {
        "model": name + ".h5",
        "channels": c, "height": h, "width": w, "classes": int(expected.shape[1]),
        "inputs_nchw_flat": x_nchw_rows.astype(np.float64).tolist(),
        "expected_outputs": expected.tolist(),
    }
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")


def write_model_only(out_dir, name, layers, hwc, seed):
    weights = random_weights(np.random.default_rng(seed), layers, hwc)
    write_h5(os.path.join(out_dir, name + ".h5"), sequential(layers), layers, weights)


def sequential(layers):
    return {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": layers}}


def functional(layers, input_name, output_name):
    previous = None
    for layer in layers:
        layer["name"] = layer["config"]["name"]
        layer["inbound_nodes"] = [] if previous is None else [[[previous, 0, 0, {}]]]
        previous = layer["name"]
    return {"class_name": "Model",
            "config": {"name": "model_1", "layers": layers,
                       "input_layers": [[input_name, 0, 0]], "output_layers": [[output_name, 0, 0]]}}


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "trainer-core/src/test/resources/keras"
    os.makedirs(out_dir, exist_ok=True)

    mlp = [with_input_shape(flatten("flatten_1"), (28, 28, 1)), dense("dense_1", 8, "relu"),
           dense("dense_2", 10, "softmax")]
    write_fixture(out_dir, "mlp", sequential(mlp), mlp, (28, 28, 1), seed=1)

    cnn = [with_input_shape(conv2d("conv2d_1", 4, 3, "relu"), (28, 28, 1)), max_pooling("max_pooling2d_1", 2),
           flatten("flatten_1"), dense("dense_1", 10, "softmax")]
    write_fixture(out_dir, "cnn", sequential(cnn), cnn, (28, 28, 1), seed=2)

    graph_input = {"class_name": "InputLayer",
                   "config": {"batch_input_shape": [None, 8, 8, 3], "dtype": "float32", "sparse": False,
                              "name": "input_1"}}
    graph = [graph_input, conv2d("conv2d_1", 4, 3, "relu"), flatten("flatten_1"), dense("dense_1", 16, "relu"),
             dense("dense_2", 5, "softmax")]
    write_fixture(out_dir, "functional", functional(graph, "input_1", "dense_2"), graph, (8, 8, 3), seed=3)

    first = "channels_first"
    cnn_cf = [with_input_shape(conv2d("conv2d_1", 4, 3, "relu", first), (8, 8, 3)),
              max_pooling("max_pooling2d_1", 2, first), flatten("flatten_1", first), dense("dense_1", 4, "softmax")]
    write_fixture(out_dir, "cnn_channels_first", sequential(cnn_cf), cnn_cf, (8, 8, 3), seed=4)

    pool_cf = [with_input_shape(max_pooling("max_pooling2d_1", 2, first), (8, 8, 3)), flatten("flatten_1", first),
               dense("dense_1", 4, "softmax")]
    write_fixture(out_dir, "pool_channels_first", sequential(pool_cf), pool_cf, (8, 8, 3), seed=5)

    mlp_cf = [with_input_shape(flatten("flatten_1", first), (8, 8, 3)), dense("dense_1", 4, "softmax")]
    write_fixture(out_dir, "mlp_channels_first", sequential(mlp_cf), mlp_cf, (8, 8, 3), seed=6)

    mlp_rgb = [with_input_shape(flatten("flatten_1"), (8, 8, 3)), dense("dense_1", 4, "softmax")]
    write_fixture(out_dir, "mlp_rgb", sequential(mlp_rgb), mlp_rgb, (8, 8, 3), seed=9)
    write_weights_only(os.path.join(out_dir, "weights_only.h5"), mlp_rgb,
                       random_weights(np.random.default_rng(9), mlp_rgb, (8, 8, 3)))

    vector = [dense("dense_1", 4, "softmax")]
    vector[0]["config"].update({"batch_input_shape": [None, 64], "dtype": "float32"})
    write_model_only(out_dir, "vector_input", vector, (1, 1, 64), seed=7)

    logits = [with_input_shape(flatten("flatten_1"), (8, 8, 1)), dense("dense_1", 4, "linear")]
    write_model_only(out_dir, "logits_output", logits, (8, 8, 1), seed=10)

    lambda_layer = {"class_name": "Lambda",
                    "config": {"name": "lambda_1", "trainable": True,
                               "function": ["(marshalled Python bytecode; nothing reads it)", None, None],
                               "function_type": "lambda", "output_shape": None, "output_shape_type": "raw",
                               "arguments": {}}}
    lambdas = [with_input_shape(flatten("flatten_1"), (8, 8, 1)), lambda_layer, dense("dense_1", 4, "softmax")]
    write_model_only(out_dir, "lambda_layer", lambdas, (8, 8, 1), seed=8)


if __name__ == "__main__":
    main()
