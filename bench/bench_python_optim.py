"""t7.optim step time against torch.optim on the same parameters, measured in the same run,
with ratios (>1: we are slower).

    pip install torch==2.13.0   # the CPU build; only for comparison
    PYTHONPATH=. python bench/bench_python_optim.py [--rounds R] [--steps S]

The parameter set is an MLP 784-256-10's (weights and biases, float32, 203,530 values),
each with a gradient; a step updates all four in place. Medians over rounds, the two
contenders alternating within each round.
"""
import argparse
import statistics
import time

import numpy as np
import torch

import torch7_compat as t7

SHAPES = [(256, 784), (256,), (10, 256), (10,)]
CASES = [
    ("SGD", dict(lr=0.01)),
    ("SGD", dict(lr=0.01, momentum=0.9)),
    ("SGD", dict(lr=0.01, momentum=0.9, nesterov=True, weight_decay=1e-4)),
    ("Adam", dict(lr=1e-3)),
    ("AdamW", dict(lr=1e-3)),
    ("RMSprop", dict(lr=1e-3)),
    ("Adagrad", dict(lr=1e-2)),
]


def make_optimizers(name, options):
    rng = np.random.default_rng(0)
    values = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    grads = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    ours = [t7.from_numpy(v.copy()) for v in values]
    for p, g in zip(ours, grads):
        p.grad = t7.from_numpy(g.copy())
    theirs = [torch.tensor(v, requires_grad=True) for v in values]
    for p, g in zip(theirs, grads):
        p.grad = torch.tensor(g)
    return getattr(t7.optim, name)(ours, **options), getattr(torch.optim, name)(theirs,
                                                                                **options)


def time_steps(optimizer, steps):
    optimizer.step()
    start = time.perf_counter()
    for _ in range(steps):
        optimizer.step()
    return (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--torch-threads", type=int, default=0,
                        help="torch.set_num_threads (0: torch's default); our steps run on "
                             "one thread (numpy)")
    args = parser.parse_args()
    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    print("optimizer step over an MLP 784-256-10's parameters (float32), median of %d rounds, "
          "torch on %d threads" % (args.rounds, torch.get_num_threads()))
    print("%-64s %10s %10s %7s" % ("case", "t7 (us)", "torch (us)", "ratio"))
    for name, options in CASES:
        ours, theirs = make_optimizers(name, options)
        t7_times, torch_times = [], []
        for _ in range(args.rounds):
            t7_times.append(time_steps(ours, args.steps))
            torch_times.append(time_steps(theirs, args.steps))
        mine, reference = statistics.median(t7_times), statistics.median(torch_times)
        label = "%s(%s)" % (name, ", ".join("%s=%s" % kv for kv in options.items()))
        print("%-64s %10.1f %10.1f %7.2f" % (label, mine * 1e6, reference * 1e6,
                                            mine / reference))


if __name__ == "__main__":
    main()
