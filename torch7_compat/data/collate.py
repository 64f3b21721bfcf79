"""default_collate: a list of samples made into one batch, recursively through dicts,
tuples, lists and namedtuples; tensors, numpy arrays and numbers are stacked into t7
Tensors (PyTorch's rules)."""
import collections.abc
from typing import Any, Callable, List, Sequence, Tuple

import numpy

from .._native import core
from .nested import map_nested

Tensor = core.Tensor
Allocator = Callable[[Tuple[int, ...], numpy.dtype], numpy.ndarray]

# Where stacked batches are written: numpy.empty, or shared memory inside a worker process
# (see worker.py), so the batch then travels to the parent without another copy.
_allocate: Allocator = numpy.empty


def set_allocator(allocate: Allocator) -> None:
    global _allocate
    _allocate = allocate


def _stack(arrays: Sequence[numpy.ndarray]) -> Tensor:
    _check_shapes([array.shape for array in arrays])
    dtype = numpy.result_type(*arrays)
    if dtype == numpy.bool_:
        dtype = numpy.dtype(numpy.uint8)   # the core has no bool type: ByteTensor, as Torch7
    out = _allocate((len(arrays),) + arrays[0].shape, dtype)
    if out.size:
        numpy.stack(arrays, out=out)
    return core.from_numpy(out)


def _stack_tensors(tensors: Sequence[Tensor]) -> Tensor:
    """Tensors of one dtype, copied by the core into one new tensor (faster than numpy's
    stack of their views); 0-d ones through their values."""
    first = tensors[0]
    if any(t.dtype != first.dtype for t in tensors):
        return _stack([t.numpy() for t in tensors])
    shape = tuple(first.shape)
    _check_shapes([tuple(t.shape) for t in tensors])
    dtype = numpy.dtype(first.dtype)
    if not shape:
        return core.from_numpy(numpy.array([t.item() for t in tensors], dtype))
    out = _allocate((len(tensors),) + shape, dtype)
    stacked = core.from_numpy(out)
    if out.size:
        for position, tensor in enumerate(tensors):
            stacked[position] = tensor
    return stacked


def _check_shapes(shapes: Sequence[Tuple[int, ...]]) -> None:
    for position, shape in enumerate(shapes):
        if shape != shapes[0]:
            raise RuntimeError("stack expects each tensor to be equal size, but got %s at "
                               "entry 0 and %s at entry %d"
                               % (list(shapes[0]), list(shape), position))


def _unsupported(value: Any) -> TypeError:
    return TypeError("default_collate: batch must contain tensors, numpy arrays, numbers, "
                     "dicts or lists; found %s" % type(value))


def default_collate(batch: List[Any]) -> Any:
    """One batch from a list of samples of the same structure:
    tensors, numpy arrays and numpy scalars -> a Tensor with a new first dimension;
    floats -> a float64 Tensor, ints -> int64, bools -> uint8; strings stay a list;
    dicts, namedtuples and sequences are collated key by key / position by position
    (tuples come back as lists, as in PyTorch)."""
    first = batch[0]
    if isinstance(first, Tensor):
        return _stack_tensors(batch)
    if isinstance(first, (numpy.ndarray, numpy.generic)):
        if first.dtype.kind in "OSUV":
            raise _unsupported(first)
        return _stack([numpy.asarray(value) for value in batch])
    if isinstance(first, bool):
        return core.from_numpy(numpy.array(batch, dtype=numpy.uint8))
    if isinstance(first, int):
        return core.from_numpy(numpy.array(batch, dtype=numpy.int64))
    if isinstance(first, float):
        return core.from_numpy(numpy.array(batch, dtype=numpy.float64))
    if isinstance(first, (str, bytes)):
        return batch
    if isinstance(first, collections.abc.Mapping):
        collated = {key: default_collate([sample[key] for sample in batch]) for key in first}
        try:
            return type(first)(collated)
        except TypeError:       # a mapping type that cannot be built from a dict
            return collated
    if isinstance(first, tuple) and hasattr(first, "_fields"):
        return type(first)(*(default_collate(list(samples)) for samples in zip(*batch)))
    if isinstance(first, collections.abc.Sequence):
        if any(len(sample) != len(first) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(list(samples)) for samples in zip(*batch)]
        if isinstance(first, tuple):
            return columns
        try:
            return type(first)(columns)
        except TypeError:
            return columns
    raise _unsupported(first)


def default_convert(data: Any) -> Any:
    """Without batching (batch_size=None): numpy arrays become Tensors (sharing memory),
    recursively; everything else is left as it is."""
    return map_nested(_array_to_tensor, data, numpy.ndarray)


def _array_to_tensor(array: numpy.ndarray) -> Any:
    if array.dtype.kind in "OSUV":
        return array
    return core.from_numpy(array if array.flags.writeable else array.copy())
