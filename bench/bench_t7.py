""".t7 save and load speed: torch.save/torch.load (from Lua, and t7.save/t7.load from
Python) against numpy (np.save/np.load, np.savez for many arrays), PyTorch (torch.save/
torch.load), a raw read of the same bytes and python-torchfile's reader where installed,
measured in the same run with ratios (>1: we are slower). Files sit in the page cache (each
is written just before it is read), so this measures the code, not the disk. Ratios use
each contender's best round: on a shared machine other processes and the kernel's writeback
of dirty pages only ever add time (medians are printed too).

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
    """The file's bytes into new memory, as fast as Python goes: numpy's uninitialised,
    huge-page buffer and one read call."""
    buffer = np.empty(os.path.getsize(path), dtype=np.uint8)
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
    """Save and load seconds per contender, every round. Rounds alternate the contenders,
    each round starting with the next one: whoever writes first after another's 100 MB
    meets the kernel's writeback of the dirty pages left behind."""
    times = {name: ([], []) for name in table}
    names = list(table)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            save, load = table[name]
            if save:
                times[name][0].append(save())
            times[name][1].append(load())
    return times


def best_and_median(values):
    return (min(values), statistics.median(values)) if values else (None, None)


def report(title, times, baselines):
    print("\n" + title)
    print("  %-34s %17s %17s" % ("", "save ms", "load ms"))
    print("  %-34s %17s %17s" % ("", "best (median)", "best (median)"))
    best = {}
    for name, (saves, loads) in times.items():
        save, save_median = best_and_median(saves)
        load, load_median = best_and_median(loads)
        best[name] = save, load
        saving = "%7.1f (%7.1f)" % (save * 1e3, save_median * 1e3) if save else "-"
        print("  %-34s %17s %7.1f (%7.1f)" % (name, saving, load * 1e3, load_median * 1e3))
    ours = best["torch.save / torch.load (Lua)"]
    for name in baselines:
        if name in best:
            save, load = best[name]
            ratios = ("save %.2f, " % (ours[0] / save) if save else "") + "load %.2f" % (
                ours[1] / load)
            print("  ratio torch7_compat / %-16s %s" % (name.split(" ")[0], ratios))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--dir", default=None, help="where the files go (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        table, paths, array = contenders_for_tensor(folder, args.megabytes)
        add_pytorch(table, paths["pt"], lambda: __import__("torch").from_numpy(array))
        add_torchfile(table, paths["t7"])
        results = measure(table, args.rounds)
        report("one float32 tensor of %d MB (%d rounds)" % (args.megabytes, args.rounds),
               results, ["numpy np.save / np.load", "PyTorch torch.save / torch.load",
                         "raw read of the .t7 file", "python-torchfile load"])
        del table, array
        t7.lua.execute("big = nil collectgarbage()")

        table, paths, arrays = contenders_for_model(folder)
        add_pytorch(table, paths["pt"],
                    lambda: {k: __import__("torch").from_numpy(v) for k, v in arrays.items()})
        add_torchfile(table, paths["t7"])
        results = measure(table, args.rounds)
        report("a model of 100 parameter tensors, 50 nn.Linear(64, 64) (%d rounds)"
               % args.rounds, results,
               ["numpy np.savez / np.load", "PyTorch torch.save / torch.load",
                "raw read of the .t7 file", "python-torchfile load"])


if __name__ == "__main__":
    main()
