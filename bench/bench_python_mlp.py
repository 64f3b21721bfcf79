"""An MLP 784-256-10 training step written in Python, against PyTorch (CPU) in the same run;
ratios > 1: we are slower.

    python bench/bench_python_mlp.py [batch [threads]]

1. t7.nn.functional (linear, relu, cross_entropy) + autograd + t7.optim.SGD;
2. the same step with a Lua nn.Sequential (Linear, ReLU, Linear) inside the Python graph
   (t7.nn.Lua), loss and optimizer in Python.
Both against the PyTorch step: F.linear/F.relu/F.cross_entropy, backward, optim.SGD; float32,
the same batch, the same thread count.
"""
import sys
import time

import numpy as np

import torch7_compat as t7
from torch7_compat._native import core
from torch7_compat.nn import functional as F
from torch7_compat.optim import SGD

ROUNDS = 7
STEPS = 50


def timed(steps):
    """Seconds per call of each step: the best of ROUNDS rounds, the rounds of the steps
    interleaved (the machine's load then weighs on all of them alike)."""
    for step in steps:
        for _ in range(5):
            step()
    best = [float("inf")] * len(steps)
    for _ in range(ROUNDS):
        for k, step in enumerate(steps):
            start = time.perf_counter()
            for _ in range(STEPS):
                step()
            best[k] = min(best[k], (time.perf_counter() - start) / STEPS)
    return best


def data(batch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, 784)).astype(np.float32)
    y = rng.integers(0, 10, batch).astype(np.int64)
    w1 = (rng.standard_normal((256, 784)) * 0.05).astype(np.float32)
    w2 = (rng.standard_normal((10, 256)) * 0.05).astype(np.float32)
    return x, y, w1, np.zeros(256, np.float32), w2, np.zeros(10, np.float32)


def t7_functional_step(batch):
    x, y, *weights = data(batch)
    x, y = core.from_numpy(x), core.from_numpy(y)
    params = [t7.nn.Parameter(core.from_numpy(w.copy())) for w in weights]
    w1, b1, w2, b2 = params
    optimizer = SGD(params, lr=0.01)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(F.linear(F.relu(F.linear(x, w1, b1)), w2, b2), y)
        loss.backward()
        optimizer.step()
    return step


def t7_lua_step(batch):
    x, y, w1, b1, w2, b2 = data(batch)
    x, y = core.from_numpy(x), core.from_numpy(y)
    nn = t7.require("nn")
    lua_model = nn.Sequential().add(nn.Linear(784, 256)).add(nn.ReLU()).add(
        nn.Linear(256, 10)).float()
    model = t7.nn.Lua(lua_model)
    for parameter, value in zip(model.parameters(), (w1, b1, w2, b2)):
        parameter.numpy()[...] = value
    optimizer = SGD(model.parameters(), lr=0.01)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    return step


def torch_step(batch):
    import torch
    x, y, *weights = data(batch)
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    params = [torch.from_numpy(w.copy()).requires_grad_() for w in weights]
    w1, b1, w2, b2 = params
    optimizer = torch.optim.SGD(params, lr=0.01)
    tf = torch.nn.functional

    def step():
        optimizer.zero_grad()
        loss = tf.cross_entropy(tf.linear(tf.relu(tf.linear(x, w1, b1)), w2, b2), y)
        loss.backward()
        optimizer.step()
    return step


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    import torch
    if len(sys.argv) > 2:
        t7.lua.execute("torch.setnumthreads(%d)" % int(sys.argv[2]))
    threads = int(t7.lua.eval("torch.getnumthreads()"))
    torch.set_num_threads(threads)
    print("MLP 784-256-10 train step, batch %d, float32, %d threads (torch %s)"
          % (batch, threads, torch.__version__))
    names = ("t7 functional + autograd + SGD", "t7.nn.Lua(nn.Sequential) + SGD")
    reference, *ours = timed([torch_step(batch), t7_functional_step(batch), t7_lua_step(batch)])
    print("  %-32s %8.1f us" % ("PyTorch", reference * 1e6))
    for name, seconds in zip(names, ours):
        print("  %-32s %8.1f us   ratio %.2f" % (name, seconds * 1e6, seconds / reference))

if __name__ == "__main__":
    main()
