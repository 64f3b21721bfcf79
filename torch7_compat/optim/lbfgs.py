"""L-BFGS over all parameters as one flat vector, optionally with a strong Wolfe line
search (PyTorch's algorithm, itself after minFunc)."""
import math
from typing import Any, Callable, List, Optional, Tuple

import numpy

from .optimizer import Optimizer, ParamsT, array_of, call_with_grad, grad_array, \
    scalar_value

Bounds = Optional[Tuple[float, float]]


def cubic_interpolate(x1: float, f1: float, g1: float, x2: float, f2: float, g2: float,
                      bounds: Bounds = None) -> float:
    """The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), kept within
    `bounds` (by default the interval between x1 and x2); its middle when the cubic has
    no minimum."""
    low, high = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2
    if d2_square < 0:
        return (low + high) / 2
    d2 = math.sqrt(d2_square)
    if x1 <= x2:
        position = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        position = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(position, low), high)


Objective = Callable[[float], Tuple[float, numpy.ndarray]]


def strong_wolfe(objective: Objective, t: float, d: numpy.ndarray, f: float,
                 g: numpy.ndarray, gtd: float, c1: float = 1e-4, c2: float = 0.9,
                 tolerance_change: float = 1e-9, max_ls: int = 25
                 ) -> Tuple[float, numpy.ndarray, float, int]:
    """A step t along d satisfying the strong Wolfe conditions: first a bracket, widened
    by cubic extrapolation, then zoomed in by safeguarded cubic interpolation.
    `objective(t)` gives the loss and flat gradient at x + t d. Returns (loss, gradient,
    t, evaluations)."""
    d_norm = float(numpy.abs(d).max())
    g = g.copy()
    f_new, g_new = objective(t)
    evaluations = 1
    gtd_new = float(g_new.dot(d))
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g, gtd
    done = False
    iteration = 0
    while iteration < max_ls:
        if f_new > f + c1 * t * gtd or (iteration > 1 and f_new >= f_prev):
            bracket = [t_prev, t]
            bracket_f, bracket_g, bracket_gtd = [f_prev, f_new], [g_prev, g_new], \
                [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket = [t_prev, t]
            bracket_f, bracket_g, bracket_gtd = [f_prev, f_new], [g_prev, g_new], \
                [gtd_prev, gtd_new]
            break
        lowest, highest = t + 0.01 * (t - t_prev), t * 10
        t_prev, t = t, cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                                         bounds=(lowest, highest))
        f_prev, g_prev, gtd_prev = f_new, g_new, gtd_new
        f_new, g_new = objective(t)
        evaluations += 1
        gtd_new = float(g_new.dot(d))
        iteration += 1
    if iteration == max_ls:
        bracket, bracket_f, bracket_g = [0.0, t], [f, f_new], [g, g_new]

    # zoom: shrink the bracket until a point satisfies the conditions
    insufficient_progress = False
    low, high = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and iteration < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0],
                              bracket[1], bracket_f[1], bracket_gtd[1])
        # keep away from the bracket's ends, or the search may stall there
        margin = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < margin:
            if insufficient_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - margin
                else:
                    t = min(bracket) + margin
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False
        f_new, g_new = objective(t)
        evaluations += 1
        gtd_new = float(g_new.dot(d))
        iteration += 1
        if f_new > f + c1 * t * gtd or f_new >= bracket_f[low]:
            bracket[high], bracket_f[high] = t, f_new
            bracket_g[high], bracket_gtd[high] = g_new, gtd_new
            low, high = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bracket_f[high] = bracket[low], bracket_f[low]
                bracket_g[high], bracket_gtd[high] = bracket_g[low], bracket_gtd[low]
            bracket[low], bracket_f[low] = t, f_new
            bracket_g[low], bracket_gtd[low] = g_new, gtd_new
    return bracket_f[low], bracket_g[low], bracket[low], evaluations


