"""AdamW: Adam with weight decay applied to the weights, apart from the gradient."""
from typing import Tuple

from .adam import Adam
from .optimizer import ParamsT


class AdamW(Adam):
    """PyTorch's AdamW: p *= 1 - lr * weight_decay, then Adam's step without L2 term."""

    decoupled_weight_decay = True

    def __init__(self, params: ParamsT, lr: float = 1e-3,
                 betas: Tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, maximize=maximize)
