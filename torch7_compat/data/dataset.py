"""Datasets: the map-style and iterable protocols, TensorDataset, Subset, ConcatDataset,
random_split."""
import bisect
import math
from typing import Any, Iterator, List, Optional, Sequence, Tuple, Union

from .sampler import Seed, numpy_generator


class Dataset:
    """A map-style dataset: __getitem__(index) for 0 <= index < len(dataset)."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError("a Dataset subclass must define __getitem__")

    def __add__(self, other: "Dataset") -> "ConcatDataset":
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """A dataset read as a stream: __iter__ yields the samples. With worker processes each
    worker iterates its own copy; get_worker_info() tells it which share to yield."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError("an IterableDataset subclass must define __iter__")

    def __add__(self, other: Dataset) -> Dataset:
        raise TypeError("IterableDatasets cannot be concatenated with +")


class TensorDataset(Dataset):
    """Samples are the tuples (t[i] for t in tensors): every tensor (or array) gives one
    sample per row, a view of it (a 0-d tensor for a 1-d tensor)."""

    def __init__(self, *tensors: Any) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        lengths = {len(t) for t in tensors}
        if len(lengths) != 1:
            raise ValueError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index: int) -> Tuple[Any, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return len(self.tensors[0])


class Subset(Dataset):
    """The samples of `dataset` at `indices`, in that order."""

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index: Union[int, List[int]]) -> Any:
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


class ConcatDataset(Dataset):
    """Several map-style datasets one after the other."""

    def __init__(self, datasets: Sequence[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("datasets should not be an empty iterable")
        for dataset in self.datasets:
            if isinstance(dataset, IterableDataset):
                raise TypeError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes: List[int] = []
        total = 0
        for dataset in self.datasets:
            total += len(dataset)
            self.cumulative_sizes.append(total)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            if -index > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            index += len(self)
        which = bisect.bisect_right(self.cumulative_sizes, index)
        if which == len(self.datasets):
            raise IndexError("index %d out of range for a dataset of %d samples"
                             % (index, len(self)))
        start = self.cumulative_sizes[which - 1] if which > 0 else 0
        return self.datasets[which][index - start]


def random_split(dataset: Dataset, lengths: Sequence[Union[int, float]],
                 generator: Optional[Seed] = None) -> List[Subset]:
    """Splits `dataset` into non-overlapping random Subsets of the given lengths, or of
    the given fractions of its length (the remainder going one by one to the first
    subsets, as PyTorch)."""
    total = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        if any(not 0 <= f <= 1 for f in lengths):
            raise ValueError("Fractions of random_split must be between 0 and 1")
        counts = [int(math.floor(total * f)) for f in lengths]
        for i in range(total - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if sum(lengths) != total:
        raise ValueError("Sum of input lengths does not equal the length of the input "
                         "dataset!")
    order = numpy_generator(generator).permutation(total).tolist()
    subsets, offset = [], 0
    for length in lengths:
        subsets.append(Subset(dataset, order[offset:offset + int(length)]))
        offset += int(length)
    return subsets
