"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""
from typing import Any, Callable, Optional

import numpy

from .optimizer import Optimizer, ParamsT, array_of, check_non_negative, required, \
    state_tensor


class SGD(Optimizer):
    """PyTorch's SGD: g = grad (+ weight_decay * p); with momentum,
    buf = momentum * buf + (1 - dampening) * g (buf = g at the first step), then
    g = g + momentum * buf (nesterov) or g = buf; p -= lr * g. maximize ascends."""

    def __init__(self, params: ParamsT, lr: float = required, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False,
                 *, maximize: bool = False) -> None:
        if lr is not required:
            check_non_negative("learning rate", lr)
        check_non_negative("momentum value", momentum)
        check_non_negative("weight_decay value", weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize))

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, momentum = group["lr"], group["momentum"]
            dampening, weight_decay = group["dampening"], group["weight_decay"]
            for param, p, g in self._with_grads(group):
                if weight_decay != 0:
                    g = g + weight_decay * p
                if momentum != 0:
                    state = self.state[param]
                    buffer = state.get("momentum_buffer")
                    if buffer is None:
                        b = numpy.array(g, dtype=p.dtype)
                        state["momentum_buffer"] = state_tensor(
                            b.reshape(param.numpy().shape))
                    else:
                        b = array_of(buffer)
                        b *= momentum
                        b += g if dampening == 0 else (1 - dampening) * g
                    g = g + momentum * b if group["nesterov"] else b
                p -= lr * g
        return loss
