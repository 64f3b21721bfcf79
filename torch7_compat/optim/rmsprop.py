"""RMSprop, plain or centered, with optional momentum."""
from typing import Any, Callable, Optional

import numpy

from .optimizer import Optimizer, ParamsT, array_of, check_non_negative, new_state


class RMSprop(Optimizer):
    """PyTorch's RMSprop: v = alpha v + (1-alpha) g^2; centered subtracts the square of the
    running mean of g; d = sqrt(v) + eps; with momentum, b = momentum b + g / d and
    p -= lr b, else p -= lr g / d."""

    def __init__(self, params: ParamsT, lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum: float = 0.0,
                 centered: bool = False, *, maximize: bool = False) -> None:
        check_non_negative("learning rate", lr)
        check_non_negative("epsilon value", eps)
        check_non_negative("momentum value", momentum)
        check_non_negative("weight_decay value", weight_decay)
        check_non_negative("alpha value", alpha)
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered,
                                      maximize=maximize))

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
            weight_decay, momentum = group["weight_decay"], group["momentum"]
            for param, p, g in self._with_grads(group):
                state = self.state[param]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = new_state(param)
                    if momentum > 0:
                        state["momentum_buffer"] = new_state(param)
                    if group["centered"]:
                        state["grad_avg"] = new_state(param)
                state["step"] += 1
                if weight_decay != 0:
                    g = g + weight_decay * p
                square_avg = array_of(state["square_avg"])
                square_avg *= alpha
                square_avg += (1 - alpha) * g * g
                if group["centered"]:
                    grad_avg = array_of(state["grad_avg"])
                    grad_avg += (1 - alpha) * (g - grad_avg)
                    average = square_avg - grad_avg * grad_avg
                    numpy.sqrt(average, out=average)
                else:
                    average = numpy.sqrt(square_avg)
                average += eps
                numpy.divide(g, average, out=average)
                if momentum > 0:
                    buffer = array_of(state["momentum_buffer"])
                    buffer *= momentum
                    buffer += average
                    p -= lr * buffer
                else:
                    average *= -lr
                    p += average
        return loss
