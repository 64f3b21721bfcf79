"""DataLoader: batches from a dataset, in the parent process or in worker processes."""
import itertools
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from .collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset
from .fetch import FetchPlan, fetch_batch
from .sampler import BatchSampler, RandomSampler, Sampler, Seed, SequentialSampler, \
    numpy_generator
from .worker_pool import MultiProcessIterator


class DataLoader:
    """Iterates over `dataset` in batches, with PyTorch's options and checks.

    num_workers > 0 loads in that many processes (started with 'forkserver', else 'spawn':
    the dataset, collate_fn and worker_init_fn must then be picklable), each batch coming
    back through shared memory; batches keep the sampler's order. `generator` (a numpy
    Generator or an int seed) drives shuffling and the workers' seeds. pin_memory is
    accepted and ignored (no accelerator memory here).
    """

    def __init__(self, dataset: Dataset, batch_size: Optional[int] = 1,
                 shuffle: Optional[bool] = None, sampler: Union[Sampler, Iterable, None] = None,
                 batch_sampler: Union[Sampler, Iterable, None] = None, num_workers: int = 0,
                 collate_fn: Optional[Callable[[Any], Any]] = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Optional[Callable[[int], None]] = None,
                 multiprocessing_context: Any = None, generator: Optional[Seed] = None, *,
                 prefetch_factor: Optional[int] = None,
                 persistent_workers: bool = False) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 "
                             "to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in "
                             "multiprocessing.let num_workers > 0 to enable multiprocessing, "
                             "otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        if prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.persistent_workers = persistent_workers
        self.generator = numpy_generator(generator) if generator is not None else None
        self._iterable = isinstance(dataset, IterableDataset)

        if self._iterable:
            if shuffle not in (None, False):
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 "shuffle option, but got shuffle=%r" % (shuffle,))
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 "sampler option, but got sampler=%r" % (sampler,))
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 "batch_sampler option, but got batch_sampler=%r"
                                 % (batch_sampler,))
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None and not self._iterable:
            sampler = RandomSampler(dataset, generator=self.generator) if shuffle \
                else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not self._iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self._persistent_iterator: Optional[MultiProcessIterator] = None

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None or (self._iterable and self.batch_size is not None)

    def _fetch_plan(self) -> FetchPlan:
        return FetchPlan(self.dataset, self._iterable, self._auto_collation, self.collate_fn,
                         self.drop_last, self.batch_size)

    def _base_seed(self) -> int:
        """The workers' seed for an epoch. Every iterator draws it, with or without
        workers, so a seeded generator gives the same shuffle whatever num_workers is."""
        return int(numpy_generator(self.generator).integers(0, 2 ** 62))

    def _index_iterator(self) -> Iterator[Any]:
        """What each batch is made from: index lists, single indices, or (for iterable
        datasets, which pick their own samples) nothing."""
        if self._iterable:
            return itertools.repeat(None)
        return iter(self.batch_sampler if self._auto_collation else self.sampler)

    def __iter__(self) -> Iterator[Any]:
        if self.num_workers == 0:
            return SingleProcessIterator(self)
        if not self.persistent_workers:
            return MultiProcessIterator(self)
        if self._persistent_iterator is None:
            self._persistent_iterator = MultiProcessIterator(self)
        else:
            self._persistent_iterator._reset()
        return self._persistent_iterator

    def __len__(self) -> int:
        if self._iterable:
            length = len(self.dataset)  # type: ignore[arg-type]
            if self.batch_size is not None:
                whole, rest = divmod(length, self.batch_size)
                length = whole if self.drop_last or not rest else whole + 1
            return length
        return len(self.batch_sampler if self._auto_collation else self.sampler)


class SingleProcessIterator:
    """Batches made in this process, one at each next()."""

    def __init__(self, loader: DataLoader) -> None:
        self._loader = loader
        self._plan = loader._fetch_plan()
        loader._base_seed()
        self._indices = loader._index_iterator()
        self._stream = iter(loader.dataset) if loader._iterable else None

    def __iter__(self) -> "SingleProcessIterator":
        return self

    def __len__(self) -> int:
        return len(self._loader)

    def __next__(self) -> Any:
        return fetch_batch(self._plan, self._stream, next(self._indices))
