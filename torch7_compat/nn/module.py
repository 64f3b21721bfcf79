"""t7.nn.Module: the base of Python models, as PyTorch's nn.Module.

Assigning a Parameter to an attribute registers it, assigning a Module registers a child;
parameters(), state_dict() and friends walk the children. A Lua nn module joins as
t7.nn.Lua(module).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple

import numpy as np

from ..autograd import _arrays
from .._native import core
from .parameter import Parameter

Tensor = core.Tensor


class IncompatibleKeys(NamedTuple):
    missing_keys: List[str]
    unexpected_keys: List[str]


class Module:
    """Base class of models: subclass it, create parameters and children in __init__,
    compute in forward()."""

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("%s has no forward()" % type(self).__name__)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # registration
    def _registries(self) -> tuple:
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot register before Module.__init__() call")
        return self._parameters, self._buffers, self._modules

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            if isinstance(value, (Parameter, Module)):
                raise AttributeError("cannot assign parameters or modules before "
                                     "Module.__init__() call")
            object.__setattr__(self, name, value)
            return
        parameters, buffers, modules = self._registries()
        if isinstance(value, Parameter):
            self.__dict__.pop(name, None)
            modules.pop(name, None)
            buffers.pop(name, None)
            parameters[name] = value
        elif isinstance(value, Module):
            self.__dict__.pop(name, None)
            parameters.pop(name, None)
            buffers.pop(name, None)
            modules[name] = value
        elif name in parameters:
            if value is not None:
                raise TypeError("cannot assign %s as parameter '%s' (t7.nn.Parameter or None "
                                "expected)" % (type(value).__name__, name))
            parameters[name] = None
        elif name in modules:
            if value is not None:
                raise TypeError("cannot assign %s as child module '%s' (t7.nn.Module or None "
                                "expected)" % (type(value).__name__, name))
            modules[name] = None
        elif name in buffers:
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        for registry in ("_parameters", "_buffers", "_modules"):
            found = self.__dict__.get(registry)
            if found is not None and name in found:
                return found[name]
        raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))

    def __delattr__(self, name: str) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Optional[Parameter]) -> None:
        """Adds a parameter (None: a declared but absent one, as a missing bias)."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError("cannot assign %s as parameter '%s' (t7.nn.Parameter or None "
                            "expected)" % (type(param).__name__, name))
        if "." in name or not name:
            raise KeyError("parameter name can't contain \".\" or be empty")
        self._registries()[0][name] = param

    def register_buffer(self, name: str, tensor: Optional[Tensor]) -> None:
        """Adds a tensor that is state but not a parameter (running statistics)."""
        self._registries()[1][name] = tensor

    def add_module(self, name: str, module: Optional["Module"]) -> None:
        if module is not None and not isinstance(module, Module):
            raise TypeError("%s is not a t7.nn.Module" % type(module).__name__)
        self._registries()[2][name] = module

    # walking
    def named_modules(self, prefix: str = "", memo: Optional[set] = None
                      ) -> Iterator[Tuple[str, "Module"]]:
        memo = set() if memo is None else memo
        if id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(prefix + ("." if prefix else "") + name, memo)

    def modules(self) -> Iterator["Module"]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[Tuple[str, "Module"]]:
        for name, child in self._modules.items():
            if child is not None:
                yield name, child

    def children(self) -> Iterator["Module"]:
        for _, child in self.named_children():
            yield child

    def _named(self, registry: str, prefix: str, recurse: bool) -> Iterator[Tuple[str, Any]]:
        seen = set()
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or id(value) in seen:
                    continue
                seen.add(id(value))
                yield module_prefix + ("." if module_prefix else "") + name, value

    def named_parameters(self, prefix: str = "", recurse: bool = True
                         ) -> Iterator[Tuple[str, Parameter]]:
        """(name, parameter) pairs, each parameter once, children's named 'child.name'."""
        return self._named("_parameters", prefix, recurse)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, parameter in self.named_parameters(recurse=recurse):
            yield parameter

    def named_buffers(self, prefix: str = "", recurse: bool = True
                      ) -> Iterator[Tuple[str, Tensor]]:
        return self._named("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    # modes and gradients
    def train(self, mode: bool = True) -> "Module":
        """Training mode (dropout active, batch norm on batch statistics) or not."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
            module._mode_changed(bool(mode))
        return self

    def _mode_changed(self, training: bool) -> None:
        """Called by train()/eval() on every module (nn.Lua passes it on to Lua)."""

    def eval(self) -> "Module":
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        for parameter in self.parameters():
            parameter.requires_grad = requires_grad
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clears the parameters' gradients (None, or zeros in place)."""
        for parameter in self.parameters():
            if parameter.grad is None:
                continue
            if set_to_none:
                parameter.grad = None
            else:
                parameter.grad.numpy()[...] = 0

    def apply(self, fn: Callable[["Module"], None]) -> "Module":
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def _convert(self, dtype: Any) -> "Module":
        """Parameters and buffers converted to numpy dtype `dtype` (new tensors)."""
        for module in self.modules():
            module._cast(dtype)
        return self

    def _cast(self, dtype: Any) -> None:
        for name, p in self._parameters.items():
            if p is not None and p.numpy().dtype != dtype:
                self._parameters[name] = Parameter(core.from_numpy(p.numpy().astype(dtype)),
                                                   p.requires_grad)
        for name, b in self._buffers.items():
            if b is not None and b.numpy().dtype.kind == "f" and b.numpy().dtype != dtype:
                self._buffers[name] = core.from_numpy(b.numpy().astype(dtype))

    def double(self) -> "Module":
        """Floating parameters and buffers as float64 (new tensors: make optimizers after)."""
        return self._convert(np.float64)

    def float(self) -> "Module":
        """Floating parameters and buffers as float32 (new tensors: make optimizers after)."""
        return self._convert(np.float32)

    # state
    def state_dict(self, prefix: str = "") -> "OrderedDict[str, Tensor]":
        """Parameters and buffers by name, as tensors sharing their memory (detached)."""
        state: "OrderedDict[str, Tensor]" = OrderedDict()
        for name, module in self.named_modules(prefix.rstrip(".")):
            dot = name + "." if name else ""
            for key, value in list(module._parameters.items()) + list(module._buffers.items()):
                if value is not None:
                    state[dot + key] = _arrays.alias(value)
        return state

    def load_state_dict(self, state_dict: Dict[str, Any], strict: bool = True
                        ) -> IncompatibleKeys:
        """Copies values into the parameters and buffers of the same names (in place, so
        optimizers and Lua modules holding them see the new values)."""
        own = self.state_dict()
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            raise RuntimeError("Error(s) in loading state_dict for %s: missing keys %s, "
                               "unexpected keys %s" % (type(self).__name__, missing,
                                                       unexpected))
        for key, target in own.items():
            if key not in state_dict:
                continue
            source = np.asarray(state_dict[key])
            if source.shape != tuple(target.shape):
                raise RuntimeError("size mismatch for %s: copying a param with shape %s from "
                                   "checkpoint, the shape in current model is %s"
                                   % (key, source.shape, tuple(target.shape)))
            target.numpy()[...] = source
        return IncompatibleKeys(missing, unexpected)

    # printing
    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = []
        for name, child in self._modules.items():
            body = repr(child).replace("\n", "\n  ")
            lines.append("(%s): %s" % (name, body))
        extra = self.extra_repr()
        if not lines:
            return "%s(%s)" % (type(self).__name__, extra)
        head = type(self).__name__ + "(" + (extra + "\n  " if extra else "\n  ")
        return head + "\n  ".join(lines) + "\n)"

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers)
                      | set(self._modules))
