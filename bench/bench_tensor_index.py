"""Indexing, shape, random and Half kernels: this project (driven from Lua) against numpy and
PyTorch's CPU build doing the same work, measured in the same run, with ratios (>1: we are
slower). One thread everywhere (numpy's kernels are single-threaded); each contender runs in
a process of its own, and the rounds alternate between them.

    pip install torch==2.13.0   # the CPU build; only for comparison
    python bench/bench_tensor_index.py [--rounds 5]

Results are written into tensors allocated once, where the API allows it, so that the
figures compare kernels rather than the allocators (Lua frees memory at its collector's
pace, Python at once).
"""
import argparse
import json
import statistics
import time

import numpy as np

import own_process

CASES = [
    "index rows (50000 of 100000x64 float)",
    "index vector (1e6 of 1e7 float)",
    "indexAdd rows (50000 into 100000x64 float)",
    "gather (2000x1000 float, 100 per row)",
    "scatter (2000x1000 float, 100 per row)",
    "maskedSelect (1e7 float, half the mask set)",
    "maskedFill (1e7 float)",
    "nonzero (1e7 bytes)",
    "cat (two 2000x2000 float along dim 2)",
    "float -> half copy (1e7)",
    "half -> float copy (1e7)",
    "linspace (1e7 double)",
    "multinomial (1e6 draws from 1000 categories)",
    "apply x*2 (1e7 double; numpy: vectorised)",
]

OURS_LUA = """
local repeats = ...
torch.setnumthreads(1)
torch.manualSeed(0)
local x2 = torch.FloatTensor(100000, 64):uniform()
local rows = torch.LongTensor(50000):random(1, 100000)
local r2 = torch.FloatTensor(50000, 64)
local x1 = torch.FloatTensor(1e7):uniform()
local picks = torch.LongTensor(1e6):random(1, 1e7)
local r1 = torch.FloatTensor(1e6)
local addend = torch.FloatTensor(50000, 64):uniform()
local a = torch.FloatTensor(2000, 1000):uniform()
local g = torch.LongTensor(2000, 100):random(1, 1000)
local gathered = torch.FloatTensor(2000, 100)
local mask = torch.ByteTensor(1e7):random(0, 1)
local selected = torch.FloatTensor()
local bytes = torch.ByteTensor(1e7):random(0, 1)
local subscripts = torch.LongTensor()
local square = torch.FloatTensor(2000, 2000):uniform()
local joined = torch.FloatTensor(2000, 4000)
local halves = torch.HalfTensor(1e7)
local floats = torch.FloatTensor(1e7)
local line = torch.DoubleTensor(1e7)
local p = torch.DoubleTensor(1000):uniform()
local draws = torch.LongTensor()
local d = torch.DoubleTensor(1e7):uniform()
local work = {
   function() r2:index(x2, 1, rows) end,
   function() r1:index(x1, 1, picks) end,
   function() x2:indexAdd(1, rows, addend) end,
   function() gathered:gather(a, 2, g) end,
   function() a:scatter(2, g, gathered) end,
   function() selected:maskedSelect(x1, mask) end,
   function() x1:maskedFill(mask, 1) end,
   function() torch.nonzero(subscripts, bytes) end,
   function() torch.cat(joined, square, square, 2) end,
   function() halves:copy(x1) end,
   function() floats:copy(halves) end,
   function() line:linspace(0, 1, 1e7) end,
   function() torch.multinomial(draws, p, 1e6, true) end,
   function() d:apply(function(v) return v * 2 end) end,
}
local seconds = {}
for k, fn in ipairs(work) do
   fn()
   local best = math.huge
   for _ = 1, repeats do
      local timer = torch.Timer()
      fn()
      best = math.min(best, timer:time().real)
   end
   seconds[k] = best
end
return seconds
"""


def best_of(fn, repeats):
    fn()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def ours(repeats):
    import torch7_compat as t7
    return list(t7.lua.execute(OURS_LUA, repeats).values())


