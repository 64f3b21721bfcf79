"""Batches cross from worker processes to the parent through shared memory: array data
is written once into a file of a memory filesystem (/dev/shm where there is one), only a
small descriptor is pickled, and the parent maps the file and wraps the mapping as a
Tensor (no copy). The parent unlinks each file as soon as it has mapped it; files of
batches never received are removed by name prefix when the iterator shuts down.
"""
import collections.abc
import contextlib
import glob
import mmap
import os
import tempfile
from multiprocessing.reduction import ForkingPickler
from typing import Any, Dict, Iterator, NamedTuple, Optional, Tuple

import numpy

from .._native import core

Tensor = core.Tensor

# Below this many bytes an array is pickled with the batch: a file costs more than a copy.
SHARING_THRESHOLD = 16384


def shared_directory() -> str:
    """A memory-backed directory if the system has one, else the temporary directory."""
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        return "/dev/shm"
    return tempfile.gettempdir()


class SharedArray(NamedTuple):
    """What is pickled in place of an array: the file holding it and how to read it."""
    path: str
    dtype: str
    shape: Tuple[int, ...]
    as_tensor: bool


class PickledArray(NamedTuple):
    """A small array, pickled with the batch; as_tensor says whether it was a Tensor."""
    array: numpy.ndarray
    as_tensor: bool


def _map_file(path: str, nbytes: int, create: bool) -> mmap.mmap:
    flags = os.O_RDWR | (os.O_CREAT | os.O_EXCL if create else 0)
    fd = os.open(path, flags, 0o600)
    try:
        if create:
            os.ftruncate(fd, nbytes)
        return mmap.mmap(fd, nbytes)
    finally:
        os.close(fd)


class WorkerArrays:
    """A worker's side: makes arrays in shared files, and packs batches for the queue."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.count = 0
        self.files: Dict[int, str] = {}     # data address -> file, for arrays made here

    def allocate(self, shape: Tuple[int, ...], dtype: numpy.dtype) -> numpy.ndarray:
        dtype = numpy.dtype(dtype)
        nbytes = int(numpy.prod(shape, dtype=numpy.int64)) * dtype.itemsize
        if nbytes < SHARING_THRESHOLD:
            return numpy.empty(shape, dtype)
        path = self._new_path()
        array = numpy.ndarray(shape, dtype, buffer=_map_file(path, nbytes, create=True))
        self.files[array.ctypes.data] = path
        return array

    def _new_path(self) -> str:
        self.count += 1
        return "%s%d" % (self.prefix, self.count)

    def pack(self, value: Any) -> Any:
        """`value` with every Tensor and numpy array replaced by a descriptor."""
        if isinstance(value, Tensor):
            return self._pack_array(value.numpy(), True)
        if isinstance(value, numpy.ndarray) and value.dtype.kind not in "OV":
            return self._pack_array(value, False)
        if isinstance(value, collections.abc.Mapping):
            return {k: self.pack(v) for k, v in value.items()}
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*(self.pack(v) for v in value))
        if isinstance(value, (list, tuple)):
            return type(value)(self.pack(v) for v in value)
        return value

    def _pack_array(self, array: numpy.ndarray, as_tensor: bool) -> Any:
        path = self.files.pop(array.ctypes.data, None)
        if path is not None and array.flags.c_contiguous:
            return SharedArray(path, array.dtype.str, array.shape, as_tensor)
        if array.nbytes < SHARING_THRESHOLD:
            return PickledArray(numpy.ascontiguousarray(array), as_tensor)
        copy = self.allocate(array.shape, array.dtype)
        copy[...] = array
        return self._pack_array(copy, as_tensor)

    def forget(self) -> None:
        """Drops the record of arrays never packed (their files go with the prefix)."""
        self.files.clear()


def unpack(value: Any) -> Any:
    """The parent's side: descriptors back into Tensors and arrays over the files."""
    if isinstance(value, SharedArray):
        dtype = numpy.dtype(value.dtype)
        nbytes = int(numpy.prod(value.shape, dtype=numpy.int64)) * dtype.itemsize
        mapping = _map_file(value.path, nbytes, create=False)
        os.unlink(value.path)
        array = numpy.ndarray(value.shape, dtype, buffer=mapping)
        return core.from_numpy(array) if value.as_tensor else array
    if isinstance(value, PickledArray):
        return core.from_numpy(value.array) if value.as_tensor else value.array
    if isinstance(value, collections.abc.Mapping):
        return {k: unpack(v) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(unpack(v) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(unpack(v) for v in value)
    return value


def discard(value: Any) -> None:
    """Removes the files of a packed batch that will not be used."""
    if isinstance(value, SharedArray):
        try:
            os.unlink(value.path)
        except FileNotFoundError:
            pass
    elif isinstance(value, collections.abc.Mapping):
        for v in value.values():
            discard(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            discard(v)


def remove_files(prefix: str) -> None:
    """Removes every file whose path starts with `prefix` (batches never received)."""
    for path in glob.glob(glob.escape(prefix) + "*"):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


class _DatasetSharing:
    """While workers start: where the tensors they are sent (the dataset's above all) are
    written, once each, for the workers to map; None otherwise."""
    prefix: Optional[str] = None
    files: Dict[int, Tuple[Tensor, SharedArray]] = {}


@contextlib.contextmanager
def tensors_shared_under(prefix: str) -> Iterator[None]:
    """Within the block, Tensors pickled by multiprocessing go through files named
    `prefix`... (removed with the others of that prefix when the workers are stopped)."""
    _DatasetSharing.prefix, _DatasetSharing.files = prefix, {}
    try:
        yield
    finally:
        _DatasetSharing.prefix, _DatasetSharing.files = None, {}


def _tensor_from_array(array: numpy.ndarray) -> Tensor:
    return core.from_numpy(array)


def _tensor_from_file(shared: SharedArray) -> Tensor:
    dtype = numpy.dtype(shared.dtype)
    nbytes = int(numpy.prod(shared.shape, dtype=numpy.int64)) * dtype.itemsize
    mapping = _map_file(shared.path, nbytes, create=False)
    return core.from_numpy(numpy.ndarray(shared.shape, dtype, buffer=mapping))


def _reduce_tensor(tensor: Tensor) -> Any:
    """Pickling for multiprocessing: through a shared file while workers start (one file
    per tensor, however many workers), else with a copy of the data."""
    array = tensor.numpy()
    if _DatasetSharing.prefix is None or array.nbytes < SHARING_THRESHOLD:
        return _tensor_from_array, (numpy.ascontiguousarray(array),)
    known = _DatasetSharing.files.get(id(tensor))
    if known is None:
        path = "%sdataset%d" % (_DatasetSharing.prefix, len(_DatasetSharing.files))
        numpy.ndarray(array.shape, array.dtype,
                      buffer=_map_file(path, array.nbytes, create=True))[...] = array
        known = (tensor, SharedArray(path, array.dtype.str, array.shape, True))
        _DatasetSharing.files[id(tensor)] = known   # the tensor is held: its id stays its own
    return _tensor_from_file, (known[1],)


ForkingPickler.register(Tensor, _reduce_tensor)
