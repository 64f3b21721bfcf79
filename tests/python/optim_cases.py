"""Shared pieces of the optimizer tests: a smooth problem whose gradient numpy computes,
and drivers that run t7.optim, a numpy reference or torch.optim on it."""
import numpy as np

import torch7_compat as t7

RNG = np.random.default_rng(7)
SHAPES = [(3, 4), (4,), (2, 1)]
_A = {s: RNG.standard_normal((int(np.prod(s)),) * 2) for s in SHAPES}
MATRICES = {s: a @ a.T / a.shape[0] + np.eye(a.shape[0]) for s, a in _A.items()}
TARGETS = {s: RNG.standard_normal(s) for s in SHAPES}
STARTS = [RNG.standard_normal(s) for s in SHAPES]


def gradient(p):
    """The gradient of 1/2 (p-c)' A (p-c) + 0.1 sum(sin p): curved, not only quadratic."""
    shape = p.shape
    flat = (p - TARGETS[shape]).reshape(-1)
    return (MATRICES[shape] @ flat).reshape(shape) + 0.1 * np.cos(p)


def loss(p):
    flat = (p - TARGETS[p.shape]).reshape(-1)
    return 0.5 * flat @ MATRICES[p.shape] @ flat + 0.1 * np.sin(p).sum()


def t7_params(dtype=np.float64):
    return [t7.from_numpy(s.astype(dtype)) for s in STARTS]


def run_t7(optimizer_class, steps, dtype=np.float64, **options):
    params = t7_params(dtype)
    optimizer = optimizer_class(params, **options)
    for _ in range(steps):
        for p in params:
            p.grad = t7.from_numpy(gradient(p.numpy().astype(np.float64)).astype(dtype))
        optimizer.step()
    return [p.numpy().copy() for p in params], optimizer


def run_torch(torch, class_name, steps, **options):
    params = [torch.tensor(s, requires_grad=True) for s in STARTS]
    optimizer = getattr(torch.optim, class_name)(params, **options)
    for _ in range(steps):
        for p in params:
            p.grad = torch.from_numpy(gradient(p.detach().numpy()))
        optimizer.step()
    return [p.detach().numpy() for p in params]


def run_reference(update, steps):
    """Runs update(p, g, state, t) -> new p per parameter, t counting from 1."""
    params = [s.copy() for s in STARTS]
    states = [{} for _ in params]
    for t in range(1, steps + 1):
        params = [update(p, gradient(p), state, t) for p, state in zip(params, states)]
    return params
