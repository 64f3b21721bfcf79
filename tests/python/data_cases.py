"""Datasets for the DataLoader tests; in a module of their own so that worker processes
(started by forkserver or spawn) can import them when they unpickle the dataset."""
import os

import numpy as np

from torch7_compat import data


class Numbered(data.Dataset):
    """Sample i is {'index': i, 'features': a 40x40 array filled with i} (large enough to
    travel through shared memory)."""

    def __init__(self, size):
        self.size = size

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        if not 0 <= index < self.size:
            raise IndexError(index)
        return {"index": index, "features": np.full((40, 40), float(index), np.float32)}


class FailsAt(Numbered):
    """Raises ValueError for one index."""

    def __init__(self, size, bad_index):
        super().__init__(size)
        self.bad_index = bad_index

    def __getitem__(self, index):
        if index == self.bad_index:
            raise ValueError("sample %d is broken" % index)
        return super().__getitem__(index)


class DiesAt(Numbered):
    """Kills its worker process at one index."""

    def __init__(self, size, bad_index):
        super().__init__(size)
        self.bad_index = bad_index

    def __getitem__(self, index):
        if index == self.bad_index:
            os._exit(3)
        return super().__getitem__(index)


class Stream(data.IterableDataset):
    """0 .. size-1, each worker yielding its own interleaved share."""

    def __init__(self, size):
        self.size = size

    def __len__(self):
        return self.size

    def __iter__(self):
        info = data.get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.size, step))


def record_seed(worker_id):
    """worker_init_fn: keeps what the worker saw, for the test to read back."""
    info = data.get_worker_info()
    assert info.id == worker_id
    os.environ["T7_TEST_WORKER_SEED"] = str(info.seed)


def failing_init(worker_id):
    raise KeyError("no init for worker %d" % worker_id)


def doubled_features(samples):
    """A collate_fn that stacks (into shared memory, in a worker) and returns a new array."""
    return data.default_collate(samples)["features"].numpy() * 2


class BrokenStream(data.IterableDataset):
    """A stream that cannot be opened."""

    def __iter__(self):
        raise OSError("stream unavailable")
