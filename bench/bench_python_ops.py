"""Python-side tensor operations: t7.Tensor against numpy and PyTorch's CPU build, measured
in the same run, with ratios (>1: we are slower).

    pip install torch==2.13.0   # the CPU build; only for comparison (skipped when absent)
    python bench/bench_python_ops.py [--rounds N]     # PYTHONPATH=. from a source tree

1. per-operation overhead on 10-element float32 tensors: the in-place add (`a += b`,
   `a.add_(b)`) against numpy's `np.add(a, b, out=a)` and PyTorch's `a.add_(b)`; then a
   new-result add, an element read and a 0-d sum;
2. throughput on large tensors: add and mul of 1e7 floats (new results), the in-place add,
   the sum of 1e7 floats, a 1024x1024 float matrix product.

Everything runs on one thread (OPENBLAS_NUM_THREADS, torch.set_num_threads(1),
torch.setnumthreads(1) in Lua), so the figures compare code, not thread pools. Each figure
is the median over rounds of the best of a few timeit repeats.
"""
import argparse
import os
import statistics
import timeit

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import torch7_compat as t7  # noqa: E402

try:
    import torch  # noqa: E402
    torch.set_num_threads(1)
except ImportError:
    torch = None


def per_call(statement, env, number):
    """Seconds per call: the best of 5 repeats of `number` calls. The operands are local
    variables of the timing loop (as in a function), for every contender alike."""
    setup = "; ".join("%s = __env[%r]" % (name, name) for name in env)
    return min(timeit.repeat(statement, setup=setup, globals={"__env": env}, number=number,
                             repeat=5)) / number


def measure(cases, rounds, number):
    results = {}
    for _ in range(rounds):
        for name, contenders in cases:
            for who, (statement, env) in contenders.items():
                results.setdefault((name, who), []).append(per_call(statement, env, number))
    return {key: statistics.median(values) for key, values in results.items()}


def small_cases():
    a_np, b_np = np.ones(10, np.float32), np.ones(10, np.float32)
    a, b = t7.ones(10), t7.ones(10)
    env = {"np": np, "a": a, "b": b, "a_np": a_np, "b_np": b_np}
    if torch is not None:
        env.update(a_pt=torch.ones(10), b_pt=torch.ones(10))
    cases = [
        ("in-place add (a += b)", {"t7": ("a += b", env), "numpy": ("a_np += b_np", env),
                                   "torch": ("a_pt += b_pt", env)}),
        ("in-place add (add_ / np.add out=)", {"t7": ("a.add_(b)", env),
                                               "numpy": ("np.add(a_np, b_np, out=a_np)", env),
                                               "torch": ("a_pt.add_(b_pt)", env)}),
        ("add, new result (a + b)", {"t7": ("a + b", env), "numpy": ("a_np + b_np", env),
                                     "torch": ("a_pt + b_pt", env)}),
        ("element read (a[3])", {"t7": ("a[3]", env), "numpy": ("a_np[3]", env),
                                 "torch": ("a_pt[3]", env)}),
        ("sum to 0-d (a.sum())", {"t7": ("a.sum()", env), "numpy": ("a_np.sum()", env),
                                  "torch": ("a_pt.sum()", env)}),
    ]
    return strip_torch(cases)


def large_cases():
    n = 10_000_000
    rng = np.random.default_rng(0)
    x_np = rng.standard_normal(n).astype(np.float32)
    y_np = rng.standard_normal(n).astype(np.float32)
    m_np = rng.standard_normal((1024, 1024)).astype(np.float32)
    env = {"np": np, "x_np": x_np, "y_np": y_np, "m_np": m_np,
           "x": t7.tensor(x_np), "y": t7.tensor(y_np), "m": t7.tensor(m_np)}
    if torch is not None:
        env.update(x_pt=torch.from_numpy(x_np.copy()), y_pt=torch.from_numpy(y_np.copy()),
                   m_pt=torch.from_numpy(m_np.copy()))
    cases = [
        ("add 1e7 floats (x + y)", {"t7": ("x + y", env), "numpy": ("x_np + y_np", env),
                                    "torch": ("x_pt + y_pt", env)}),
        ("mul 1e7 floats (x * y)", {"t7": ("x * y", env), "numpy": ("x_np * y_np", env),
                                    "torch": ("x_pt * y_pt", env)}),
        ("in-place add 1e7 floats", {"t7": ("x += y", env), "numpy": ("x_np += y_np", env),
                                     "torch": ("x_pt += y_pt", env)}),
        ("sum of 1e7 floats", {"t7": ("x.sum()", env), "numpy": ("x_np.sum()", env),
                               "torch": ("x_pt.sum()", env)}),
        ("matmul 1024x1024 floats", {"t7": ("m @ m", env), "numpy": ("m_np @ m_np", env),
                                     "torch": ("m_pt @ m_pt", env)}),
    ]
    return strip_torch(cases)


def strip_torch(cases):
    if torch is None:
        for _, contenders in cases:
            contenders.pop("torch")
    return cases


def report(title, cases, figures, unit, scale):
    print(title)
    header = "  %-36s %10s %10s %10s %12s %12s" % ("", "t7", "numpy", "torch", "t7/numpy",
                                                   "t7/torch")
    print(header)
    for name, _ in cases:
        ours = figures[(name, "t7")]
        theirs = figures[(name, "numpy")]
        torch_time = figures.get((name, "torch"))
        print("  %-36s %8.3f%s %8.3f%s %10s %12.2f %12s" % (
            name, ours * scale, unit, theirs * scale, unit,
            "-" if torch_time is None else "%8.3f%s" % (torch_time * scale, unit),
            ours / theirs, "-" if torch_time is None else "%.2f" % (ours / torch_time)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    t7.lua.execute("torch.setnumthreads(1)")
    small = small_cases()
    report("Per-operation overhead, 10 float32 elements (us per call)", small,
           measure(small, args.rounds, 20000), "us", 1e6)
    large = large_cases()
    report("Large tensors, one thread (ms per call)", large, measure(large, args.rounds, 3),
           "ms", 1e3)


if __name__ == "__main__":
    main()
