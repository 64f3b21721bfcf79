"""Helper-package benchmarks: what a legacy script pays for image and threads here, against
doing the same work directly in Python (Pillow and numpy; concurrent.futures), measured in
the same run, with ratios (>1: we are slower).

    python bench/bench_helpers.py

1. image.load of a 512x512 PNG and image.scale to 256x256 (bilinear), from Lua, against
   Pillow's open + numpy conversion + resize from Python;
2. a thread pool's cost per job (2 workers, trivial jobs, end callbacks in the main state),
   against concurrent.futures.ThreadPoolExecutor(2) submitting trivial Python functions;
3. start-up of the prompt's Lua half: `require 'torch7_compat.repl'` after torch.
"""
import concurrent.futures
import os
import statistics
import tempfile
import time

import numpy as np
from PIL import Image

import torch7_compat as t7

ROUNDS = 5

IMAGE_LUA = """
local path, n = ...
require 'image'
local timer = torch.Timer()
for i = 1, n do
   local picture = image.load(path)
   image.scale(picture, 256, 256, 'bilinear')
end
return timer:time().real / n
"""

POOL_LUA = """
local n = ...
local threads = require 'threads'
local pool = threads.Threads(2)
local done = 0
for i = 1, 50 do pool:addjob(function(x) return x end, function() end, i) end
pool:synchronize()
local timer = torch.Timer()
for i = 1, n do pool:addjob(function(x) return x + 1 end, function() done = done + 1 end, i) end
pool:synchronize()
local per_job = timer:time().real / n
pool:terminate()
return per_job
"""

REPL_LUA = """
local timer = torch.Timer()
require 'torch7_compat.repl'
return timer:time().real
"""


def pillow_load_and_scale(path, n):
    start = time.perf_counter()
    for _ in range(n):
        with Image.open(path) as picture:
            array = np.asarray(picture, dtype=np.float64).transpose(2, 0, 1) / 255.0
            picture.resize((256, 256), Image.BILINEAR)
        del array
    return (time.perf_counter() - start) / n


def executor_per_job(n):
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for f in [pool.submit(lambda x: x, i) for i in range(50)]:
            f.result()
        start = time.perf_counter()
        futures = [pool.submit(lambda x: x + 1, i) for i in range(n)]
        for f in futures:
            f.result()
        return (time.perf_counter() - start) / n


def report(name, ours, theirs, unit, scale):
    print("%-44s %9.3f %s  vs %9.3f %s  ratio %.2f"
          % (name, ours * scale, unit, theirs * scale, unit, ours / theirs))


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.png")
        rng = np.random.default_rng(0)
        Image.fromarray(rng.integers(0, 256, (512, 512, 3), dtype=np.uint8)).save(path)
        ours, theirs = [], []
        for _ in range(ROUNDS):
            ours.append(t7.lua.execute(IMAGE_LUA, path, 5))
            theirs.append(pillow_load_and_scale(path, 5))
        report("image.load + image.scale 512->256 (Lua)", statistics.median(ours),
               statistics.median(theirs), "ms", 1e3)
    ours, theirs = [], []
    for _ in range(ROUNDS):
        ours.append(t7.lua.execute(POOL_LUA, 1000))
        theirs.append(executor_per_job(1000))
    report("threads pool, per trivial job (2 workers)", statistics.median(ours),
           statistics.median(theirs), "us", 1e6)
    t7.lua.execute("require 'torch'")
    print("%-44s %9.3f ms" % ("require 'torch7_compat.repl' after torch",
                              t7.lua.execute(REPL_LUA) * 1e3))


if __name__ == "__main__":
    main()
