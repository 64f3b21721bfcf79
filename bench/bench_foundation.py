"""Foundation benchmarks: this project (Lua driving our kernels) against PyTorch's CPU build
and numpy, measured in the same run, with ratios (>1: we are slower). Each contender runs
in a process of its own (two OpenMP runtimes in one process steal each other's cores), and
the rounds alternate between them.

    pip install torch==2.13.0   # the CPU build; only for comparison
    python bench/bench_foundation.py [--threads N]

1. an MLP 784-256-10 train step (forward, backward, SGD update) at batch 128, float32;
2. the per-call cost of a:add(b) on 10-element FloatTensors (Lua loop; PyTorch and numpy
   driven from Python, which is how their users call them);
3. start-up: `th -e "require 'nn'"` against `python -c "import torch"`.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

import torch7_compat as t7

import own_process

MLP_LUA = """
local steps, threads = ...
torch.setnumthreads(threads)
torch.setdefaulttensortype('torch.FloatTensor')
require 'nn'
torch.manualSeed(0)
local model = nn.Sequential():add(nn.Linear(784, 256)):add(nn.ReLU()):add(nn.Linear(256, 10))
   :add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()
local x = torch.randn(128, 784)
local y = torch.LongTensor(128):random(1, 10)
local times = {}
for i = 1, steps do
   local timer = torch.Timer()
   model:zeroGradParameters()
   local out = model:forward(x)
   criterion:forward(out, y)
   model:backward(x, criterion:backward(out, y))
   model:updateParameters(0.01)
   times[i] = timer:time().real
end
torch.setdefaulttensortype('torch.DoubleTensor')
return times
"""

ADD_LUA = """
local n = ...
local a, b = torch.FloatTensor(10):fill(1), torch.FloatTensor(10):fill(2)
for i = 1, 1000 do a:add(b) end
local timer = torch.Timer()
for i = 1, n do a:add(b) end
return timer:time().real / n
"""


def median_ms(times):
    return statistics.median(times[len(times) // 5:]) * 1e3   # drop the warm-up fifth


def bench_mlp_ours(steps, threads):
    times = t7.lua.execute(MLP_LUA, steps, threads)
    return median_ms(list(times.values()))


def bench_mlp_torch(steps, threads, input_grad):
    """input_grad: also compute the gradient with respect to the input, as Torch7's nn
    always does (its backward fills every module's gradInput); PyTorch skips it unless the
    input requires a gradient."""
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 10), torch.nn.LogSoftmax(dim=1))
    criterion = torch.nn.NLLLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.randn(128, 784, requires_grad=input_grad)
    y = torch.randint(0, 10, (128,))
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        optimizer.zero_grad()
        if input_grad:
            x.grad = None
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        times.append(time.perf_counter() - t0)
    return median_ms(times)


def bench_add_ours(n):
    return t7.lua.execute(ADD_LUA, n) * 1e9


def per_call_ns(fn, n):
    for _ in range(1000):
        fn()
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n * 1e9


def bench_add_torch(n):
    import torch
    a, b = torch.ones(10), torch.full((10,), 2.0)
    return per_call_ns(lambda: a.add_(b), n)


def bench_add_numpy(n):
    a, b = np.ones(10, np.float32), np.full(10, 2, np.float32)
    return per_call_ns(lambda: np.add(a, b, out=a), n)


def startup_seconds(command, runs=5):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, env=env, capture_output=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def th_command():
    installed = os.path.join(os.path.dirname(sys.executable), "th")
    return [installed] if os.path.exists(installed) else [sys.executable, "-m",
                                                          "torch7_compat.cli"]


def in_own_process(contender, args):
    """The median step time of one contender, measured in a fresh process."""
    return float(own_process.run(__file__, "--mlp-only", contender, "--steps", args.steps,
                                 "--threads", args.threads))


def mlp_only(contender, args):
    if contender == "ours":
        print(bench_mlp_ours(args.steps, args.threads))
    else:
        print(bench_mlp_torch(args.steps, args.threads, input_grad=contender == "same"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mlp-only", choices=["ours", "same", "lighter"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds alternating the contenders; medians over rounds")
    args = parser.parse_args()
    if args.mlp_only:
        return mlp_only(args.mlp_only, args)
    try:
        import torch
        print("PyTorch %s, %d threads" % (torch.__version__, args.threads))
    except ImportError:
        torch = None
        print("PyTorch is not installed: pip install torch==2.13.0 (CPU) for the comparison")

    print("\nMLP 784-256-10 train step, batch 128, float32 (median ms over %d rounds)"
          % args.rounds)
    # Rounds alternate the contenders, so that a slow spell of a shared machine hits all.
    rounds = {"ours": [], "same": [], "lighter": []}
    for _ in range(args.rounds):
        rounds["ours"].append(in_own_process("ours", args))
        if torch:
            rounds["same"].append(in_own_process("same", args))
            rounds["lighter"].append(in_own_process("lighter", args))
    ours = statistics.median(rounds["ours"])
    print("  torch7_compat (Lua)    %8.3f" % ours)
    if torch:
        same, lighter = statistics.median(rounds["same"]), statistics.median(rounds["lighter"])
        print("  PyTorch, same work     %8.3f    ratio ours/PyTorch %.2f" % (same, ours / same))
        print("  PyTorch, no input grad %8.3f    ratio ours/PyTorch %.2f"
              % (lighter, ours / lighter))

    n = 2_000_000
    print("\na:add(b) on 10-element float tensors (ns per call)")
    ours = bench_add_ours(n * 5)
    print("  torch7_compat (Lua)   %8.1f" % ours)
    numpy_ns = bench_add_numpy(n)
    print("  numpy (Python)        %8.1f    ratio ours/numpy %.3f" % (numpy_ns, ours / numpy_ns))
    if torch:
        theirs = bench_add_torch(n)
        print("  PyTorch (Python)      %8.1f    ratio ours/PyTorch %.3f" % (theirs, ours / theirs))

    print("\nstart-up (best of 5, s)")
    ours = startup_seconds(th_command() + ["-e", "require 'nn'"])
    print("  th -e \"require 'nn'\"  %8.3f" % ours)
    if torch:
        theirs = startup_seconds([sys.executable, "-c", "import torch"])
        print("  python -c 'import torch' %5.3f    ratio %.2f" % (theirs, ours / theirs))


if __name__ == "__main__":
    main()
