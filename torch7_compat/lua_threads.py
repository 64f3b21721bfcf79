"""The machinery under the Lua `threads` package (lua/threads/): worker threads each running
a LuaJIT runtime of their own, the job queues between runtimes, and mutexes and condition
variables that every runtime of the process can reach by number.

lupa releases the GIL while Lua runs, so the workers' Lua code runs in parallel; a blocking
wait here (a queue, a lock) releases it too. What travels in a queue is a pair of numbers:
the addresses of two byte storages of the core, holding the serialized job and its
arguments (lua/threads/serializer.lua); the receiving runtime releases them.
"""
import itertools
import queue
import sys
import threading

_ids = itertools.count(1)
_queues = {}
_threads = {}
_mutexes = {}
_conditions = {}


def _lookup(table, key, what):
    try:
        return table[int(key)]
    except KeyError:
        raise ValueError("no %s with id %d" % (what, key)) from None


# -- queues ----------------------------------------------------------------------------------

def queue_new(size):
    """A queue holding at most `size` jobs (0: no limit); returns its id."""
    qid = next(_ids)
    _queues[qid] = queue.Queue(int(size))
    return qid


def queue_put(qid, job, args):
    """Adds a job (two storage addresses), waiting while the queue is full."""
    _lookup(_queues, qid, "queue").put((job, args))


def queue_get(qid):
    """The next job's two storage addresses, waiting for one."""
    return _lookup(_queues, qid, "queue").get()


def queue_full(qid):
    return _lookup(_queues, qid, "queue").full()


def queue_free(qid):
    _queues.pop(int(qid), None)


# -- threads ---------------------------------------------------------------------------------

def _run(code):
    from .runtime import new_runtime
    try:
        new_runtime().execute(code)
    except Exception as e:  # noqa: BLE001 - a worker's failure is reported, not raised
        sys.stdout.flush()
        sys.stderr.write("thread: %s\n" % e)
        sys.stderr.flush()


def thread_start(code):
    """Runs the Lua chunk `code` in a new thread with a Lua runtime of its own."""
    tid = next(_ids)
    worker = threading.Thread(target=_run, args=(code,), name="lua-thread-%d" % tid,
                              daemon=True)
    _threads[tid] = worker
    worker.start()
    return tid


def thread_join(tid):
    worker = _threads.pop(int(tid), None)
    if worker is not None:
        worker.join()


# -- mutexes and condition variables ---------------------------------------------------------

def mutex_new():
    mid = next(_ids)
    _mutexes[mid] = threading.Lock()
    return mid


def mutex_lock(mid):
    _lookup(_mutexes, mid, "mutex").acquire()


def mutex_unlock(mid):
    lock = _lookup(_mutexes, mid, "mutex")
    try:
        lock.release()
    except RuntimeError:
        raise ValueError("mutex %d is not locked" % mid) from None


def mutex_exists(mid):
    return int(mid) in _mutexes


def mutex_free(mid):
    _mutexes.pop(int(mid), None)


class _Condition:
    """A condition variable that waits with whichever mutex it is given, as pthreads'."""

    def __init__(self):
        self.inner = threading.Condition(threading.Lock())

    def wait(self, mutex):
        with self.inner:
            # the inner lock is held before the mutex is let go: no signal slips between
            mutex.release()
            self.inner.wait()
        mutex.acquire()


def condition_new():
    cid = next(_ids)
    _conditions[cid] = _Condition()
    return cid


def condition_exists(cid):
    return int(cid) in _conditions


def condition_wait(cid, mid):
    _lookup(_conditions, cid, "condition").wait(_lookup(_mutexes, mid, "mutex"))


def condition_signal(cid):
    condition = _lookup(_conditions, cid, "condition")
    with condition.inner:
        condition.inner.notify()


def condition_broadcast(cid):
    condition = _lookup(_conditions, cid, "condition")
    with condition.inner:
        condition.inner.notify_all()


def condition_free(cid):
    _conditions.pop(int(cid), None)
