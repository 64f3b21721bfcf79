"""The file work of the Lua `hdf5` package (torch-hdf5; its Lua side is lua/hdf5/init.lua),
over h5py.

Open files are kept here under a number that the Lua objects hold; groups and datasets are
named by their path in the file. Datasets come back as tensors of the matching element type
(unsigned integers in the next wider signed type, so that no value changes; booleans as
bytes; half floats as floats); tensors are written with their own element type, as
torch-hdf5 wrote them. Failures raise with the file's name and the path concerned.
"""
import os

import numpy as np

from .._native import core

_files = {}
_next_id = [1]

# element type read -> element type of the tensor returned
_READ_TYPES = {np.dtype(np.uint16): np.int32, np.dtype(np.uint32): np.int64,
               np.dtype(np.uint64): np.int64, np.dtype(np.bool_): np.uint8,
               np.dtype(np.float16): np.float32}
_TENSOR_TYPES = {np.dtype(np.uint8): "torch.ByteTensor", np.dtype(np.int8): "torch.CharTensor",
                 np.dtype(np.int16): "torch.ShortTensor", np.dtype(np.int32): "torch.IntTensor",
                 np.dtype(np.int64): "torch.LongTensor", np.dtype(np.float32): "torch.FloatTensor",
                 np.dtype(np.float64): "torch.DoubleTensor"}


def _h5py():
    import h5py      # imported on first use: it costs ~0.1 s, and most scripts never need it
    return h5py


def open_file(path, mode):
    """The number of a newly opened file (modes as h5py's: r, r+, w, w-, a)."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise OSError("HDF5File.open: no such directory " + directory)
    try:
        handle = _h5py().File(path, mode)
    except (OSError, ValueError) as e:
        raise OSError("HDF5File.open: cannot open %s (mode '%s'): %s" % (path, mode, e)) from None
    number = _next_id[0]
    _next_id[0] += 1
    _files[number] = handle
    return number


def _file(number):
    handle = _files.get(number)
    if handle is None:
        raise ValueError("HDF5File: the file is closed")
    return handle


def close_file(number):
    handle = _files.pop(number, None)
    if handle is not None:
        handle.close()


def _object(number, path):
    handle = _file(number)
    try:
        return handle[path]
    except KeyError:
        raise KeyError("no such data path '%s' in %s" % (path, handle.filename)) from None


def _dataset(number, path):
    found = _object(number, path)
    if not isinstance(found, _h5py().Dataset):
        raise ValueError("'%s' in %s is a group, not a dataset" % (path, found.file.filename))
    return found


def kind(number, path):
    """'group', 'dataset', or 'none' when nothing is at path."""
    found = _file(number).get(path)
    if found is None:
        return "none"
    return "dataset" if isinstance(found, _h5py().Dataset) else "group"


def children(number, path):
    """The names in a group, separated by NUL bytes."""
    return "\0".join(_object(number, path).keys())


def _read_type(dataset):
    kind = dataset.dtype
    if kind.kind not in "biuf":
        raise TypeError("cannot read '%s' in %s: data of type %s has no tensor type"
                        % (dataset.name, dataset.file.filename, kind))
    return np.dtype(_READ_TYPES.get(kind, kind))


def tensor_type(number, path):
    return _TENSOR_TYPES[_read_type(_dataset(number, path))]


def size(number, path):
    """The dataset's sizes, as several values."""
    return tuple(_dataset(number, path).shape)


def _tensor(values, dtype):
    values = np.ascontiguousarray(values, dtype=dtype)
    if values.ndim == 0:
        values = values.reshape(1)
    return core.from_numpy(values)


def read(number, path):
    dataset = _dataset(number, path)
    return _tensor(dataset[()], _read_type(dataset))


def read_part(number, path, *ranges):
    """ranges: first and last index (1-based, inclusive) of each dimension in turn."""
    dataset = _dataset(number, path)
    if len(ranges) != 2 * dataset.ndim:
        raise ValueError("HDF5DataSet:partial() - dimension mismatch. Expected %d but %d were "
                         "given." % (dataset.ndim, len(ranges) // 2))
    selection = []
    for dim in range(dataset.ndim):
        first, last = int(ranges[2 * dim]), int(ranges[2 * dim + 1])
        if not 1 <= first <= last <= dataset.shape[dim]:
            raise IndexError("HDF5DataSet:partial() - range {%d, %d} is outside dimension %d "
                             "(size %d) of '%s' in %s" % (first, last, dim + 1,
                                                          dataset.shape[dim], path,
                                                          dataset.file.filename))
        selection.append(slice(first - 1, last))
    return _tensor(dataset[tuple(selection)], _read_type(dataset))


def write(number, path, tensor, chunks, deflate):
    """A new dataset at path (groups on the way made), with chunk sizes (a tensor, or None)
    and a deflate level (or None). Chunked datasets can grow along their first dimension,
    as torch-hdf5 made them."""
    handle = _file(number)
    values = tensor.numpy()
    options = {}
    if chunks is not None:
        chunks = tuple(int(c) for c in chunks.numpy())
        if len(chunks) != values.ndim:
            raise ValueError("Chunk size must have same number of dimensions as data! Chunk "
                             "size has %d dimensions; data has %d" % (len(chunks), values.ndim))
        options["chunks"] = tuple(max(1, min(c, s)) for c, s in zip(chunks, values.shape))
        options["maxshape"] = (None,) + values.shape[1:]
    if deflate is not None:
        options["compression"] = "gzip"
        options["compression_opts"] = int(deflate)
    try:
        handle.create_dataset(path, data=values, **options)
    except (ValueError, TypeError, OSError) as e:
        raise ValueError("cannot write '%s' in %s: %s" % (path, handle.filename, e)) from None


def append(number, path, tensor, chunks, deflate):
    """Adds tensor's rows at the end of the dataset's first dimension (a new dataset when
    there is none)."""
    handle = _file(number)
    if path not in handle:
        return write(number, path, tensor, chunks, deflate)
    dataset = _dataset(number, path)
    values = tensor.numpy()
    if values.shape[1:] != dataset.shape[1:]:
        raise ValueError("cannot append to '%s' in %s: sizes %s and %s differ beyond the first "
                         "dimension" % (path, handle.filename, values.shape, dataset.shape))
    start = dataset.shape[0]
    try:
        dataset.resize(start + values.shape[0], axis=0)
    except (ValueError, TypeError) as e:
        raise ValueError("cannot append to '%s' in %s (only chunked datasets grow): %s"
                         % (path, handle.filename, e)) from None
    dataset[start:] = values
