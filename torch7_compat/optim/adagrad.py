"""Adagrad: per-element learning rates from the sum of squared gradients."""
from typing import Any, Callable, Optional

import numpy

from .optimizer import Optimizer, ParamsT, array_of, check_non_negative, new_state


class Adagrad(Optimizer):
    """PyTorch's Adagrad: s += g^2; p -= lr / (1 + (t-1) lr_decay) * g / (sqrt(s) + eps).
    The sums start at initial_accumulator_value, made when the optimizer is."""

    def __init__(self, params: ParamsT, lr: float = 1e-2, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                 eps: float = 1e-10, *, maximize: bool = False) -> None:
        check_non_negative("learning rate", lr)
        check_non_negative("lr_decay value", lr_decay)
        check_non_negative("weight_decay value", weight_decay)
        check_non_negative("initial_accumulator_value value", initial_accumulator_value)
        check_non_negative("epsilon value", eps)
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps, maximize=maximize))
        for group in self.param_groups:
            for param in group["params"]:
                self._start_state(param, group)

    def _start_state(self, param, group) -> dict:
        state = self.state[param]
        if not state:
            state["step"] = 0
            state["sum"] = new_state(param, group["initial_accumulator_value"])
        return state

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, lr_decay = group["lr"], group["lr_decay"]
            weight_decay, eps = group["weight_decay"], group["eps"]
            for param, p, g in self._with_grads(group):
                state = self._start_state(param, group)   # groups added later start here
                state["step"] += 1
                if weight_decay != 0:
                    g = g + weight_decay * p
                clr = lr / (1 + (state["step"] - 1) * lr_decay)
                sums = array_of(state["sum"])
                sums += g * g
                deviation = numpy.sqrt(sums)
                deviation += eps
                numpy.divide(g, deviation, out=deviation)
                deviation *= -clr
                p += deviation
        return loss
