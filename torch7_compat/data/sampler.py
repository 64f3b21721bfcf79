"""Samplers: the order in which a DataLoader visits a map-style dataset.

Randomness comes from a numpy Generator (or an int seed for one). Without either, each
pass draws a fresh seed from t7's own generator, so t7.manual_seed(s) makes the shuffles
reproducible, as torch.manual_seed does for PyTorch's samplers.
"""
from typing import Iterator, List, Optional, Sequence, Sized, Union

import numpy

from .._native import core

Seed = Union[int, numpy.random.Generator]


def seed_from_t7() -> int:
    """A 62-bit seed drawn from t7's generator (the one t7.manual_seed seeds)."""
    high, low = (int(x) for x in core.randint(0, 2 ** 31, (2,)).numpy())
    return (high << 31) | low


def numpy_generator(generator: Optional[Seed]) -> numpy.random.Generator:
    """The Generator to draw from: the given one, a new one from an int seed, or one
    seeded from t7's generator."""
    if isinstance(generator, numpy.random.Generator):
        return generator
    return numpy.random.default_rng(seed_from_t7() if generator is None else generator)


class Sampler:
    """Yields dataset indices (or, for batch samplers, lists of them)."""

    def __iter__(self) -> Iterator:
        raise NotImplementedError


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """A random permutation each pass; with replacement, num_samples independent draws.
    An int `generator` seeds one Generator made here, which then runs on across passes
    (each pass a new order, the sequence of orders reproducible)."""

    def __init__(self, data_source: Sized, replacement: bool = False,
                 num_samples: Optional[int] = None,
                 generator: Optional[Seed] = None) -> None:
        if not isinstance(replacement, bool):
            raise TypeError("replacement should be a boolean value, but got replacement=%r"
                            % (replacement,))
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        if num_samples is not None and (not isinstance(num_samples, int) or num_samples <= 0):
            raise ValueError("num_samples should be a positive integer value, but got "
                             "num_samples=%r" % (num_samples,))
        self.generator = numpy_generator(generator) if generator is not None else None

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        rng = self.generator if self.generator is not None else numpy_generator(None)
        n = len(self.data_source)
        if self.replacement:
            return iter(rng.integers(0, n, size=self.num_samples).tolist())
        whole, rest = divmod(self.num_samples, n)
        order: List[int] = []
        for _ in range(whole):
            order.extend(rng.permutation(n).tolist())
        order.extend(rng.permutation(n)[:rest].tolist())
        return iter(order)

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices in a random order each pass."""

    def __init__(self, indices: Sequence[int], generator: Optional[Seed] = None) -> None:
        self.indices = indices
        self.generator = numpy_generator(generator) if generator is not None else None

    def __iter__(self) -> Iterator[int]:
        rng = self.generator if self.generator is not None else numpy_generator(None)
        return iter([self.indices[i] for i in rng.permutation(len(self.indices))])

    def __len__(self) -> int:
        return len(self.indices)


class BatchSampler(Sampler):
    """Groups another sampler's indices into lists of batch_size (the last one shorter,
    or dropped with drop_last)."""

    def __init__(self, sampler: Union[Sampler, Sequence[int]], batch_size: int,
                 drop_last: bool) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError("batch_size should be a positive integer value, but got "
                             "batch_size=%r" % (batch_size,))
        if not isinstance(drop_last, bool):
            raise ValueError("drop_last should be a boolean value, but got drop_last=%r"
                             % (drop_last,))
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[List[int]]:
        batch: List[int] = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
