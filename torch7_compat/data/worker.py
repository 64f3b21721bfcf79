"""The loop run by each DataLoader worker process, and get_worker_info()."""
import queue
import random
import sys
import traceback
from typing import Any, Callable, NamedTuple, Optional

import numpy

from .._native import core
from . import collate
from .fetch import FetchPlan, fetch_batch
from .shared_memory import WorkerArrays


class WorkerInfo(NamedTuple):
    """What a worker knows about itself: its id, how many workers there are, its seed and
    its own copy of the dataset."""
    id: int
    num_workers: int
    seed: int
    dataset: Any


_worker_info: Optional[WorkerInfo] = None


def get_worker_info() -> Optional[WorkerInfo]:
    """This worker's WorkerInfo inside a DataLoader worker process, None in the parent."""
    return _worker_info


class ExceptionWrapper:
    """An exception raised in a worker, carried to the parent with its traceback."""

    def __init__(self, exc_info: Any, where: str) -> None:
        self.exc_type = exc_info[0]
        self.message = "Caught %s %s.\nOriginal %s" % (
            exc_info[0].__name__, where, "".join(traceback.format_exception(*exc_info)))

    def reraise(self) -> None:
        message = self.message
        if self.exc_type is KeyError:   # KeyError shows its message as a repr
            message = KeyErrorMessage(message)
        try:
            exception = self.exc_type(message)
        except Exception:
            raise RuntimeError(message) from None
        raise exception


class KeyErrorMessage(str):
    """A message that KeyError's str() shows as it is (it shows the repr of its key)."""

    def __repr__(self) -> str:
        return self


class IterableEnd(NamedTuple):
    """Sent by a worker whose copy of an IterableDataset is exhausted."""
    worker_id: int


RESET = "reset"


class WorkerSetup(NamedTuple):
    """What a worker needs besides the fetch plan."""
    seed: int
    worker_init_fn: Optional[Callable[[int], None]]
    num_workers: int
    file_prefix: str


def worker_loop(plan: FetchPlan, setup: WorkerSetup, worker_id: int, index_queue: Any,
                result_queue: Any, done_event: Any) -> None:
    """Takes (task number, indices) from index_queue until it gets None; puts (task
    number, packed batch or ExceptionWrapper or IterableEnd) on result_queue."""
    global _worker_info
    from multiprocessing import parent_process
    seed = setup.seed + worker_id
    random.seed(seed)
    numpy.random.seed(seed % 2 ** 32)
    core.manual_seed(seed)
    _worker_info = WorkerInfo(worker_id, setup.num_workers, seed, plan.dataset)
    arrays = WorkerArrays("%sw%d_" % (setup.file_prefix, worker_id))
    collate.set_allocator(arrays.allocate)
    where = "in DataLoader worker process %d" % worker_id
    failure = iterator = None
    try:
        if setup.worker_init_fn is not None:
            setup.worker_init_fn(worker_id)
    except Exception:
        failure = ExceptionWrapper(sys.exc_info(), where)
    parent = parent_process()
    new_epoch = True
    while True:
        if new_epoch:            # the first epoch, or another with persistent workers
            new_epoch = exhausted = False
            if plan.iterable and failure is None:
                try:
                    iterator = iter(plan.dataset)
                except Exception:
                    failure = ExceptionWrapper(sys.exc_info(), where)
        try:
            job = index_queue.get(timeout=1.0)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                return          # the parent is gone: nobody will ask for more
            continue
        if job is None:
            break
        new_epoch = job == RESET
        if new_epoch or done_event.is_set() or exhausted:
            continue
        number, indices = job
        if failure is not None:
            result, failure = failure, None
        else:
            try:
                result = arrays.pack(fetch_batch(plan, iterator, indices))
            except StopIteration:
                result, exhausted = IterableEnd(worker_id), True
            except Exception:
                result = ExceptionWrapper(sys.exc_info(), where)
            arrays.drop_unsent()
        result_queue.put((number, result))
        del result
    if done_event.is_set():
        # the parent stopped reading: do not wait at exit for the queue to drain
        result_queue.cancel_join_thread()
        result_queue.close()
