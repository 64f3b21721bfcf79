"""The parent's side of a DataLoader with worker processes: hands out index lists round
robin, keeps up to prefetch_factor batches per worker in flight, gives batches back in
sampler order, re-raises workers' exceptions, and shuts the workers down (at the end of
the epoch, when the iterator is dropped, on error) so that no child process remains.

Workers are started with 'forkserver' (or 'spawn' where there is none): never forked from
a parent whose thread pools (the core's, BLAS's, LuaJIT runtime locks) may be running.
"""
import itertools
import multiprocessing
import os
import queue
import secrets
import time
import weakref
from typing import Any, Dict, List

from .shared_memory import discard, remove_files, shared_directory, tensors_shared_under, \
    unpack
from .worker import RESET, ExceptionWrapper, IterableEnd, WorkerSetup, worker_loop

# Why a worker often dies at its start: the main script, imported again, made a DataLoader.
REIMPORT_HINT = (" (its error is on stderr above). Workers start with forkserver or spawn, "
                 "which import the main script again: a script that iterates a DataLoader "
                 "with workers must do so under `if __name__ == '__main__':`, as PyTorch "
                 "requires on macOS and Windows")

# How often a wait for a batch checks that the workers are still alive.
STATUS_CHECK_INTERVAL = 0.5
SHUTDOWN_WAIT = 5.0


def default_start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() \
        else "spawn"


class WorkerGroup:
    """The worker processes of one iterator, their queues and their shared files."""

    def __init__(self, context: Any, plan: Any, setup: WorkerSetup) -> None:
        self.file_prefix = setup.file_prefix
        self.result_queue = context.Queue()
        self.done_event = context.Event()
        self.index_queues: List[Any] = []
        self.workers: List[Any] = []
        self.stopped = False
        try:
            with tensors_shared_under(self.file_prefix):
                for worker_id in range(setup.num_workers):
                    index_queue = context.Queue()
                    index_queue.cancel_join_thread()
                    worker = context.Process(target=worker_loop, daemon=True,
                                             args=(plan, setup, worker_id, index_queue,
                                                   self.result_queue, self.done_event))
                    self.index_queues.append(index_queue)
                    self.workers.append(worker)
                    worker.start()
        except BaseException:       # an unpicklable dataset, above all
            self.stop()
            raise

    def dead_workers(self) -> List[int]:
        return [w.pid for w in self.workers if w.pid is not None and not w.is_alive()]

    def stop(self) -> None:
        """Stops every worker (waiting a little, then terminating), removes the shared
        files of batches never delivered, closes the queues. Safe to call twice."""
        if self.stopped:
            return
        self.stopped = True
        self.done_event.set()
        for index_queue in self.index_queues:
            index_queue.put(None)
        started = [w for w in self.workers if w.pid is not None]
        deadline = time.monotonic() + SHUTDOWN_WAIT
        while any(w.is_alive() for w in started) and time.monotonic() < deadline:
            self._drain_results(0.05)       # a worker may wait for room in the pipe
        for worker in started:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        self._drain_results(0)
        remove_files(self.file_prefix)
        for q in self.index_queues + [self.result_queue]:
            q.cancel_join_thread()
            q.close()

    def _drain_results(self, wait: float) -> None:
        try:
            while True:
                _, data = self.result_queue.get(timeout=wait) if wait else \
                    self.result_queue.get_nowait()
                discard(data)
        except (queue.Empty, OSError, EOFError, ValueError):
            pass