def numpy_work():
    rng = np.random.default_rng(0)
    x2 = rng.random((100000, 64), np.float32)
    rows = rng.integers(0, 100000, 50000)
    r2 = np.empty((50000, 64), np.float32)
    x1 = rng.random(10**7, np.float32)
    picks = rng.integers(0, 10**7, 10**6)
    r1 = np.empty(10**6, np.float32)
    addend = rng.random((50000, 64), np.float32)
    a = rng.random((2000, 1000), np.float32)
    g = rng.integers(0, 1000, (2000, 100))
    mask = rng.integers(0, 2, 10**7).astype(bool)
    byte_values = rng.integers(0, 2, 10**7).astype(np.uint8)
    square = rng.random((2000, 2000), np.float32)
    joined = np.empty((2000, 4000), np.float32)
    halves = np.empty(10**7, np.float16)
    floats = np.empty(10**7, np.float32)
    p = rng.random(1000)
    d = rng.random(10**7)
    return [
        lambda: np.take(x2, rows, 0, out=r2),
        lambda: np.take(x1, picks, out=r1),
        lambda: np.add.at(x2, rows, addend),
        lambda: np.take_along_axis(a, g, 1),
        lambda: np.put_along_axis(a, g, 0.5, 1),
        lambda: x1[mask],
        lambda: np.putmask(x1, mask, 1),
        lambda: np.argwhere(byte_values),
        lambda: np.concatenate([square, square], 1, out=joined),
        lambda: np.copyto(halves, x1, casting="unsafe"),
        lambda: np.copyto(floats, halves),
        lambda: np.linspace(0, 1, 10**7),
        lambda: rng.choice(1000, 10**6, p=p / p.sum()),
        lambda: np.multiply(d, 2, out=d),
    ]


def torch_work():
    import torch
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x2 = torch.rand(100000, 64)
    rows = torch.randint(0, 100000, (50000,))
    r2 = torch.empty(50000, 64)
    x1 = torch.rand(10**7)
    picks = torch.randint(0, 10**7, (10**6,))
    r1 = torch.empty(10**6)
    addend = torch.rand(50000, 64)
    a = torch.rand(2000, 1000)
    g = torch.randint(0, 1000, (2000, 100))
    gathered = torch.empty(2000, 100)
    mask = torch.randint(0, 2, (10**7,)).bool()
    byte_values = torch.randint(0, 2, (10**7,), dtype=torch.uint8)
    square = torch.rand(2000, 2000)
    joined = torch.empty(2000, 4000)
    halves = torch.empty(10**7, dtype=torch.float16)
    floats = torch.empty(10**7)
    line = torch.empty(10**7, dtype=torch.float64)
    p = torch.rand(1000, dtype=torch.float64)
    d = torch.rand(10**7, dtype=torch.float64)
    return [
        lambda: torch.index_select(x2, 0, rows, out=r2),
        lambda: torch.index_select(x1, 0, picks, out=r1),
        lambda: x2.index_add_(0, rows, addend),
        lambda: torch.gather(a, 1, g, out=gathered),
        lambda: a.scatter_(1, g, gathered),
        lambda: torch.masked_select(x1, mask),
        lambda: x1.masked_fill_(mask, 1),
        lambda: torch.nonzero(byte_values),
        lambda: torch.cat([square, square], 1, out=joined),
        lambda: halves.copy_(x1),
        lambda: floats.copy_(halves),
        lambda: torch.linspace(0, 1, 10**7, dtype=torch.float64, out=line),
        lambda: torch.multinomial(p, 10**6, True),
        lambda: d.mul_(2),
    ]


def run_contender(name, repeats):
    if name == "ours":
        return ours(repeats)
    work = numpy_work() if name == "numpy" else torch_work()
    return [best_of(fn, repeats) for fn in work]


def in_own_process(name, repeats):
    return json.loads(own_process.run(__file__, "--contender", name, "--repeats", repeats))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contender", choices=["ours", "numpy", "torch"], help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.contender:
        print(json.dumps(run_contender(args.contender, args.repeats)))
        return
    contenders = ["ours", "numpy"]
    try:
        import torch
        contenders.append("torch")
        print("PyTorch %s, 1 thread everywhere" % torch.__version__)
    except ImportError:
        print("PyTorch is not installed: pip install torch==2.13.0 (CPU) for the comparison")
    rounds = {name: [] for name in contenders}
    for _ in range(args.rounds):
        for name in contenders:
            rounds[name].append(in_own_process(name, args.repeats))
    medians = {name: [statistics.median(r[k] for r in rounds[name]) for k in range(len(CASES))]
               for name in contenders}
    header = "%-48s %9s %9s %7s" % ("ms (median of rounds of best-of)", "ours", "numpy", "ratio")
    if "torch" in medians:
        header += " %9s %7s" % ("PyTorch", "ratio")
    print(header)
    for k, case in enumerate(CASES):
        line = "%-48s %9.2f %9.2f %7.2f" % (case, medians["ours"][k] * 1e3,
                                            medians["numpy"][k] * 1e3,
                                            medians["ours"][k] / medians["numpy"][k])
        if "torch" in medians:
            line += " %9.2f %7.2f" % (medians["torch"][k] * 1e3,
                                      medians["ours"][k] / medians["torch"][k])
        print(line)


if __name__ == "__main__":
    main()
