"""Data loading for Python training loops, with PyTorch's names and behaviour: datasets,
samplers, default_collate and a DataLoader whose worker processes return batches through
shared memory."""
from .collate import default_collate, default_convert
from .dataloader import DataLoader
from .dataset import ConcatDataset, Dataset, IterableDataset, Subset, TensorDataset, \
    random_split
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, \
    SubsetRandomSampler
from .worker import WorkerInfo, get_worker_info

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "Subset", "ConcatDataset",
           "random_split", "Sampler", "SequentialSampler", "RandomSampler",
           "SubsetRandomSampler", "BatchSampler", "default_collate", "default_convert",
           "DataLoader", "get_worker_info", "WorkerInfo"]
