"""nn benchmarks: train steps of this project's nn (Lua driving our kernels) against PyTorch's
CPU build, each contender in a process of its own, the rounds alternating between them,
with medians over rounds and ratios (>1: we are slower); and the peak memory (maximum
resident set) of the MLP run's process against PyTorch's.

    pip install torch==2.13.0   # the CPU build; only for comparison
    python bench/bench_nn.py [--threads N] [--rounds R] [--steps S]

1. LeNet-style CNN train step, batch 64 of 1x28x28, float32: conv 1->20 5x5, max-pool 2,
   conv 20->50 5x5, max-pool 2, linear 800->500, ReLU, linear 500->10, LogSoftMax,
   ClassNLL, SGD update;
2. MLP 784-256-10 train step (ReLU, LogSoftMax, ClassNLL, SGD), batch 128, float32.

Torch7's nn always computes every module's gradInput, the first layer's included; PyTorch
skips the input's gradient unless the input requires one. "same work" gives PyTorch's input
requires_grad, "no input grad" does not.
"""
import argparse
import os
import resource
import statistics
import time

import own_process

MODELS = {
    "lenet": {
        "title": "LeNet-style CNN train step, batch 64 of 1x28x28, float32",
        "lua": """
            nn.Sequential()
               :add(nn.SpatialConvolution(1, 20, 5, 5))
               :add(nn.SpatialMaxPooling(2, 2, 2, 2))
               :add(nn.SpatialConvolution(20, 50, 5, 5))
               :add(nn.SpatialMaxPooling(2, 2, 2, 2))
               :add(nn.View(800))
               :add(nn.Linear(800, 500))
               :add(nn.ReLU())
               :add(nn.Linear(500, 10))
               :add(nn.LogSoftMax())
        """,
        "input": (64, 1, 28, 28),
    },
    "mlp": {
        "title": "MLP 784-256-10 train step, batch 128, float32",
        "lua": """
            nn.Sequential():add(nn.Linear(784, 256)):add(nn.ReLU()):add(nn.Linear(256, 10))
               :add(nn.LogSoftMax())
        """,
        "input": (128, 784),
    },
}

STEP_LUA = """
local steps, threads, size = ...
torch.setnumthreads(threads)
torch.setdefaulttensortype('torch.FloatTensor')
require 'nn'
torch.manualSeed(0)
local model = %s
local criterion = nn.ClassNLLCriterion()
local dims = {}
for i = 1, #size do dims[i] = size[i] end
local x = torch.randn(torch.LongStorage(dims))
local y = torch.LongTensor(dims[1]):random(1, 10)
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


def median_ms(times):
    return statistics.median(times[len(times) // 5:]) * 1e3   # drop the warm-up fifth


def run_ours(model, steps, threads):
    import torch7_compat as t7
    spec = MODELS[model]
    times = t7.lua.execute(STEP_LUA % spec["lua"], steps, threads, list(spec["input"]))
    return median_ms(list(times.values()))


def torch_model(model):
    import torch
    nn = torch.nn
    if model == "lenet":
        return nn.Sequential(nn.Conv2d(1, 20, 5), nn.MaxPool2d(2, 2), nn.Conv2d(20, 50, 5),
                             nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(800, 500), nn.ReLU(),
                             nn.Linear(500, 10), nn.LogSoftmax(dim=1))
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10),
                         nn.LogSoftmax(dim=1))


def run_torch(model, steps, threads, input_grad):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = torch_model(model)
    criterion = torch.nn.NLLLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.randn(*MODELS[model]["input"], requires_grad=input_grad)
    y = torch.randint(0, 10, (MODELS[model]["input"][0],))
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        optimizer.zero_grad()
        if input_grad:
            x.grad = None
        loss = criterion(net(x), y)
        loss.backward()
        optimizer.step()
        times.append(time.perf_counter() - t0)
    return median_ms(times)


def child(args):
    """One measurement in this process: prints the median step (ms) and the peak RSS (MiB)."""
    if args.child == "ours":
        ms = run_ours(args.model, args.steps, args.threads)
    else:
        ms = run_torch(args.model, args.steps, args.threads, input_grad=args.child == "same")
    print("%r %r" % (ms, peak_rss_mib()))


def peak_rss_mib():
    """The peak resident set of this process since its exec (VmHWM; getrusage's ru_maxrss
    would include the parent's memory at the fork)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_own_process(contender, model, args):
    ms, mib = own_process.run(__file__, "--child", contender, "--model", model, "--steps",
                              args.steps, "--threads", args.threads).split()
    return float(ms), float(mib)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", choices=["ours", "same", "lighter"], help=argparse.SUPPRESS)
    parser.add_argument("--model", choices=sorted(MODELS), help=argparse.SUPPRESS)
    parser.add_argument("--models", default="lenet,mlp",
                        help="comma-separated: lenet, mlp (default both)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds alternating the contenders; medians over rounds")
    args = parser.parse_args()
    if args.child:
        return child(args)
    try:
        import torch
        print("PyTorch %s, %d threads" % (torch.__version__, args.threads))
        contenders = ["ours", "same", "lighter"]
    except ImportError:
        print("PyTorch is not installed: pip install torch==2.13.0 (CPU) for the comparison")
        contenders = ["ours"]
    for model in args.models.split(","):
        print("\n%s (median ms over %d rounds of %d steps)"
              % (MODELS[model]["title"], args.rounds, args.steps))
        times = {c: [] for c in contenders}
        peaks = {c: [] for c in contenders}
        # Rounds alternate the contenders, so that a slow spell of a shared machine hits all.
        for _ in range(args.rounds):
            for c in contenders:
                ms, mib = in_own_process(c, model, args)
                times[c].append(ms)
                peaks[c].append(mib)
        ours = statistics.median(times["ours"])
        print("  torch7_compat (Lua)     %8.3f" % ours)
        if "same" in times:
            same = statistics.median(times["same"])
            lighter = statistics.median(times["lighter"])
            print("  PyTorch, same work      %8.3f    ratio ours/PyTorch %.2f"
                  % (same, ours / same))
            print("  PyTorch, no input grad  %8.3f    ratio ours/PyTorch %.2f"
                  % (lighter, ours / lighter))
        if model == "mlp":
            print("  peak memory of the process (MiB, median over rounds):")
            ours_mib = statistics.median(peaks["ours"])
            print("    torch7_compat         %8.1f" % ours_mib)
            if "same" in peaks:
                theirs = statistics.median(peaks["lighter"])
                print("    PyTorch               %8.1f    ratio ours/PyTorch %.2f"
                      % (theirs, ours_mib / theirs))


if __name__ == "__main__":
    main()
