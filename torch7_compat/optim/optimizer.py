"""The Optimizer base: parameter groups, per-parameter state, state_dict, zero_grad.

Subclasses update parameters in place through zero-copy numpy views of their memory: a
parameter may be a Lua module's weight, whose storage Lua keeps using, so a step must
write into that memory and never rebind the tensor.
"""
from typing import Any, Callable, Dict, Iterable, Iterator, List, MutableMapping, Optional, \
    Tuple, Union

import numpy

from .._native import core

Tensor = core.Tensor
ParamsT = Union[Iterable[Tensor], Iterable[Dict[str, Any]]]


class _RequiredParameter:
    """The default of an option that every parameter group must give (lr of SGD)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def array_of(tensor: Any) -> numpy.ndarray:
    """A numpy array over `tensor`'s memory (no copy); numpy arrays pass through. A 0-d
    tensor gives a 1-element 1-d view: numpy computes on 0-d arrays into new scalars,
    where the updates need arrays to write into."""
    array = tensor.numpy() if isinstance(tensor, Tensor) else numpy.asarray(tensor)
    return array.reshape(1) if array.ndim == 0 else array


def new_state(param: Tensor, fill: float = 0.0) -> Tensor:
    """A state buffer of the parameter's shape (0-d included) and dtype, filled."""
    return state_tensor(numpy.full_like(param.numpy(), fill))


def grad_array(param: Tensor, p: numpy.ndarray) -> numpy.ndarray:
    """A view of param.grad shaped like the parameter's view `p`; a gradient of another
    size is refused (numpy would broadcast it silently)."""
    g = array_of(param.grad)
    if g.shape != p.shape:
        if g.size != p.size:
            raise RuntimeError("a parameter of shape %s has a gradient of shape %s"
                               % (tuple(p.shape), tuple(g.shape)))
        g = g.reshape(p.shape)
    return g


def state_tensor(array: numpy.ndarray) -> Tensor:
    """A Tensor owning `array` (which it keeps alive), for optimizer state."""
    return core.from_numpy(array)


def scalar_value(value: Any) -> float:
    """A Python float from a closure's loss: a number, a 1-element Tensor or array."""
    if isinstance(value, Tensor):
        return float(value.numpy().reshape(-1)[0])
    return float(value)


def call_with_grad(closure: Callable[[], Any]) -> Any:
    """Runs `closure` with autograd recording, as PyTorch's optimizers do, whatever the
    caller's grad mode (the step itself never records: it works on numpy views)."""
    set_grad_enabled = getattr(core, "set_grad_enabled", None)
    if set_grad_enabled is None:
        return closure()
    previous = core.is_grad_enabled()
    set_grad_enabled(True)
    try:
        return closure()
    finally:
        set_grad_enabled(previous)


