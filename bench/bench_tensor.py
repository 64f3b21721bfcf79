"""Tensor math benchmarks: this project's kernels (called from Lua) against numpy and
PyTorch's CPU build, measured in the same run, with ratios (>1: we are slower).

    pip install torch==2.13.0   # the CPU build; only for comparison
    python bench/bench_tensor.py [--rounds N]

1. element-wise add, cmul, exp and the sum of 1e7 floats, one thread (numpy's element-wise
   loops are single-threaded); our sums accumulate in double, numpy's and PyTorch's in float;
2. a 2048x2048 float matrix product, in GFLOP/s, at the same thread count (1 and 2);
3. the transposed (non-contiguous) copy of a 4096x4096 float tensor, one thread;
4. the maximum and its index along each dimension of a 2048x2048 float matrix, one thread;
5. torch.setnumthreads(2) against 1 on large element-wise kernels and a sum.

Each contender lives in a process of its own (two thread pools in one process steal each
other's cores; numpy's BLAS takes its thread count at start-up), keeps its operands, and
times a few calls per request, after one untimed. Rounds alternate the contenders, so that a slow spell of a
shared machine hits all of them; reported figures are medians over all calls, with the
ratio of the best calls beside (what a quiet machine gives).
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
CALLS = 5           # calls per request

OURS_LUA = """
local n, mm, copy = ...
torch.setdefaulttensortype('torch.FloatTensor')
torch.manualSeed(0)
local a, b = torch.rand(n):add(-0.5), torch.rand(n):add(-0.5)
local r = torch.zeros(n)
local x, y, z = torch.rand(mm, mm), torch.rand(mm, mm), torch.zeros(mm, mm)
local m, mt = torch.rand(copy, copy), torch.zeros(copy, copy)
local values, indices = torch.Tensor(), torch.LongTensor()
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
   max1 = function() torch.max(values, indices, x, 1) end,
   max2 = function() torch.max(values, indices, x, 2) end,
}
return function(name, threads, calls)
   torch.setnumthreads(threads)
   local op, times = ops[name], {}
   op()     -- a first call, untimed, finds the memory and caches as the others will
   for i = 1, calls do
      local timer = torch.Timer()
      op()
      times[i] = timer:time().real
   end
   return times
