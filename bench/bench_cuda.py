"""CUDA benchmarks: train steps of this project's cunn (Lua driving our CUDA kernels) against
PyTorch CUDA, and a 4096x4096 float matrix product (both through cuBLAS), each contender in a
process of its own, rounds alternating between them, medians over rounds and ratios
(>1: we are slower). Needs a GPU, the CUDA extension (TORCH7_COMPAT_CUDA=1) and a CUDA build
of PyTorch (for the comparison).

    python bench/bench_cuda.py [--rounds R] [--steps S] [--batches 64,128,1024]

1. MLP 784-256-10 train step (ReLU, LogSoftMax, ClassNLL, SGD), float32;
2. LeNet-style CNN train step on 1x28x28 (as bench/bench_nn.py);
at each batch size, driven from Lua and (the same Lua model) from Python through the
bridge, whose CudaTensors cost a few microseconds a call; 3. C = A B for 4096x4096 float
matrices, in GFLOP/s.

The issue's targets: train steps at most 1.5x PyTorch's time at batch 64 and 128 and 1.2x at
1024; the product at least 80% of PyTorch's throughput. Torch7's nn computes every module's
gradInput, the first layer's included, so PyTorch's input requires a gradient here too (the
same work). ClassNLL returns its loss to the host each step, as the original's did.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import own_process  # noqa: E402
from bench_nn import MODELS  # noqa: E402  (the same networks as the CPU benchmark)

WARMUP = 10

STEP_LUA = """
local steps, warmup, size = ...
require 'cunn'
torch.setdefaulttensortype('torch.FloatTensor')
torch.manualSeed(0)
local model = (%s):cuda()
local criterion = nn.ClassNLLCriterion():cuda()
local dims = {}
for i = 1, #size do dims[i] = size[i] end
local x = torch.randn(torch.LongStorage(dims)):cuda()
local y = torch.Tensor(dims[1]):random(1, 10):cuda()
local function step()
   model:zeroGradParameters()
   local out = model:forward(x)
   criterion:forward(out, y)
   model:backward(x, criterion:backward(out, y))
   model:updateParameters(0.01)
end
for _ = 1, warmup do step() end
cutorch.synchronize()
local timer = torch.Timer()
for _ = 1, steps do step() end
cutorch.synchronize()
local seconds = timer:time().real / steps
torch.setdefaulttensortype('torch.DoubleTensor')
return seconds
"""

MM_LUA = """
local steps, warmup, n = ...
require 'cutorch'
local a = torch.CudaTensor(n, n):uniform()
local b = torch.CudaTensor(n, n):uniform()
local c = torch.CudaTensor(n, n)
for _ = 1, warmup do c:mm(a, b) end
cutorch.synchronize()
local timer = torch.Timer()
for _ = 1, steps do c:mm(a, b) end
cutorch.synchronize()
return timer:time().real / steps
"""

MM_SIZE = 4096


def ours(model, batch, steps):
    import torch7_compat as t7
    if model == "mm":
        return t7.lua.execute(MM_LUA, steps, WARMUP, MM_SIZE)
    size = [batch] + list(MODELS[model]["input"][1:])
    return t7.lua.execute(STEP_LUA % MODELS[model]["lua"], steps, WARMUP, size)


def ours_from_python(model, batch, steps):
    """The Lua model and criterion driven step by step from Python (CudaTensors)."""
    import torch7_compat as t7
    t7.require("cunn")
    t7.manual_seed(0)
    net = t7.lua.eval("(%s):cuda()" % MODELS[model]["lua"])
    criterion = t7.lua.eval("nn.ClassNLLCriterion():cuda()")
    size = [batch] + list(MODELS[model]["input"][1:])
    x = t7.randn(*size).cuda()
    y = t7.randint(1, 11, (batch,)).float().cuda()

    def run():
        net.zeroGradParameters()
        out = net.forward(x)
        criterion.forward(out, y)
        net.backward(x, criterion.backward(out, y))
        net.updateParameters(0.01)
    for _ in range(WARMUP):
        run()
    t7.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(steps):
        run()
    t7.cuda.synchronize()
    return (time.perf_counter() - t0) / steps


def theirs(model, batch, steps):
    import torch
    from bench_nn import torch_model
    device = torch.device("cuda")
    if model == "mm":
        a = torch.rand(MM_SIZE, MM_SIZE, device=device)
        b = torch.rand(MM_SIZE, MM_SIZE, device=device)
        c = torch.empty(MM_SIZE, MM_SIZE, device=device)
        run = lambda: torch.mm(a, b, out=c)  # noqa: E731
    else:
        torch.manual_seed(0)
        net = torch_model(model).to(device)
        criterion = torch.nn.NLLLoss()
        optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
        size = [batch] + list(MODELS[model]["input"][1:])
        x = torch.randn(*size, device=device, requires_grad=True)
        y = torch.randint(0, 10, (batch,), device=device)

        def run():
            optimizer.zero_grad()
            x.grad = None
            loss = criterion(net(x), y)
            loss.backward()
            optimizer.step()
            loss.item()          # the loss reaches the host, as ClassNLL's does in Lua
    for _ in range(WARMUP):
        run()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(steps):
        run()
    torch.cuda.synchronize()
    return (time.perf_counter() - t0) / steps


def in_own_process(contender, model, batch, steps):
    return float(own_process.run(__file__, "--child", contender, "--model", model,
                                 "--batch", batch, "--steps", steps))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", choices=list(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", default="64,128,1024")
    args = parser.parse_args()
    if args.child:
        print(repr(CONTENDERS[args.child](args.model, args.batch, args.steps)))
        return
    try:
        import torch
        contenders = ["ours", "torch"] if torch.cuda.is_available() else ["ours"]
        print("PyTorch %s (CUDA %s)%s" % (torch.__version__, torch.version.cuda,
                                          "" if len(contenders) == 2 else ": no GPU for it"))
    except ImportError:
        print("PyTorch is not installed: ours alone")
        contenders = ["ours"]
    cases = [(m, int(b)) for m in ("mlp", "lenet") for b in args.batches.split(",")]
    cases.append(("mm", 0))
    for model, batch in cases:
        here = contenders + ([] if model == "mm" else ["ours_py"])
        times = {c: [] for c in here}
        for _ in range(args.rounds):
            for c in here:
                times[c].append(in_own_process(c, model, batch, args.steps))
        median = {c: statistics.median(t) for c, t in times.items()}
        if model == "mm":
            flops = 2.0 * MM_SIZE ** 3
            line = "%dx%d float mm: ours %.0f GFLOP/s" % (MM_SIZE, MM_SIZE,
                                                        flops / median["ours"] / 1e9)
            if "torch" in median:
                line += ", PyTorch %.0f GFLOP/s, ours/PyTorch throughput %.2f" % (
                    flops / median["torch"] / 1e9, median["torch"] / median["ours"])
        else:
            line = "%-5s batch %4d train step: ours %.3f ms" % (model, batch,
                                                               median["ours"] * 1e3)
            if "torch" in median:
                line += ", PyTorch %.3f ms, ratio ours/PyTorch %.2f" % (
                    median["torch"] * 1e3, median["ours"] / median["torch"])
            line += "; from Python %.3f ms (%.2f of Lua's time)" % (
                median["ours_py"] * 1e3, median["ours_py"] / median["ours"])
        print(line, flush=True)


CONTENDERS = {"ours": ours, "ours_py": ours_from_python, "torch": theirs}

if __name__ == "__main__":
    main()
