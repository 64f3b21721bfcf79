"""t7.nn.Lua(module): a Lua nn module (or container, or gModule) as a t7.nn.Module.

Calling it is one node of the tape: forward is the module's forward, backward runs the
module's own backward (updateGradInput, and accGradParameters when its parameters need
gradients). Its parameters are Parameters over the Lua weight tensors themselves, and their
.grad is the Lua gradWeight tensor itself: what accGradParameters accumulates is what a
Python optimizer reads, and a step on the Parameters changes the Lua weights.
"""
from __future__ import annotations

from typing import Any, List, Tuple

import numpy as np

from ..autograd import _arrays
from ..autograd.function import Function
from .._native import core
from ..bridge import LuaObject
from .module import Module
from .parameter import Parameter

Tensor = core.Tensor


def flatten(value: Any) -> Tuple[List[Tensor], Any]:
    """The tensors of a nested list/tuple structure, and the structure (to rebuild it)."""
    if isinstance(value, Tensor):
        return [value], None
    if isinstance(value, (list, tuple)):
        tensors: List[Tensor] = []
        spec = []
        for item in value:
            found, item_spec = flatten(item)
            tensors.extend(found)
            spec.append((len(found), item_spec))
        return tensors, spec
    raise TypeError("Lua modules take tensors or (nested) lists of tensors, got %s"
                    % type(value).__name__)


def unflatten(tensors: List[Tensor], spec: Any) -> Any:
    if spec is None:
        return tensors[0]
    result, start = [], 0
    for count, item_spec in spec:
        result.append(unflatten(tensors[start:start + count], item_spec))
        start += count
    return result


def from_lua(value: Any) -> Any:
    """Tensors from Lua's addresses (each carrying a reference for us), tables as lists."""
    if isinstance(value, LuaObject):
        return [from_lua(value[i]) for i in range(1, len(value) + 1)]
    if value is None:
        return None
    return Tensor._adopt(int(value))


class _LuaCall(Function):
    """One call of a Lua module: arguments (wrapper, input count, *inputs, *parameters)."""

    @staticmethod
    def forward(ctx, wrapper, n_inputs, *tensors):
        inputs = list(tensors[:n_inputs])
        lua_input = unflatten(inputs, wrapper._input_spec)
        output, spec = flatten(from_lua(wrapper._run_forward(lua_input)))
        ctx.wrapper, ctx.inputs, ctx.n_inputs = wrapper, inputs, n_inputs
        ctx.call, ctx.output_spec = wrapper._calls, spec
        object.__setattr__(wrapper, "_output_spec", spec)
        outputs = tuple(_arrays.copy(t) for t in output)   # the module reuses its buffers
        return outputs if len(outputs) > 1 or spec is not None else outputs[0]

    @staticmethod
    def backward(ctx, *grads):
        wrapper = ctx.wrapper
        lua_input = unflatten(ctx.inputs, wrapper._input_spec)
        if wrapper._calls != ctx.call:
            # called again since: bring the module's state back to this call's
            wrapper._run_forward(lua_input)
        with_parameters = any(ctx.needs_input_grad[2 + ctx.n_inputs:])
        if with_parameters:
            wrapper._link_grads()
        grad_output = unflatten(list(grads), ctx.output_spec)
        need_input = any(ctx.needs_input_grad[2:2 + ctx.n_inputs])
        grad_input = from_lua(wrapper._run_backward(lua_input, grad_output, with_parameters,
                                                    need_input))
        if grad_input is None:
            return (None,) * len(ctx.needs_input_grad)
        grad_tensors, _ = flatten(grad_input)
        input_grads = tuple(_arrays.copy(g) if need and g.numel() else None
                            for g, need in zip(grad_tensors, ctx.needs_input_grad[2:]))
        return (None, None) + input_grads + (None,) * (len(ctx.needs_input_grad) - 2
                                                       - len(input_grads))


class _LuaCriterionCall(Function):
    """One call of a Lua criterion: arguments (wrapper, target, input count, *inputs); the
    loss comes back as a 0-d tensor."""

    @staticmethod
    def forward(ctx, wrapper, target, n_inputs, *inputs):
        lua_input = unflatten(list(inputs), wrapper._input_spec)
        loss = wrapper._run_loss(lua_input, target)
        ctx.wrapper, ctx.inputs, ctx.target = wrapper, list(inputs), target
        ctx.input_spec = wrapper._input_spec
        return _arrays.tensor(np.array(loss, dtype=inputs[0].numpy().dtype))

    @staticmethod
    def backward(ctx, grad):
        wrapper = ctx.wrapper
        lua_input = unflatten(ctx.inputs, ctx.input_spec)
        wrapper._run_loss(lua_input, ctx.target)     # criteria keep state per call, too
        grad_input = from_lua(wrapper._run_backward(lua_input, ctx.target, False))
        scale = grad.item()
        grads, _ = flatten(grad_input)
        return (None, None, None) + tuple(_arrays.tensor(g.numpy() * scale) if need else None
                                          for g, need in zip(grads, ctx.needs_input_grad[3:]))


