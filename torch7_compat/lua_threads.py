"""Worker threads for the Lua `threads` package (lua/threads/): each runs a Lua chunk in a
LuaJIT runtime of its own. lupa releases the GIL while Lua runs, so the workers' Lua code
runs in parallel; the queues, mutexes and conditions they share are C objects of the core
(cython_ext/thread_sync.pxi), which they reach without Python.
"""
import itertools
import sys
import threading

_ids = itertools.count(1)
_threads = {}


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
    """Waits for the thread to end."""
    worker = _threads.pop(int(tid), None)
    if worker is not None:
        worker.join()