class LBFGS(Optimizer):
    """PyTorch's L-BFGS. One parameter group only; step(closure) needs a closure that
    clears the gradients, computes the loss, back-propagates and returns the loss. The
    state (history of steps and gradient changes) lives with the first parameter."""

    def __init__(self, params: ParamsT, lr: float = 1, max_iter: int = 20,
                 max_eval: Optional[int] = None, tolerance_grad: float = 1e-7,
                 tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: Optional[str] = None) -> None:
        if not 0.0 <= lr:
            raise ValueError("Invalid learning rate: %s" % lr)
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError("only 'strong_wolfe' is supported as line_search_fn, not %r"
                             % (line_search_fn,))
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        super().__init__(params, dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                                      tolerance_grad=tolerance_grad,
                                      tolerance_change=tolerance_change,
                                      history_size=history_size,
                                      line_search_fn=line_search_fn))
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _flat_grad(self) -> numpy.ndarray:
        pieces = []
        for param in self._params:
            if param.grad is None:
                pieces.append(numpy.zeros(param.numel(), dtype=array_of(param).dtype))
            else:
                pieces.append(grad_array(param, array_of(param)).reshape(-1))
        return numpy.concatenate(pieces)

    def _add_to_params(self, step_size: float, direction: numpy.ndarray) -> None:
        offset = 0
        for param in self._params:
            p = array_of(param)
            p += step_size * direction[offset:offset + p.size].reshape(p.shape)
            offset += p.size

    def _param_copies(self) -> List[numpy.ndarray]:
        return [array_of(param).copy() for param in self._params]

    def _set_params(self, copies: List[numpy.ndarray]) -> None:
        for param, saved in zip(self._params, copies):
            array_of(param)[...] = saved

    def _evaluate_along(self, closure: Callable[[], Any], origin: List[numpy.ndarray],
                        direction: numpy.ndarray) -> Objective:
        def objective(t: float) -> Tuple[float, numpy.ndarray]:
            self._add_to_params(t, direction)
            loss = scalar_value(call_with_grad(closure))
            gradient = self._flat_grad()
            self._set_params(origin)
            return loss, gradient
        return objective

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        """Up to max_iter iterations; returns the loss of the closure's first call."""
        if closure is None:
            raise RuntimeError("LBFGS.step needs a closure that computes the loss")
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size, line_search_fn = group["history_size"], group["line_search_fn"]

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        first_loss = call_with_grad(closure)
        loss = scalar_value(first_loss)
        evaluations = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if numpy.abs(flat_grad).max() <= tolerance_grad:
            return first_loss

        d, t = state.get("d"), state.get("t")
        old_dirs, old_steps = state.get("old_dirs"), state.get("old_stps")
        rho, h_diag = state.get("ro"), state.get("H_diag")
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")

        iteration = 0
        while iteration < max_iter:
            iteration += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_steps, rho, h_diag = [], [], [], 1.0
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = float(y.dot(s))
                if ys > 1e-10:     # keep the pair only if curvature is positive
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_steps.pop(0)
                        rho.pop(0)
                    old_dirs.append(y)
                    old_steps.append(s)
                    rho.append(1.0 / ys)
                    h_diag = ys / float(y.dot(y))
                d = self._two_loop(flat_grad, old_dirs, old_steps, rho, h_diag)

            prev_flat_grad = flat_grad.copy()
            prev_loss = loss
            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / float(numpy.abs(flat_grad).sum())) * lr
            else:
                t = lr
            gtd = float(flat_grad.dot(d))
            if gtd > -tolerance_change:      # not a descent direction
                break

            line_evaluations = 0
            if line_search_fn is not None:
                objective = self._evaluate_along(closure, self._param_copies(), d)
                loss, flat_grad, t, line_evaluations = strong_wolfe(
                    objective, t, d, loss, flat_grad, gtd)
                self._add_to_params(t, d)
                optimal = numpy.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_to_params(t, d)
                optimal = False
                if iteration != max_iter:
                    loss = scalar_value(call_with_grad(closure))
                    flat_grad = self._flat_grad()
                    optimal = numpy.abs(flat_grad).max() <= tolerance_grad
                    line_evaluations = 1
            evaluations += line_evaluations
            state["func_evals"] += line_evaluations

            if iteration == max_iter or evaluations >= max_eval or optimal:
                break
            if numpy.abs(d * t).max() <= tolerance_change:
                break
            if abs(loss - prev_loss) < tolerance_change:
                break

        state.update(d=d, t=t, old_dirs=old_dirs, old_stps=old_steps, ro=rho, H_diag=h_diag,
                     prev_flat_grad=prev_flat_grad, prev_loss=prev_loss)
        return first_loss

    @staticmethod
    def _two_loop(flat_grad: numpy.ndarray, old_dirs: List[numpy.ndarray],
                  old_steps: List[numpy.ndarray], rho: List[float],
                  h_diag: float) -> numpy.ndarray:
        """The direction -H g, H the inverse Hessian estimate from the stored pairs."""
        alphas = [0.0] * len(old_dirs)
        q = -flat_grad
        for i in range(len(old_dirs) - 1, -1, -1):
            alphas[i] = float(old_steps[i].dot(q)) * rho[i]
            q -= alphas[i] * old_dirs[i]
        r = q * h_diag
        for i in range(len(old_dirs)):
            beta = float(old_dirs[i].dot(r)) * rho[i]
            r += (alphas[i] - beta) * old_steps[i]
        return r