class Lua(Module):
    """A Lua nn module (t7.require('nn').Linear(3, 2), a container, a gModule, a model from
    t7.load) or criterion (called with input and target, giving the loss) as a Python
    module. Its parameters are named after the Lua fields ('weight', '0.bias' for a
    container's first child). Call it with a tensor, or a list for a module
    taking a table; a table output comes back as a list.

    A module keeps one forward's state: when a call is followed by another before the first
    one's backward, that backward runs the module's forward again on its input first."""

    def __init__(self, module: LuaObject) -> None:
        super().__init__()
        if not isinstance(module, LuaObject) or module.lua_type != "object":
            raise TypeError("t7.nn.Lua wraps a Lua nn module, got %r" % (module,))
        bridge = module._bridge
        object.__setattr__(self, "lua_module", module)
        object.__setattr__(self, "_helpers", bridge.call(bridge.lua.eval(
            "function() return require 'torch7_compat.python_module' end"), ()))
        object.__setattr__(self, "_calls", 0)
        object.__setattr__(self, "_input_spec", None)
        object.__setattr__(self, "is_criterion", bool(self._helpers.is_criterion(module)))
        # looked up once: each look-up is a call into Lua
        object.__setattr__(self, "_lua_forward", self._helpers.forward)
        object.__setattr__(self, "_lua_loss", self._helpers.loss)
        object.__setattr__(self, "_lua_backward", self._helpers.backward)
        object.__setattr__(self, "_output_spec", None)
        self._fetch_parameters()
        object.__setattr__(self, "training", bool(module.train) if module.train is not None
                           else True)

    def _fetch_parameters(self) -> None:
        names, weights, grads = self._helpers.named_parameters(self.lua_module)
        self._parameters.clear()
        pairs = []
        seen = set()
        names = [names[i] for i in range(1, len(names) + 1)]
        for name, weight, grad in zip(names, from_lua(weights), from_lua(grads)):
            if weight._address in seen:     # shared weights are one parameter
                continue
            seen.add(weight._address)
            parameter = Parameter(weight)
            self._parameters[name] = parameter   # dotted names: the Lua module's own layout
            pairs.append((parameter, grad))
        object.__setattr__(self, "_grad_pairs", pairs)

    def forward(self, input: Any, target: Any = None) -> Any:
        """The module's output for input; a criterion's loss for input and target."""
        inputs, spec = flatten(input)
        object.__setattr__(self, "_input_spec", spec)
        if self.is_criterion:
            if target is None:
                raise TypeError("a Lua criterion is called with (input, target)")
            return _LuaCriterionCall.apply(self, target, len(inputs), *inputs)
        parameters = [p for p, _ in self._grad_pairs]
        result = _LuaCall.apply(self, len(inputs), *inputs, *parameters)
        spec = self._output_spec
        return result if spec is None else unflatten(list(result), spec)

    def _run_forward(self, lua_input: Any) -> Any:
        object.__setattr__(self, "_calls", self._calls + 1)
        return self._lua_forward(self.lua_module, lua_input)

    def _run_loss(self, lua_input: Any, target: Any) -> float:
        return self._lua_loss(self.lua_module, lua_input, target)

    def _run_backward(self, lua_input: Any, grad_output: Any, with_parameters: bool,
                      need_input: bool = True) -> Any:
        """The module's gradInput (a criterion's, grad_output being the target)."""
        return self._lua_backward(self.lua_module, lua_input, grad_output, with_parameters,
                                  need_input)

    def _link_grads(self) -> None:
        """Makes each parameter's .grad the Lua gradient tensor again: zeroed when the
        gradient was cleared (set to None), given its value when it was replaced."""
        for parameter, lua_grad in self._grad_pairs:
            grad = parameter.grad
            if grad is lua_grad:
                continue
            if grad is None:
                lua_grad.numpy()[...] = 0
            else:
                lua_grad.numpy()[...] = grad.numpy()
            parameter.grad = lua_grad

    def _mode_changed(self, training: bool) -> None:
        self._helpers.set_training(self.lua_module, training)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Zeroes the Lua gradients in place (they stay the parameters' .grad)."""
        for parameter, lua_grad in self._grad_pairs:
            lua_grad.numpy()[...] = 0
            parameter.grad = lua_grad

    def type(self, typename: str) -> "Lua":
        """Lua's module:type(typename) ('torch.FloatTensor'...): new parameter tensors."""
        self.lua_module.type(typename)
        self._fetch_parameters()
        return self

    def _cast(self, dtype: Any) -> None:
        self.type("torch.DoubleTensor" if np.dtype(dtype) == np.float64 else
                  "torch.FloatTensor")

    def __repr__(self) -> str:
        return "Lua(%s)" % str(self.lua_module).rstrip("\n").replace("\n", "\n    ")
