#!/usr/bin/python3
"""PyTorch side of docs/performance.md: the same small CNN, batch and attack loops as
trainer-bench's AttackLoopBenchmark, on CPU with 2 threads. A measuring stick, not a dependency.

Run with Debian's python3-torch:  /usr/bin/python3 bench/torch_attack_primitives.py
"""
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(0)
BATCH = 128
EPS = 0.1


def small_cnn():
    # advtrain's small-cnn: conv5x5x16, maxpool, conv5x5x32, maxpool, dense 256, 10 classes.
    return nn.Sequential(
        nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10)).eval()


def input_gradient(model, x, y):
    x = x.detach().requires_grad_(True)
    loss = F.cross_entropy(model(x), y, reduction="sum")
    return torch.autograd.grad(loss, x)[0]


def pgd(model, x, y, steps, step=0.025):
    # torchattacks' PGD loop: random start, signed steps, projection and clipping each step.
    adv = (x + torch.empty_like(x).uniform_(-EPS, EPS)).clamp(0, 1)
    for _ in range(steps):
        grad = input_gradient(model, adv, y)
        adv = adv.detach() + step * grad.sign()
        adv = (x + (adv - x).clamp(-EPS, EPS)).clamp(0, 1)
    return adv


def timed(fn, seconds=5.0):
    fn()  # warm-up
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        fn()
        calls += 1
    return (time.perf_counter() - start) / calls * 1000.0


def main():
    model = small_cnn()
    x = torch.rand(BATCH, 1, 28, 28)
    y = torch.arange(BATCH) % 10

    def with_weight_gradients():
        # What DL4J's backward pass always does: the weights' gradients as well as the input's.
        xg = x.detach().requires_grad_(True)
        F.cross_entropy(model(xg), y, reduction="sum").backward()
        model.zero_grad(set_to_none=True)

    full = timed(with_weight_gradients)
    for p in model.parameters():
        p.requires_grad_(False)
    with torch.no_grad():
        inference = timed(lambda: model(x))
    grad = timed(lambda: input_gradient(model, x, y))
    results = {"inference": inference, "input gradient": grad, "input+weight grad": full}
    for steps in (10, 20):
        results[f"pgd-{steps}"] = timed(lambda: pgd(model, x, y, steps))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, batch {BATCH}")
    for name, ms in results.items():
        print(f"{name:16s} {ms:9.2f} ms/batch  {BATCH / ms * 1000:9.0f} img/s")
    for steps in (10, 20):
        overhead = results[f"pgd-{steps}"] / (steps * grad) - 1
        print(f"pgd-{steps} loop overhead over {steps} gradient passes: {overhead * 100:+.1f}%")


if __name__ == "__main__":
    main()
