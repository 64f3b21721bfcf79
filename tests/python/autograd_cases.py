"""Shared pieces of the autograd, functional, nn.Module and mixing tests."""
import numpy as np

import torch7_compat as t7
from torch7_compat.autograd.dispatch import dispatch

RNG = np.random.default_rng(11)


def tensor(values, requires_grad=False, dtype=np.float64):
    """A Tensor owning a copy of `values`."""
    t = t7.from_numpy(np.array(values, dtype=dtype))
    t.requires_grad = requires_grad
    return t


def rand(*shape, requires_grad=True):
    return tensor(RNG.standard_normal(shape), requires_grad)


def op(name, *args, **kwargs):
    """The differentiable form of Tensor method `name` (what x.name(...) runs when x
    requires grad)."""
    return dispatch(name, args, kwargs)


def value(t):
    """A tensor's values as a numpy array (a copy)."""
    return np.array(t.numpy())


def numerical_gradient(f, x, eps=1e-6):
    """Central differences of the scalar f() with respect to each element of numpy array x
    (changed in place and restored)."""
    grad = np.zeros_like(x)
    flat, out = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        plus = f()
        flat[i] = saved - eps
        minus = f()
        flat[i] = saved
        out[i] = (plus - minus) / (2 * eps)
    return grad
