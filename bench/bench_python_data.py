"""t7.data.DataLoader throughput against torch.utils.data.DataLoader, in the same run,
with ratios of epoch times (>1: we are slower).

    pip install torch==2.13.0   # the CPU build; only for comparison
    PYTHONPATH=. python bench/bench_python_data.py [--rounds R] [--workers 0 2]

Dataset: 8192 float32 images 3x32x32 and int64 labels (a TensorDataset), shuffled, batch
size 64, every batch touched (sum of one value). Each line gives the median epoch time over
rounds; with workers, a fresh loader per epoch, so the times include starting the workers
(ours with forkserver, PyTorch's with fork, each library's default on Linux) and, apart,
the time to the first batch; "persistent" reuses one loader whose workers serve every
epoch (persistent_workers=True), so startup is out of the figure. torch is imported
inside main(): a forkserver or spawn worker imports the main script again, and would
import torch with it.
"""
import argparse
import statistics
import time

import numpy as np

import torch7_compat as t7

SAMPLES, BATCH = 8192, 64


def epoch(make_loader):
    start = time.perf_counter()
    first = None
    count = 0
    for images, labels in make_loader():
        if first is None:
            first = time.perf_counter() - start
        count += len(labels)
        images.numpy()[0, 0, 0, 0]
    assert count == SAMPLES
    return time.perf_counter() - start, first


def _reused(loader):
    return lambda: loader


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="*", default=[0, 2])
    args = parser.parse_args()
    import torch
    import torch.utils.data as torch_data
    rng = np.random.default_rng(0)
    images = rng.standard_normal((SAMPLES, 3, 32, 32)).astype(np.float32)
    labels = rng.integers(0, 10, SAMPLES)
    ours = t7.data.TensorDataset(t7.from_numpy(images), t7.from_numpy(labels))
    theirs = torch_data.TensorDataset(torch.from_numpy(images), torch.from_numpy(labels))
    print("DataLoader epoch: %d samples 3x32x32 float32, batch %d, shuffled; median of %d"
          % (SAMPLES, BATCH, args.rounds))
    print("%-14s %12s %12s %7s %16s %16s" % ("workers", "t7 (ms)", "torch (ms)", "ratio",
                                             "t7 first (ms)", "torch first (ms)"))
    cases = [(w, False) for w in args.workers] + [(w, True) for w in args.workers if w]
    for workers, persistent in cases:
        def make_ours():
            return t7.data.DataLoader(ours, batch_size=BATCH, shuffle=True,
                                      num_workers=workers, persistent_workers=persistent)

        def make_theirs():
            return torch_data.DataLoader(theirs, batch_size=BATCH, shuffle=True,
                                         num_workers=workers, persistent_workers=persistent)
        if persistent:          # one loader each, its workers serving every epoch
            make_ours, make_theirs = _reused(make_ours()), _reused(make_theirs())
        epoch(make_ours), epoch(make_theirs)            # warm-up
        results = {"t7": [], "torch": []}
        for _ in range(args.rounds):
            results["t7"].append(epoch(make_ours))
            results["torch"].append(epoch(make_theirs))
        mine = statistics.median(r[0] for r in results["t7"])
        reference = statistics.median(r[0] for r in results["torch"])
        print("%-14s %12.1f %12.1f %7.2f %16.1f %16.1f" % (
            "%d%s" % (workers, " persistent" if persistent else ""),
            mine * 1e3, reference * 1e3, mine / reference,
            statistics.median(r[1] for r in results["t7"]) * 1e3,
            statistics.median(r[1] for r in results["torch"]) * 1e3))


if __name__ == "__main__":
    main()
