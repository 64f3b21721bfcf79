"""Adam, and the update shared with AdamW (which decays the weights apart from the
gradient)."""
import math
from typing import Any, Callable, Optional, Tuple

import numpy

from .optimizer import Optimizer, ParamsT, array_of, check_non_negative, new_state


def check_betas(betas: Tuple[float, float]) -> None:
    for index, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError("Invalid beta parameter at index %d: %s" % (index, beta))


class Adam(Optimizer):
    """PyTorch's Adam: m = beta1 m + (1-beta1) g, v = beta2 v + (1-beta2) g^2,
    p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps); amsgrad uses the
    running maximum of v. weight_decay adds weight_decay * p to the gradient (L2)."""

    decoupled_weight_decay = False

    def __init__(self, params: ParamsT, lr: float = 1e-3,
                 betas: Tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        check_non_negative("learning rate", lr)
        check_non_negative("epsilon value", eps)
        check_betas(betas)
        check_non_negative("weight_decay value", weight_decay)
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize))

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, (beta1, beta2) = group["lr"], group["betas"]
            eps, weight_decay = group["eps"], group["weight_decay"]
            for param, p, g in self._with_grads(group):
                state = self.state[param]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = new_state(param)
                    state["exp_avg_sq"] = new_state(param)
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = new_state(param)
                state["step"] += 1
                step = state["step"]
                if weight_decay != 0:
                    if self.decoupled_weight_decay:
                        p *= 1 - lr * weight_decay
                    else:
                        g = g + weight_decay * p
                m = array_of(state["exp_avg"])
                v = array_of(state["exp_avg_sq"])
                m += (1 - beta1) * (g - m)
                v *= beta2
                v += (1 - beta2) * g * g
                if group["amsgrad"]:
                    v_max = array_of(state["max_exp_avg_sq"])
                    numpy.maximum(v_max, v, out=v_max)
                    v = v_max
                step_size = lr / (1 - beta1 ** step)
                denominator = numpy.sqrt(v)
                denominator /= math.sqrt(1 - beta2 ** step)
                denominator += eps
                numpy.divide(m, denominator, out=denominator)
                denominator *= -step_size
                p += denominator
        return loss
