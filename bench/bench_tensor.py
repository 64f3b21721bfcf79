"""Tensor math benchmarks: this project's kernels (called from Lua) against numpy and
PyTorch's CPU build, measured in the same run, with ratios (>1: we are slower).

    pip install torch==2.13.0   # the CPU build; only for comparison
    python bench/bench_tensor.py [--rounds N]

1. element-wise add, cmul, exp and the sum of 1e7 floats, one thread (numpy's element-wise
   loops are single-threaded); our sums accumulate in double, numpy's and PyTorch's in float;
2. a 2048x2048 float matrix product, in GFLOP/s, at the same thread count (1 and 2);
3. the transposed (non-contiguous) copy of a 4096x4096 float tensor, one thread;
4. torch.setnumthreads(2) against 1 on large element-wise kernels and a sum.

Each contender lives in a process of its own (two OpenMP runtimes in one process steal each
other's cores; numpy's BLAS takes its thread count at start-up), keeps its operands, and
times one measure per request: the median of a few calls. Rounds alternate the contenders,
so that a slow spell of a shared machine hits all of them; reported figures are medians
over the rounds.
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = 10_000_000
MM = 2048
COPY = 4096
CALLS = 5           # calls per measure; the measure is their median

OURS_LUA = """
local n, mm, copy = ...
torch.setdefaulttensortype('torch.FloatTensor')
torch.manualSeed(0)
local a, b = torch.rand(n):add(-0.5), torch.rand(n):add(-0.5)
local r = torch.zeros(n)
local x, y, z = torch.rand(mm, mm), torch.rand(mm, mm), torch.zeros(mm, mm)
local m, mt = torch.rand(copy, copy), torch.zeros(copy, copy)
torch.setdefaulttensortype('torch.DoubleTensor')
local ops = {
   add = function() r:add(a, b) end,
   cmul = function() r:cmul(a, b) end,
   exp = function() r:exp(a) end,
   sigmoid = function() r:sigmoid(a) end,
   tanh = function() r:tanh(a) end,
   sum = function() return a:sum() end,
   mm = function() z:mm(x, y) end,
   tcopy = function() mt:copy(m:t()) end,
}
return function(name, threads, calls)
   torch.setnumthreads(threads)
   local op, times = ops[name], {}
   for i = 1, calls do
      local timer = torch.Timer()
      op()
      times[i] = timer:time().real
   end
   table.sort(times)
   return times[math.floor((calls + 1) / 2)]
