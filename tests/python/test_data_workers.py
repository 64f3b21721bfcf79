"""DataLoader with worker processes: every sample once and in order, reproducible
shuffles, exceptions carried to the parent, and no child process or shared file left."""
import glob
import multiprocessing
import os

import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import data
from torch7_compat.data.shared_memory import shared_directory

from data_cases import BrokenStream, DiesAt, FailsAt, Numbered, Stream, doubled_features, \
    failing_init, record_seed


def our_files():
    return glob.glob(os.path.join(shared_directory(), "t7data_%d_*" % os.getpid()))


@pytest.fixture(autouse=True)
def nothing_left_behind():
    yield
    assert multiprocessing.active_children() == []
    assert our_files() == []


def indices_of(loader):
    return [b["index"].tolist() for b in loader]


def test_every_sample_once_in_sampler_order():
    dataset = Numbered(53)
    loader = data.DataLoader(dataset, batch_size=4, num_workers=2)
    batches = list(loader)
    assert [i for b in batches for i in b["index"].tolist()] == list(range(53))
    for batch in batches:
        features = batch["features"]
        assert isinstance(features, t7.Tensor) and features.dtype == np.float32
        np.testing.assert_array_equal(features.numpy(), np.stack(
            [np.full((40, 40), float(i), np.float32) for i in batch["index"].tolist()]))
    assert multiprocessing.active_children() == []


def test_shuffled_epochs_with_workers_match_the_same_seed_without():
    dataset = Numbered(30)
    with_workers = data.DataLoader(dataset, batch_size=3, shuffle=True, num_workers=3,
                                   generator=9)
    in_process = data.DataLoader(dataset, batch_size=3, shuffle=True, generator=9)
    assert indices_of(with_workers) == indices_of(in_process)
    epoch = [i for b in indices_of(with_workers) for i in b]
    assert sorted(epoch) == list(range(30))


def test_breaking_out_of_the_loop_stops_the_workers():
    loader = data.DataLoader(Numbered(100), batch_size=2, num_workers=2, prefetch_factor=4)
    for number, _ in enumerate(loader):
        if number == 3:
            break
    assert multiprocessing.active_children() == []


def test_iterator_collected_midway_stops_the_workers():
    iterator = iter(data.DataLoader(Numbered(100), batch_size=2, num_workers=2))
    assert next(iterator)["index"].tolist() == [0, 1]
    assert len(multiprocessing.active_children()) == 2
    del iterator
    assert multiprocessing.active_children() == []


def test_worker_exception_reaches_the_parent_with_its_traceback():
    loader = data.DataLoader(FailsAt(20, bad_index=9), batch_size=2, num_workers=2)
    seen = []
    with pytest.raises(ValueError) as raised:
        for batch in loader:
            seen.extend(batch["index"].tolist())
    message = str(raised.value)
    assert "Caught ValueError in DataLoader worker process 0" in message
    assert "sample 9 is broken" in message and "data_cases.py" in message
    assert seen == list(range(8))
    assert multiprocessing.active_children() == []


def test_worker_init_fn_failure_reaches_the_parent():
    loader = data.DataLoader(Numbered(4), num_workers=1, worker_init_fn=failing_init)
    with pytest.raises(KeyError, match="no init for worker 0"):
        list(loader)


def test_a_worker_that_dies_is_reported():
    loader = data.DataLoader(DiesAt(10, bad_index=3), batch_size=1, num_workers=2)
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+.*exited "
                                           r"unexpectedly"):
        list(loader)


def test_iterable_dataset_shared_out_by_worker_info():
    loader = data.DataLoader(Stream(11), batch_size=2, num_workers=3)
    values = sorted(v for batch in loader for v in batch.tolist())
    assert values == list(range(11))


def test_persistent_workers_serve_several_epochs():
    loader = data.DataLoader(Numbered(9), batch_size=2, num_workers=2,
                             persistent_workers=True, worker_init_fn=record_seed)
    first = indices_of(loader)
    workers = multiprocessing.active_children()
    assert len(workers) == 2
    partial = iter(loader)
    next(partial)                      # an epoch broken off: its batches are dropped
    second = indices_of(loader)
    assert first == second == [[0, 1], [2, 3], [4, 5], [6, 7], [8]]
    assert sorted(w.pid for w in multiprocessing.active_children()) == \
        sorted(w.pid for w in workers)
    stream = data.DataLoader(Stream(5), batch_size=2, num_workers=2, persistent_workers=True)
    assert [sorted(v for b in stream for v in b.tolist()) for _ in range(2)] == [
        list(range(5))] * 2
    del loader, partial, stream