class ParamState(MutableMapping):
    """Each parameter's state dict, keyed by the parameter itself, by identity (as PyTorch's
    tensors hash); a parameter not seen yet gets an empty dict on first look-up."""

    def __init__(self) -> None:
        self._entries: Dict[int, Tuple[Tensor, Dict[str, Any]]] = {}

    def __getitem__(self, param: Tensor) -> Dict[str, Any]:
        entry = self._entries.get(id(param))
        if entry is None:
            entry = self._entries[id(param)] = (param, {})
        return entry[1]

    def __setitem__(self, param: Tensor, value: Dict[str, Any]) -> None:
        self._entries[id(param)] = (param, value)

    def __delitem__(self, param: Tensor) -> None:
        del self._entries[id(param)]

    def __contains__(self, param: object) -> bool:
        return id(param) in self._entries

    def __iter__(self) -> Iterator[Tensor]:
        return (param for param, _ in self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return "ParamState(%d parameters)" % len(self)


def _type_name(value: Any) -> str:
    return type(value).__module__ + "." + type(value).__qualname__


class Optimizer:
    """Base class of the optimizers.

    `params` is an iterable of Tensors, or of dicts each holding 'params' (the group's
    Tensors) and options that override `defaults` for that group. `state` maps each
    parameter to its own dict of buffers, made on the first step.
    """

    def __init__(self, params: ParamsT, defaults: Dict[str, Any]) -> None:
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable "
                            "of Tensors or dicts, but got " + _type_name(params))
        self.defaults = defaults
        self.state = ParamState()
        self.param_groups: List[Dict[str, Any]] = []
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: Dict[str, Any]) -> None:
        """Adds a group of parameters, with its options (missing ones from the defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError("param_group must be a dict, but got " + _type_name(param_group))
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError("optimizer parameters need to be organized in ordered "
                            "collections, but the ordering of tensors in sets will change "
                            "between runs. Please use a list instead.")
        else:
            params = list(params)
        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params "
                                "is " + _type_name(param))
            if getattr(param, "grad_fn", None) is not None:
                raise ValueError("can't optimize a non-leaf Tensor")
        if len({id(p) for p in params}) != len(params):
            raise ValueError("a parameter group holds the same parameter twice")
        group = dict(param_group, params=params)
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError("parameter group didn't specify a value of required "
                                 "optimization parameter " + name)
            group.setdefault(name, default)
        taken = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in taken for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Drops every parameter's gradient (or, with set_to_none=False, zeroes it in
        place: a Lua module's gradParameters are then zeroed where Lua sees them)."""
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is None:
                    continue
                if set_to_none:
                    param.grad = None
                else:
                    array_of(param.grad)[...] = 0

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        """One update of every parameter that has a gradient; returns closure()'s loss."""
        raise NotImplementedError

    @staticmethod
    def _with_grads(group: Dict[str, Any]
                    ) -> Iterator[Tuple[Tensor, numpy.ndarray, numpy.ndarray]]:
        """(parameter, its array, its gradient's array) for the group's parameters that
        have a gradient; the gradient negated where the group maximizes."""
        maximize = group.get("maximize", False)
        for param in group["params"]:
            if param.grad is None:
                continue
            p = array_of(param)
            g = grad_array(param, p)
            yield param, p, (numpy.negative(g) if maximize else g)

    def _closure_loss(self, closure: Optional[Callable[[], Any]]) -> Any:
        return None if closure is None else call_with_grad(closure)

    def _index_of_params(self) -> Dict[int, int]:
        """Each parameter's position, counting through the groups in order (id -> index)."""
        positions: Dict[int, int] = {}
        for group in self.param_groups:
            for param in group["params"]:
                positions[id(param)] = len(positions)
        return positions

    def state_dict(self) -> Dict[str, Any]:
        """PyTorch's layout: {'state': {index: {...}}, 'param_groups': [{..., 'params':
        [indices]}]}, parameters numbered through the groups in order. The state's tensors
        are the optimizer's own (not copies), as in PyTorch."""
        positions = self._index_of_params()
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [positions[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {positions[id(p)]: dict(s) for p, s in self.state.items()
                 if id(p) in positions}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        """Takes options and state from a dict made by state_dict() (the same layout as
        PyTorch's). State tensors are copied, in each parameter's element type."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for saved, group in zip(saved_groups, self.param_groups):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't "
                                 "match the size of optimizer's group")
        param_of_index = {}
        for saved, group in zip(saved_groups, self.param_groups):
            param_of_index.update(zip(saved["params"], group["params"]))
        state = ParamState()
        for index, values in state_dict["state"].items():
            if index in param_of_index:
                param = param_of_index[index]
                state[param] = {k: self._loaded_value(param, v) for k, v in values.items()}
        self.state = state
        self.param_groups = [dict(saved, params=group["params"])
                             for saved, group in zip(saved_groups, self.param_groups)]

    @staticmethod
    def _loaded_value(param: Tensor, value: Any) -> Any:
        if isinstance(value, (Tensor, numpy.ndarray)):
            array = numpy.array(value.numpy() if isinstance(value, Tensor) else value,
                                copy=True)
            if array.dtype.kind == "f":
                array = array.astype(array_of(param).dtype, copy=False)
            return state_tensor(array) if isinstance(value, Tensor) else array
        if isinstance(value, list):
            return [Optimizer._loaded_value(param, v) for v in value]
        return value

    def __repr__(self) -> str:
        lines = [type(self).__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            lines.append("Parameter Group %d" % i)
            for key in sorted(group):
                if key != "params":
                    lines.append("    %s: %s" % (key, group[key]))
        lines.append(")")
        return "\n".join(lines)


def check_non_negative(name: str, value: float) -> None:
    """PyTorch's argument checks: 'Invalid learning rate: -1', ..."""
    if not 0.0 <= value:
        raise ValueError("Invalid %s: %s" % (name, value))
