"""A custom differentiable operation: subclass t7.autograd.Function, write forward and
backward, check the gradient with gradcheck, use it in training.

    python python/custom_function.py

The operation is a "soft clamp": x inside [-1, 1] passes, beyond it is squashed by tanh
so its gradient never vanishes completely.
"""
import numpy as np

import torch7_compat as t7
from torch7_compat.autograd import Function, gradcheck
from torch7_compat.nn import functional as F


class SoftClamp(Function):
    @staticmethod
    def forward(ctx, x, knee):
        v = x.numpy()
        ctx.save_for_backward(x)
        ctx.knee = knee
        outside = np.abs(v) > knee
        squashed = np.sign(v) * (knee + np.tanh(np.abs(v) - knee))
        return t7.from_numpy(np.where(outside, squashed, v))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        v = x.numpy()
        slope = np.where(np.abs(v) > ctx.knee, 1 - np.tanh(np.abs(v) - ctx.knee) ** 2, 1.0)
        return t7.from_numpy(grad.numpy() * slope), None     # no gradient for `knee`


def main():
    x = t7.from_numpy(np.linspace(-3, 3, 7))
    x.requires_grad = True
    y = SoftClamp.apply(x, 1.0)
    print("soft clamp of", x.numpy().round(2), "=", y.numpy().round(3))
    print("grad_fn:", y.grad_fn.name())
    print("gradcheck:", gradcheck(lambda t: SoftClamp.apply(t, 1.0), (x,)))

    # in a model: fit w so that soft_clamp(a @ w.T) matches a target made with known weights
    rng = np.random.default_rng(0)
    a = t7.from_numpy(rng.standard_normal((64, 3)))
    true_w = np.array([[0.5, -2.0, 1.5]])
    with t7.no_grad():
        target = SoftClamp.apply(t7.from_numpy(a.numpy() @ true_w.T), 1.0)
    w = t7.nn.Parameter(t7.from_numpy(np.zeros((1, 3))))
    optimizer = t7.optim.SGD([w], lr=0.5)
    for step in range(300):
        optimizer.zero_grad()
        loss = F.mse_loss(SoftClamp.apply(F.linear(a, w), 1.0), target)
        loss.backward()
        optimizer.step()
    print("learned w:", w.numpy().round(3), "(true: %s)" % true_w)


if __name__ == "__main__":
    main()