end
"""


def ours_worker():
    import torch7_compat as t7
    measure = t7.lua.execute(OURS_LUA, N, MM, COPY)
    return lambda name, threads: measure(name, threads, CALLS)


def numpy_worker():
    import numpy as np
    rng = np.random.default_rng(0)
    a = rng.random(N, np.float32) - np.float32(0.5)
    b = rng.random(N, np.float32) - np.float32(0.5)
    r = np.zeros(N, np.float32)
    x, y = rng.random((MM, MM), np.float32), rng.random((MM, MM), np.float32)
    z = np.zeros((MM, MM), np.float32)
    m, mt = rng.random((COPY, COPY), np.float32), np.zeros((COPY, COPY), np.float32)
    ops = {
        "add": lambda: np.add(a, b, out=r),
        "cmul": lambda: np.multiply(a, b, out=r),
        "exp": lambda: np.exp(a, out=r),
        "sum": lambda: a.sum(),
        "sum64": lambda: a.sum(dtype=np.float64),
        "mm": lambda: np.matmul(x, y, out=z),
        "tcopy": lambda: np.copyto(mt, m.T),
    }
    return lambda name, threads: median_call(ops[name])


def torch_worker():
    import torch
    torch.manual_seed(0)
    a, b = torch.rand(N) - 0.5, torch.rand(N) - 0.5
    r = torch.zeros(N)
    x, y, z = torch.rand(MM, MM), torch.rand(MM, MM), torch.zeros(MM, MM)
    m, mt = torch.rand(COPY, COPY), torch.zeros(COPY, COPY)
    ops = {
        "add": lambda: torch.add(a, b, out=r),
        "cmul": lambda: torch.mul(a, b, out=r),
        "exp": lambda: torch.exp(a, out=r),
        "sum": lambda: a.sum(),
        "mm": lambda: torch.mm(x, y, out=z),
        "tcopy": lambda: mt.copy_(m.t()),
    }

    def measure(name, threads):
        torch.set_num_threads(threads)
        return median_call(ops[name])
    return measure


def median_call(fn):
    times = []
    for _ in range(CALLS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


WORKERS = {"ours": ours_worker, "numpy": numpy_worker, "torch": torch_worker}


def serve(kind):
    """Worker process: answers 'name threads' lines with a time in seconds."""
    measure = WORKERS[kind]()
    print("ready", flush=True)
    for line in sys.stdin:
        name, threads = line.split()
        print(json.dumps(measure(name, int(threads))), flush=True)


class Contender:
    def __init__(self, kind, blas_threads=None):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
        if glob.glob(os.path.join(ROOT, "torch7_compat", "_core*")):
            env["PYTHONPATH"] = ROOT    # the checkout this file is in, built in place
        if blas_threads:    # numpy's BLAS reads its thread count once, at start-up
            env.update(OPENBLAS_NUM_THREADS=str(blas_threads), OMP_NUM_THREADS=str(blas_threads))
        self.process = subprocess.Popen([sys.executable, __file__, "--serve", kind], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the %s worker did not start" % kind)

    def measure(self, name, threads):
        self.process.stdin.write("%s %d\n" % (name, threads))
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def torch_available():
    try:
        import torch  # noqa: F401
        return True
    except ImportError:
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=7,
                        help="rounds alternating the contenders; medians over rounds")
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)

    with_torch = torch_available()
    if not with_torch:
        print("PyTorch is not installed: pip install torch==2.13.0 (CPU) for the comparison")
    contenders = {"ours": Contender("ours"), "numpy": Contender("numpy", blas_threads=1),
                  "numpy2": Contender("numpy", blas_threads=2)}
    if with_torch:
        contenders["torch"] = Contender("torch")

    # (label, contender, operation, threads)
    plan = []
    for op in ["add", "cmul", "exp", "sum", "tcopy"]:
        plan += [(op, "ours", op, 1), (op, "numpy", op, 1)]
        if with_torch:
            plan.append((op, "torch", op, 1))
    plan.append(("sum", "numpy", "sum64", 1))
    for threads in (1, 2):
        label = "mm%d" % threads
        plan += [(label, "ours", "mm", threads),
                 (label, "numpy" if threads == 1 else "numpy2", "mm", threads)]
        if with_torch:
            plan.append((label, "torch", "mm", threads))
    for op in ["add", "cmul", "exp", "sigmoid", "tanh", "sum"]:
        plan += [("threads-" + op, "ours", op, 1), ("threads-" + op, "ours", op, 2)]

    samples = {}
    for _ in range(args.rounds):
        for label, who, op, threads in plan:
            key = (label, who, op, threads)
            samples.setdefault(key, []).append(contenders[who].measure(op, threads))
    for contender in contenders.values():
        contender.close()
    t = {key: statistics.median(values) for key, values in samples.items()}

    def ms(key):
        return t[key] * 1e3

    print("median over %d rounds, each the median of %d calls" % (args.rounds, CALLS))
    print("\nelement-wise and sum, 1e7 floats, one thread (ms; ratio ours/theirs)")
    for op in ["add", "cmul", "exp", "sum"]:
        ours = ms((op, "ours", op, 1))
        line = "  %-5s ours %7.2f   numpy %7.2f  ratio %.2f" % (
            op, ours, ms((op, "numpy", op, 1)), ours / ms((op, "numpy", op, 1)))
        if with_torch:
            theirs = ms((op, "torch", op, 1))
            line += "   PyTorch %7.2f  ratio %.2f" % (theirs, ours / theirs)
        print(line)
    wide = ms(("sum", "numpy", "sum64", 1))
    print("  (numpy summing in double, a.sum(dtype=float64): %.2f ms, ratio %.2f)"
          % (wide, ms(("sum", "ours", "sum", 1)) / wide))

    print("\n%dx%d float mm (GFLOP/s; ratio ours/theirs, higher is better)" % (MM, MM))
    flops = 2.0 * MM ** 3
    for threads in (1, 2):
        label = "mm%d" % threads
        ours = flops / t[(label, "ours", "mm", threads)] / 1e9
        numpy_key = (label, "numpy" if threads == 1 else "numpy2", "mm", threads)
        theirs = flops / t[numpy_key] / 1e9
        line = "  %d thread%s  ours %6.1f   numpy %6.1f  ratio %.2f" % (
            threads, "" if threads == 1 else "s", ours, theirs, ours / theirs)
        if with_torch:
            pt = flops / t[(label, "torch", "mm", threads)] / 1e9
            line += "   PyTorch %6.1f  ratio %.2f" % (pt, ours / pt)
        print(line)

    print("\ntransposed copy, %dx%d floats, one thread (ms; ratio ours/theirs)" % (COPY, COPY))
    ours = ms(("tcopy", "ours", "tcopy", 1))
    line = "  ours %7.2f   numpy %7.2f  ratio %.2f" % (
        ours, ms(("tcopy", "numpy", "tcopy", 1)), ours / ms(("tcopy", "numpy", "tcopy", 1)))
    if with_torch:
        theirs = ms(("tcopy", "torch", "tcopy", 1))
        line += "   PyTorch %7.2f  ratio %.2f" % (theirs, ours / theirs)
    print(line)

    print("\ntorch.setnumthreads(2) against 1, 1e7 floats (ms; speed-up)")
    for op in ["add", "cmul", "exp", "sigmoid", "tanh", "sum"]:
        one, two = ms(("threads-" + op, "ours", op, 1)), ms(("threads-" + op, "ours", op, 2))
        print("  %-7s 1 thread %7.2f   2 threads %7.2f   speed-up %.2f" % (op, one, two, one / two))


if __name__ == "__main__":
    main()