class MultiProcessIterator:
    """An epoch (or, with persistent workers, successive epochs) of batches from workers."""

    def __init__(self, loader: Any) -> None:
        context = loader.multiprocessing_context or default_start_method()
        if isinstance(context, str):
            context = multiprocessing.get_context(context)
        self._reimports_main = context.get_start_method() != "fork"
        # weak: a loader with persistent workers holds its iterator, which must not hold
        # it back from collection (dropping the loader is what stops those workers)
        self._loader = weakref.ref(loader)
        self._num_workers = loader.num_workers
        self._prefetch = loader.prefetch_factor * loader.num_workers
        self._timeout = loader.timeout
        self._persistent = loader.persistent_workers
        self._epoch = 0
        self._task_info: Dict[int, List[Any]] = {}
        file_prefix = os.path.join(shared_directory(), "t7data_%d_%s_" % (
            os.getpid(), secrets.token_hex(6)))
        setup = WorkerSetup(loader._base_seed(), loader.worker_init_fn, self._num_workers,
                            file_prefix)
        self._group = WorkerGroup(context, loader._fetch_plan(), setup)
        # runs at garbage collection, or at interpreter exit while modules still work
        self._stop = weakref.finalize(self, self._group.stop)
        self._reset(first=True)

    def __iter__(self) -> "MultiProcessIterator":
        return self

    def __len__(self) -> int:
        loader = self._loader()
        if loader is None:
            raise TypeError("len() of a DataLoader iterator whose loader is gone")
        return len(loader)

    def _reset(self, first: bool = False) -> None:
        """Starts an epoch: a fresh pass of the sampler, the pipeline filled again."""
        self._epoch += 1
        self._indices = self._loader()._index_iterator()
        self._send_index = self._received_index = 0
        for info in self._task_info.values():
            if len(info) == 2:
                discard(info[1])
        self._task_info = {}
        self._active = [True] * self._num_workers
        self._worker_cycle = itertools.cycle(range(self._num_workers))
        if not first:
            for index_queue in self._group.index_queues:
                index_queue.put(RESET)
        for _ in range(self._prefetch):
            self._put_indices()

    def _put_indices(self) -> None:
        try:
            indices = next(self._indices)
        except StopIteration:
            return
        for _ in range(self._num_workers):
            worker_id = next(self._worker_cycle)
            if self._active[worker_id]:
                break
        else:
            return
        self._group.index_queues[worker_id].put(((self._epoch, self._send_index), indices))
        self._task_info[self._send_index] = [worker_id]
        self._send_index += 1

    def __next__(self) -> Any:
        while True:
            # tasks given to a worker whose stream ended will never be answered
            while self._received_index < self._send_index:
                info = self._task_info[self._received_index]
                if len(info) == 2 or self._active[info[0]]:
                    break
                del self._task_info[self._received_index]
                self._received_index += 1
            else:
                if not self._persistent:
                    self._stop()
                raise StopIteration
            info = self._task_info[self._received_index]
            if len(info) == 2:
                return self._deliver(info[1])
            (epoch, number), data = self._next_result()
            if epoch != self._epoch:         # left over from an epoch broken off
                discard(data)
                continue
            if isinstance(data, IterableEnd):
                self._active[data.worker_id] = False
                self._put_indices()
                continue
            if number != self._received_index:
                self._task_info[number].append(data)
                continue
            return self._deliver(data)

    def _deliver(self, data: Any) -> Any:
        del self._task_info[self._received_index]
        self._received_index += 1
        self._put_indices()
        if isinstance(data, ExceptionWrapper):
            self._stop()
            data.reraise()
        return unpack(data)

    def _next_result(self) -> Any:
        if self._group.stopped:
            raise RuntimeError("the DataLoader's workers were stopped by an earlier error")
        started = time.monotonic()
        while True:
            wait = STATUS_CHECK_INTERVAL
            if self._timeout > 0:
                wait = min(wait, max(0.0, started + self._timeout - time.monotonic()))
            try:
                return self._group.result_queue.get(timeout=wait)
            except queue.Empty:
                pass
            dead = self._group.dead_workers()
            if dead:
                self._stop()
                raise RuntimeError("DataLoader worker (pid(s) %s) exited unexpectedly%s"
                                   % (", ".join(map(str, dead)),
                                      REIMPORT_HINT if self._reimports_main else ""))
            if self._timeout > 0 and time.monotonic() - started >= self._timeout:
                self._stop()
                raise RuntimeError("DataLoader timed out after %s seconds" % self._timeout)
