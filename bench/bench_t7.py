""".t7 save and load speed: torch.save/torch.load (from Lua, and t7.save/t7.load from
Python) against numpy (np.save/np.load, np.savez for many arrays), PyTorch (torch.save/
torch.load), a raw read of the same bytes and python-torchfile's reader where installed,
measured in the same run with ratios (>1: we are slower). Files sit in the page cache (each
is written just before it is read), so this measures the code, not the disk.

    pip install torch==2.13.0 torchfile   # only for the comparison
    python bench/bench_t7.py [--megabytes 100] [--rounds 5] [--dir /tmp]

1. one float32 tensor of --megabytes MB;
2. a model of 100 parameter tensors (50 nn.Linear(64, 64)), as a dict of arrays for the
   others.
"""
import argparse
import os
import statistics
import tempfile
import time

import numpy as np

import torch7_compat as t7

MAKE_TENSOR = "torch.manualSeed(1) big = torch.FloatTensor(...):uniform()"
MAKE_MODEL = """require 'nn'
torch.manualSeed(1)
model = nn.Sequential()
for i = 1, 50 do model:add(nn.Linear(64, 64)) end
model:evaluate()
model:clearState()
parameters = {}
for i, p in ipairs(model:parameters()) do parameters[i] = p end
return parameters
"""
TIMED = """
local what, path = ...
local timer = torch.Timer()
if what == 'save' then torch.save(path, %s) else loaded = torch.load(path) end
return timer:time().real
"""


def seconds(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def raw_read(path):
    size = os.path.getsize(path)
    buffer = bytearray(size)
    with open(path, "rb", buffering=0) as f:
        f.readinto(buffer)


def ours_from_lua(variable, path):
    """torch.save/torch.load of a Lua global, timed inside Lua."""
    timed = TIMED % variable
    return (lambda: t7.lua.execute(timed, "save", path),
            lambda: t7.lua.execute(timed, "load", path))


def contenders_for_tensor(folder, megabytes):
    n = megabytes * 2 ** 20 // 4
    t7.lua.execute(MAKE_TENSOR, n)
    array = np.random.default_rng(1).random(n, dtype=np.float32)
    paths = {k: os.path.join(folder, "big." + k) for k in ("t7", "py.t7", "npy", "pt")}
    table = {
        "torch.save / torch.load (Lua)": ours_from_lua("big", paths["t7"]),
        "t7.save / t7.load (Python)": (
            lambda: seconds(lambda: t7.save(paths["py.t7"], t7.lua.eval("big"))),
            lambda: seconds(lambda: t7.load(paths["py.t7"]))),
        "numpy np.save / np.load": (
            lambda: seconds(lambda: np.save(paths["npy"], array)),
            lambda: seconds(lambda: np.load(paths["npy"]))),
        "raw read of the .t7 file": (None, lambda: seconds(lambda: raw_read(paths["t7"]))),
    }
    return table, paths, array


def contenders_for_model(folder):
    parameters = t7.lua.execute(MAKE_MODEL)
    arrays = {"p%d" % i: np.array(p.numpy()) for i, p in parameters.items()}
    paths = {k: os.path.join(folder, "model." + k) for k in ("t7", "npz", "pt")}
    table = {
        "torch.save / torch.load (Lua)": ours_from_lua("model", paths["t7"]),
        "numpy np.savez / np.load": (
            lambda: seconds(lambda: np.savez(paths["npz"], **arrays)),
            lambda: seconds(lambda: dict(np.load(paths["npz"])))),
        "raw read of the .t7 file": (None, lambda: seconds(lambda: raw_read(paths["t7"]))),
    }
    return table, paths, arrays


def add_pytorch(table, path, obj):
    try:
        import torch
    except ImportError:
        return
    table["PyTorch torch.save / torch.load"] = (
        lambda: seconds(lambda: torch.save(obj(), path)),
        lambda: seconds(lambda: torch.load(path)))


def add_torchfile(table, path):
    try:
        import torchfile
    except ImportError:
        return
    table["python-torchfile load"] = (None, lambda: seconds(lambda: torchfile.load(path)))


def measure(table, rounds):
    """Median save and load seconds per contender; rounds alternate the contenders so that a
    slow spell of a shared machine hits them all."""
    times = {name: ([], []) for name in table}
    for _ in range(rounds):
        for name, (save, load) in table.items():
            if save:
                times[name][0].append(save())
            times[name][1].append(load())
    return {name: (statistics.median(s) if s else None, statistics.median(l))
            for name, (s, l) in times.items()}


def report(title, results, baselines):
    print("\n" + title)
    print("  %-34s %10s %10s" % ("", "save ms", "load ms"))
    ours = results["torch.save / torch.load (Lua)"]
    for name, (save, load) in results.items():
        print("  %-34s %10s %10.1f" % (name, "%.1f" % (save * 1e3) if save else "-", load * 1e3))
    for name in baselines:
        if name in results:
            save, load = results[name]
            ratios = ("save %.2f, " % (ours[0] / save) if save else "") + "load %.2f" % (
                ours[1] / load)
            print("  ratio torch7_compat / %-16s %s" % (name.split(" ")[0], ratios))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dir", default=None, help="where the files go (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        table, paths, array = contenders_for_tensor(folder, args.megabytes)
        add_pytorch(table, paths["pt"], lambda: __import__("torch").from_numpy(array))
        add_torchfile(table, paths["t7"])
        results = measure(table, args.rounds)
        report("one float32 tensor of %d MB (median of %d rounds)" % (args.megabytes,
                                                                      args.rounds),
               results, ["numpy np.save / np.load", "PyTorch torch.save / torch.load",
                         "raw read of the .t7 file", "python-torchfile load"])
        del table, array
        t7.lua.execute("big = nil collectgarbage()")

        table, paths, arrays = contenders_for_model(folder)
        add_pytorch(table, paths["pt"],
                    lambda: {k: __import__("torch").from_numpy(v) for k, v in arrays.items()})
        add_torchfile(table, paths["t7"])
        results = measure(table, args.rounds)
        report("a model of 100 parameter tensors, 50 nn.Linear(64, 64) (median of %d rounds)"
               % args.rounds, results,
               ["numpy np.savez / np.load", "PyTorch torch.save / torch.load",
                "raw read of the .t7 file", "python-torchfile load"])


if __name__ == "__main__":
    main()