end
"""


def ours_worker():
    import torch7_compat as t7
    measure = t7.lua.execute(OURS_LUA, N, MM, COPY)
    return lambda name, threads: list(measure(name, threads, CALLS).values())


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
        "max1": lambda: (x.max(axis=0), x.argmax(axis=0)),
        "max2": lambda: (x.max(axis=1), x.argmax(axis=1)),
    }
    return lambda name, threads: call_times(ops[name])


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
        "max1": lambda: torch.max(x, 0),
        "max2": lambda: torch.max(x, 1),
    }

    def measure(name, threads):
        torch.set_num_threads(threads)
        return call_times(ops[name])
    return measure


def call_times(fn):
    fn()    # a first call, untimed, finds the memory and caches as the others will
    times = []
    for _ in range(CALLS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


WORKERS = {"ours": ours_worker, "numpy": numpy_worker, "torch": torch_worker}


def serve(kind):
    """Worker process: answers 'name threads' lines with the times of CALLS calls (s)."""
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


ELEMENTWISE = ["add", "cmul", "exp", "sum"]
THREADED = ["add", "cmul", "exp", "sigmoid", "tanh", "sum"]


def plan_elementwise(with_torch):
    plan = [(op, who, op, 1) for op in ELEMENTWISE
            for who in ["ours", "numpy"] + (["torch"] if with_torch else [])]
    return plan + [("sum", "numpy", "sum64", 1)]


def plan_mm(with_torch):
    return [("mm%d" % threads, who, "mm", threads) for threads in (1, 2)
            for who in ["ours", "numpy" if threads == 1 else "numpy2"]
            + (["torch"] if with_torch else [])]


def plan_copy(with_torch):
    return [("tcopy", who, "tcopy", 1) for who in ["ours", "numpy"]
            + (["torch"] if with_torch else [])]


def plan_extremes(with_torch):
    return [(op, who, op, 1) for op in ("max1", "max2")
            for who in ["ours", "numpy"] + (["torch"] if with_torch else [])]


def plan_threads(with_torch):
    return [("threads-" + op, "ours", op, threads) for op in THREADED for threads in (1, 2)]


def ratio(t, best, ours, theirs):
    return "ratio %.2f (%.2f)" % (t[ours] / t[theirs], best[ours] / best[theirs])


def report_elementwise(t, best, with_torch):
    print("\nelement-wise and sum, 1e7 floats, one thread (ms; ratio ours/theirs)")
    for op in ELEMENTWISE:
        ours, theirs = (op, "ours", op, 1), (op, "numpy", op, 1)
        line = "  %-5s ours %7.2f   numpy %7.2f  %s" % (op, t[ours], t[theirs],
                                                         ratio(t, best, ours, theirs))
        if with_torch:
            theirs = (op, "torch", op, 1)
            line += "   PyTorch %7.2f  %s" % (t[theirs], ratio(t, best, ours, theirs))
        print(line)
    wide = ("sum", "numpy", "sum64", 1)
    print("  (numpy summing in double, a.sum(dtype=float64): %.2f ms, %s)"
          % (t[wide], ratio(t, best, ("sum", "ours", "sum", 1), wide)))


def report_mm(t, best, with_torch):
    print("\n%dx%d float mm (GFLOP/s; ratio ours/theirs, higher is better)" % (MM, MM))
    gflops = 2.0 * MM ** 3 / 1e6      # times are in ms
    for threads in (1, 2):
        label = "mm%d" % threads
        ours = (label, "ours", "mm", threads)
        theirs = (label, "numpy" if threads == 1 else "numpy2", "mm", threads)
        line = "  %d thread%-2s ours %6.1f   numpy %6.1f  %s" % (
            threads, "" if threads == 1 else "s", gflops / t[ours], gflops / t[theirs],
            ratio(t, best, theirs, ours))
        if with_torch:
            theirs = (label, "torch", "mm", threads)
            line += "   PyTorch %6.1f  %s" % (gflops / t[theirs], ratio(t, best, theirs, ours))
        print(line)


def report_copy(t, best, with_torch):
    print("\ntransposed copy, %dx%d floats, one thread (ms; ratio ours/theirs)" % (COPY, COPY))
    ours, theirs = ("tcopy", "ours", "tcopy", 1), ("tcopy", "numpy", "tcopy", 1)
    line = "  ours %7.2f   numpy %7.2f  %s" % (t[ours], t[theirs], ratio(t, best, ours, theirs))
    if with_torch:
        theirs = ("tcopy", "torch", "tcopy", 1)
        line += "   PyTorch %7.2f  %s" % (t[theirs], ratio(t, best, ours, theirs))
    print(line)


def report_extremes(t, best, with_torch):
    print("\nmaximum and its index along each dimension of a %dx%d float matrix, one thread "
          "(ms; numpy: max and argmax)" % (MM, MM))
    for dim, op in ((1, "max1"), (2, "max2")):
        ours, theirs = (op, "ours", op, 1), (op, "numpy", op, 1)
        line = "  dim %d  ours %7.2f   numpy %7.2f  %s" % (dim, t[ours], t[theirs],
                                                          ratio(t, best, ours, theirs))
        if with_torch:
            theirs = (op, "torch", op, 1)
            line += "   PyTorch %7.2f  %s" % (t[theirs], ratio(t, best, ours, theirs))
        print(line)


def report_threads(t, best, with_torch):
    print("\ntorch.setnumthreads(2) against 1, 1e7 floats (ms; speed-up)")
    for op in THREADED:
        one, two = ("threads-" + op, "ours", op, 1), ("threads-" + op, "ours", op, 2)
        print("  %-7s 1 thread %7.2f   2 threads %7.2f   speed-up %.2f (%.2f)"
              % (op, t[one], t[two], t[one] / t[two], best[one] / best[two]))


PARTS = {"elementwise": (plan_elementwise, report_elementwise), "mm": (plan_mm, report_mm),
         "copy": (plan_copy, report_copy), "extremes": (plan_extremes, report_extremes),
         "threads": (plan_threads, report_threads)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=7,
                        help="rounds alternating the contenders")
    parser.add_argument("--part", choices=sorted(PARTS), action="append",
                        help="measure only these parts (repeatable; default: all)")
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)

    with_torch = torch_available()
    if not with_torch:
        print("PyTorch is not installed: pip install torch==2.13.0 (CPU) for the comparison")
    parts = args.part or list(PARTS)
    plan = [step for part in parts for step in PARTS[part][0](with_torch)]
    contenders = {who: Contender(who if who != "numpy2" else "numpy",
                                 blas_threads={"numpy": 1, "numpy2": 2}.get(who))
                  for who in sorted({who for _, who, _, _ in plan})}
    samples = {}
    for _ in range(args.rounds):
        for step in plan:
            label, who, op, threads = step
            samples.setdefault(step, []).extend(contenders[who].measure(op, threads))
    for contender in contenders.values():
        contender.close()
    median = {step: statistics.median(values) * 1e3 for step, values in samples.items()}
    best = {step: min(values) * 1e3 for step, values in samples.items()}
    print("medians of %d calls (%d rounds of %d); in brackets, the ratio of the best calls"
          % (args.rounds * CALLS, args.rounds, CALLS))
    for part in parts:
        PARTS[part][1](median, best, with_torch)


if __name__ == "__main__":
    main()