def test_workers_start_after_the_parent_ran_its_thread_pools():
    # the core's thread pool and BLAS threads have run in this process
    t7.lua.execute("local a = torch.randn(600, 600); local b = a * a; return b:sum()")
    dataset = data.TensorDataset(t7.from_numpy(np.arange(64.0).reshape(16, 4)))
    loader = data.DataLoader(dataset, batch_size=4, num_workers=2, timeout=120)
    rows = np.concatenate([b[0].numpy() for b in loader])
    np.testing.assert_array_equal(rows, np.arange(64.0).reshape(16, 4))


def test_timeout_is_reported():
    loader = data.DataLoader(Stream(3), num_workers=1, timeout=0.001,
                             worker_init_fn=_sleepy_init)
    with pytest.raises(RuntimeError, match="DataLoader timed out after 0.001 seconds"):
        list(loader)


def _sleepy_init(worker_id):
    import time
    time.sleep(2)


def test_an_unpicklable_dataset_fails_cleanly():
    class Local(data.Dataset):          # a class workers cannot import
        def __len__(self):
            return 2

        def __getitem__(self, index):
            return index
    with pytest.raises(Exception, match="pickle|Local"):
        iter(data.DataLoader(Local(), num_workers=2))


def test_large_dataset_tensors_reach_workers_through_shared_files():
    images = np.random.default_rng(0).standard_normal((64, 3, 16, 16)).astype(np.float32)
    loader = data.DataLoader(data.TensorDataset(t7.from_numpy(images)), batch_size=16,
                             num_workers=2)
    iterator = iter(loader)
    assert len(our_files()) >= 1                # the dataset's tensor, mapped by workers
    batches = [b[0].numpy() for b in iterator]
    np.testing.assert_array_equal(np.concatenate(batches), images)


EXIT_SCRIPT = """
import os
import sys
sys.path.insert(0, {tests!r})
from torch7_compat import data
from data_cases import Numbered
iterator = iter(data.DataLoader(Numbered(400), batch_size=8, num_workers=2))
next(iterator)
print(os.getpid())
"""


def test_interpreter_exit_with_an_iterator_alive_is_clean():
    from conftest import run_python
    tests = os.path.dirname(os.path.abspath(__file__))
    result = run_python(EXIT_SCRIPT.format(tests=tests), timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr
    child = int(result.stdout)
    assert glob.glob(os.path.join(shared_directory(), "t7data_%d_*" % child)) == []


def test_a_collate_fn_that_makes_new_arrays_leaves_no_files():
    loader = data.DataLoader(Numbered(40), batch_size=8, num_workers=1,
                             collate_fn=doubled_features, persistent_workers=True)
    for features in loader:
        np.testing.assert_array_equal(features[:, 0, 0] % 2, 0)
    assert our_files() == []            # stacked batches were replaced and their files gone
    del loader


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_start_methods_and_unbatched_loading(method):
    loader = data.DataLoader(Numbered(5), batch_size=None, num_workers=2,
                             multiprocessing_context=method)
    samples = list(loader)
    assert [s["index"] for s in samples] == list(range(5))
    assert all(isinstance(s["features"], t7.Tensor) for s in samples)
    np.testing.assert_array_equal(samples[3]["features"].numpy(), 3.0)


def test_a_stream_that_fails_to_open_in_a_worker():
    with pytest.raises(OSError, match="(?s)Caught OSError in DataLoader worker process .*stream "
                                      "unavailable"):
        list(data.DataLoader(BrokenStream(), batch_size=2, num_workers=2))


SCRIPT_FILE = """
import sys
sys.path.insert(0, {tests!r})
from torch7_compat import data
from data_cases import Numbered

def main():
    print(len(list(data.DataLoader(Numbered(40), batch_size=8, num_workers=2))))
{call}
"""


@pytest.mark.parametrize("guarded", [True, False])
def test_a_script_file_needs_the_main_guard_and_is_told_so(tmp_path, guarded):
    """Workers import the main script again (forkserver): unguarded, that import would make
    workers of its own; the failure says what to do."""
    import subprocess
    import sys
    from conftest import python_env
    tests = os.path.dirname(os.path.abspath(__file__))
    call = "if __name__ == '__main__':\n    main()" if guarded else "main()"
    script = tmp_path / "train.py"
    script.write_text(SCRIPT_FILE.format(tests=tests, call=call))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            env=python_env(), cwd=str(tmp_path), timeout=120)
    if guarded:
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["5"]
    else:
        assert result.returncode != 0
        assert "if __name__ == '__main__':" in result.stderr.splitlines()[-1]
