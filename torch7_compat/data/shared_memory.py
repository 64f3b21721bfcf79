"""Batches cross from worker processes to the parent through shared memory: array data
is written once into a file of a memory filesystem (/dev/shm where there is one), only a
small descriptor is pickled, and the parent maps the file and wraps the mapping as a
Tensor (no copy). The parent unlinks each file as soon as it has mapped it; files of
batches never received are removed by name prefix when the iterator shuts down.
"""
import contextlib
import glob
import mmap
import os
import tempfile
from multiprocessing.reduction import ForkingPickler
from typing import Any, Dict, Iterator, NamedTuple, Optional, Tuple

import numpy

from .._native import core
from .nested import map_nested

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
        # data address -> (file, mapping) of arrays made here for the current batch; the
        # mapping is held so that no other array can take that address meanwhile
        self.files: Dict[int, Tuple[str, mmap.mmap]] = {}

    def allocate(self, shape: Tuple[int, ...], dtype: numpy.dtype) -> numpy.ndarray:
        dtype = numpy.dtype(dtype)
        nbytes = int(numpy.prod(shape, dtype=numpy.int64)) * dtype.itemsize
        if nbytes < SHARING_THRESHOLD:
            return numpy.empty(shape, dtype)
        path = self._new_path()
        mapping = _map_file(path, nbytes, create=True)
        array = numpy.ndarray(shape, dtype, buffer=mapping)
        self.files[array.ctypes.data] = (path, mapping)
        return array

    def _new_path(self) -> str:
        self.count += 1
        return "%s%d" % (self.prefix, self.count)

    def pack(self, value: Any) -> Any:
        """`value` with every Tensor and numpy array replaced by a descriptor."""
        return map_nested(self._pack_leaf, value, (Tensor, numpy.ndarray))

    def _pack_leaf(self, value: Any) -> Any:
        if isinstance(value, Tensor):
            return self._pack_array(value.numpy(), True)
        if value.dtype.kind in "OV":        # arrays of objects are pickled as they are
            return value
        return self._pack_array(value, False)

    def _pack_array(self, array: numpy.ndarray, as_tensor: bool) -> Any:
        made_here = self.files.get(array.ctypes.data)
        if made_here is not None and array.flags.c_contiguous \
                and array.nbytes == len(made_here[1]):
            del self.files[array.ctypes.data]
            return SharedArray(made_here[0], array.dtype.str, array.shape, as_tensor)
        if array.nbytes < SHARING_THRESHOLD:
            return PickledArray(numpy.ascontiguousarray(array), as_tensor)
        copy = self.allocate(array.shape, array.dtype)
        copy[...] = array
        return self._pack_array(copy, as_tensor)

    def drop_unsent(self) -> None:
        """Removes the files of arrays made for a batch but not sent with it (a collate_fn
        may make new arrays from the stacked ones): they would hold memory until the
        epoch ends."""
        for path, _ in self.files.values():
            os.unlink(path)
        self.files.clear()


def unpack(value: Any) -> Any:
    """The parent's side: descriptors back into Tensors and arrays over the files."""
    return map_nested(_unpack_leaf, value, (SharedArray, PickledArray))


def _unpack_leaf(value: Any) -> Any:
    if isinstance(value, PickledArray):
        return core.from_numpy(value.array) if value.as_tensor else value.array
    array = _array_in_file(value)
    os.unlink(value.path)       # the mapping keeps the memory as long as it is used
    return core.from_numpy(array) if value.as_tensor else array


def _array_in_file(shared: SharedArray) -> numpy.ndarray:
    dtype = numpy.dtype(shared.dtype)
    nbytes = int(numpy.prod(shared.shape, dtype=numpy.int64)) * dtype.itemsize
    return numpy.ndarray(shared.shape, dtype,
                         buffer=_map_file(shared.path, nbytes, create=False))


def discard(value: Any) -> None:
    """Removes the files of a packed batch that will not be used."""
    map_nested(_remove_file, value, SharedArray)


def _remove_file(shared: SharedArray) -> None:
    try:
        os.unlink(shared.path)
    except FileNotFoundError:
        pass


def remove_files(prefix: str) -> None:
    """Removes every file whose path starts with `prefix` (batches never received)."""
    for path in glob.glob(glob.escape(prefix) + "*"):
        try:
            os.unlink(path)
        except FileNotFoundError:       # a worker's, unlinked by the parent meanwhile
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


def _tensor_from_file(shared: SharedArray) -> Tensor:
    return core.from_numpy(_array_in_file(shared))


def _reduce_tensor(tensor: Tensor) -> Any:
    """Pickling for multiprocessing: through a shared file while workers start (one file
    per tensor, however many workers), else as the Tensor pickles itself (a copy)."""
    array = tensor.numpy()
    if _DatasetSharing.prefix is None or array.nbytes < SHARING_THRESHOLD:
        return tensor.__reduce__()
    known = _DatasetSharing.files.get(id(tensor))
    if known is None:
        path = "%sdataset%d" % (_DatasetSharing.prefix, len(_DatasetSharing.files))
        numpy.ndarray(array.shape, array.dtype,
                      buffer=_map_file(path, array.nbytes, create=True))[...] = array
        known = (tensor, SharedArray(path, array.dtype.str, array.shape, True))
        _DatasetSharing.files[id(tensor)] = known   # the tensor is held: its id stays its own
    return _tensor_from_file, (known[1],)


ForkingPickler.register(Tensor, _reduce_tensor)
