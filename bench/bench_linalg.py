"""Linear algebra and convolution benchmarks: torch.gesv, svd, qr, potrf on 512x512 doubles
and torch.conv2 of a 512x512 double image with a 7x7 kernel, from Lua, against numpy (and
PyTorch's CPU build when installed) at the same thread count, with ratios (>1: we are
slower). Each contender runs in a process of its own, the rounds alternating between them.

    python bench/bench_linalg.py [--threads N] [--rounds R]

numpy's svd runs LAPACK's divide-and-conquer gesdd; torch.svd runs gesvd as the original
did (its singular vectors' signs are the original's), which is several times slower.
numpy has no 2-D convolution: its contender adds the 49 shifted, scaled copies of the image.
"""
import argparse
import json
import os
import statistics
import time

import numpy as np

import own_process

N = 512
KERNEL = 7
OPERATIONS = ["gesv", "svd", "qr", "potrf", "conv2"]

OURS_LUA = """
local threads, reps = ...
torch.setnumthreads(threads)
torch.manualSeed(0)
local n, kn = %d, %d
local a, b = torch.randn(n, n), torch.randn(n, n)
local spd = torch.mm(a, a:t()):add(torch.randn(n, n):zero():add(n))
local image, kernel = torch.randn(n, n), torch.randn(kn, kn)
local work = {
   gesv = function() return torch.gesv(b, a) end,
   svd = function() return torch.svd(a) end,
   qr = function() return torch.qr(a) end,
   potrf = function() return torch.potrf(spd) end,
   conv2 = function() return torch.conv2(image, kernel) end,
}
local medians = {}
for name, f in pairs(work) do
   f()
   local times = {}
   for i = 1, reps do
      local timer = torch.Timer()
      f()
      times[i] = timer:time().real
   end
   table.sort(times)
   medians[name] = times[math.floor((reps + 1) / 2)] * 1e3
end
return medians
""" % (N, KERNEL)


def median_ms(f, reps):
    f()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def numpy_conv2(image, kernel):
    """Valid 2-D convolution: the sum of the image's shifted copies, each scaled by the
    (reversed) kernel's entry."""
    flipped = kernel[::-1, ::-1]
    rows, cols = image.shape[0] - kernel.shape[0] + 1, image.shape[1] - kernel.shape[1] + 1
    out = np.zeros((rows, cols))
    for i in range(kernel.shape[0]):
        for j in range(kernel.shape[1]):
            out += flipped[i, j] * image[i:i + rows, j:j + cols]
    return out


def bench_ours(threads, reps):
    import torch7_compat as t7
    t7.lua.execute("require 'torch'")
    return dict(t7.lua.execute(OURS_LUA, threads, reps).items())


def bench_numpy(threads, reps):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((N, N)), rng.standard_normal((N, N))
    spd = a @ a.T + N * np.eye(N)
    image, kernel = rng.standard_normal((N, N)), rng.standard_normal((KERNEL, KERNEL))
    work = {"gesv": lambda: np.linalg.solve(a, b),
            "svd": lambda: np.linalg.svd(a, full_matrices=False),
            "qr": lambda: np.linalg.qr(a),
            "potrf": lambda: np.linalg.cholesky(spd),
            "conv2": lambda: numpy_conv2(image, kernel)}
    return {name: median_ms(f, reps) for name, f in work.items()}


def bench_torch(threads, reps):
    import torch
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(N, N, dtype=torch.float64, generator=g), torch.randn(
        N, N, dtype=torch.float64, generator=g)
    spd = a @ a.T + N * torch.eye(N, dtype=torch.float64)
    image = torch.randn(1, 1, N, N, dtype=torch.float64, generator=g)
    kernel = torch.randn(1, 1, KERNEL, KERNEL, dtype=torch.float64, generator=g)
    work = {"gesv": lambda: torch.linalg.solve(a, b),
            "svd": lambda: torch.linalg.svd(a, full_matrices=False),
            "qr": lambda: torch.linalg.qr(a),
            "potrf": lambda: torch.linalg.cholesky(spd),
            "conv2": lambda: torch.nn.functional.conv2d(image, kernel.flip(2, 3))}
    with torch.no_grad():
        return {name: median_ms(f, reps) for name, f in work.items()}


CONTENDERS = {"ours": bench_ours, "numpy": bench_numpy, "torch": bench_torch}


def in_own_process(contender, args):
    """One contender's medians, measured in a fresh process whose BLAS has the given
    number of threads."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads),
               OMP_NUM_THREADS=str(args.threads))
    env.pop("PYTHONUNBUFFERED", None)
    return json.loads(own_process.run(__file__, "--only", contender, "--threads",
                                      args.threads, "--reps", args.reps, env=env))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=list(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--reps", type=int, default=5, help="timed runs per round")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds alternating the contenders; medians over rounds")
    args = parser.parse_args()
    if args.only:
        print(json.dumps(CONTENDERS[args.only](args.threads, args.reps)))
        return
    try:
        import torch
        contenders = ["ours", "numpy", "torch"]
        print("numpy %s, PyTorch %s, %d thread(s)" % (np.__version__, torch.__version__,
                                                     args.threads))
    except ImportError:
        contenders = ["ours", "numpy"]
        print("numpy %s, %d thread(s); PyTorch is not installed (pip install torch==2.13.0 "
              "for its column)" % (np.__version__, args.threads))
    rounds = {c: [] for c in contenders}
    for _ in range(args.rounds):
        for c in contenders:
            rounds[c].append(in_own_process(c, args))
    medians = {c: {op: statistics.median(r[op] for r in rounds[c]) for op in OPERATIONS}
               for c in contenders}
    print("\n%-28s %10s %10s %8s" % ("median ms over %d rounds" % args.rounds,
                                     "ours", "numpy", "ratio")
          + ("  %10s %8s" % ("PyTorch", "ratio") if "torch" in contenders else ""))
    labels = {"gesv": "gesv 512x512 (512 rhs)", "svd": "svd 512x512",
              "qr": "qr 512x512", "potrf": "potrf 512x512",
              "conv2": "conv2 512x512 * 7x7"}
    for op in OPERATIONS:
        ours, theirs = medians["ours"][op], medians["numpy"][op]
        line = "%-28s %10.2f %10.2f %8.2f" % (labels[op], ours, theirs, ours / theirs)
        if "torch" in contenders:
            pt = medians["torch"][op]
            line += "  %10.2f %8.2f" % (pt, ours / pt)
        print(line)


if __name__ == "__main__":
    main()
