"""Ecosystem-package benchmarks: what a legacy script pays for cjson, hdf5, csvigo, tds and
lfs here, against doing the same work directly in Python (json, h5py, csv, dict, os),
measured in the same run, with ratios (>1: we are slower).

    python bench/bench_ecosystem.py

1. cjson.decode / cjson.encode of a 1 MB document (a list of 5000 records), from Lua,
   against json.loads / json.dumps;
2. hdf5: reading a 1000x1000 double dataset with :all(), against h5py's dataset[()];
3. csvigo.load in tidy mode of a 20000-row CSV, against csv.reader building columns;
4. tds.Hash: 200000 insertions and lookups of string keys, against a Python dict;
5. lfs.attributes of a file, per call, against os.stat.
"""
import csv
import json
import os
import statistics
import tempfile
import time

import h5py
import numpy as np

import torch7_compat as t7

ROUNDS = 5


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def lua_timed(code, *args):
    """Seconds a Lua chunk takes, measured in Lua (torch.Timer) around the work."""
    return t7.lua.execute("local timer = torch.Timer()\n" + code
                          + "\nreturn timer:time().real", *args)


def median_pair(ours, theirs):
    a, b = [], []
    for _ in range(ROUNDS):
        a.append(ours())
        b.append(theirs())
    return statistics.median(a), statistics.median(b)


def report(name, ours, theirs, unit, scale):
    print("%-44s %9.3f %s  vs %9.3f %s  ratio %.2f"
          % (name, ours * scale, unit, theirs * scale, unit, ours / theirs))


def bench_cjson():
    records = [{"id": i, "name": "item %d" % i, "score": i * 0.25, "tags": ["a", "b", "c"],
                "nested": {"ok": i % 2 == 0, "value": None}} for i in range(5000)]
    text = json.dumps(records)
    t7.lua.execute("require 'torch'; cjson_bench = require 'cjson'; "
                   "cjson_bench_doc = cjson_bench.decode(...)", text)
    report("cjson.decode, %d KB" % (len(text) // 1024),
           *median_pair(lambda: lua_timed("cjson_bench.decode(...)", text),
                        lambda: timed(json.loads, text)), "ms", 1e3)
    report("cjson.encode, %d KB" % (len(text) // 1024),
           *median_pair(lambda: lua_timed("cjson_bench.encode(cjson_bench_doc)"),
                        lambda: timed(json.dumps, records)), "ms", 1e3)


def bench_hdf5(folder):
    path = os.path.join(folder, "bench.h5")
    with h5py.File(path, "w") as f:
        f["data"] = np.random.default_rng(0).standard_normal((1000, 1000))

    def with_h5py():
        with h5py.File(path, "r") as f:
            return f["data"][()]
    report("hdf5 :all() of 1000x1000 doubles",
           *median_pair(lambda: lua_timed("require 'hdf5'\nlocal f = hdf5.open(..., 'r')\n"
                                          "f:read('data'):all()\nf:close()", path),
                        lambda: timed(with_h5py)), "ms", 1e3)


def bench_csvigo(folder):
    path = os.path.join(folder, "bench.csv")
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["a", "b", "c", "d"])
        writer.writerows([[i, i * 2, "text %d" % i, i * 0.5] for i in range(20000)])

    def with_csv():
        with open(path, newline="") as f:
            rows = csv.reader(f)
            header = next(rows)
            columns = {name: [] for name in header}
            for row in rows:
                for name, value in zip(header, row):
                    columns[name].append(value)
        return columns
    report("csvigo.load tidy, 20000 rows",
           *median_pair(lambda: lua_timed("require 'csvigo'\n"
                                          "csvigo.load{path = ..., verbose = false}", path),
                        lambda: timed(with_csv)), "ms", 1e3)


TDS_LUA = """
local tds = require 'tds'
local h, n = tds.Hash(), 200000
for i = 1, n do h['key' .. (i - 1)] = i end
local total = 0
for i = 1, n do total = total + h['key' .. (i - 1)] end
"""


def bench_tds():
    keys = ["key%d" % i for i in range(200000)]

    def with_dict():
        d = {}
        for i, k in enumerate(keys):
            d[k] = i
        total = 0
        for k in keys:
            total += d[k]
        return total
    report("tds.Hash 200000 inserts + lookups",
           *median_pair(lambda: lua_timed(TDS_LUA), lambda: timed(with_dict)), "ms", 1e3)


def bench_lfs(folder):
    path = os.path.join(folder, "bench.csv")
    n = 2000

    def with_os():
        for _ in range(n):
            os.stat(path)
    ours, theirs = median_pair(
        lambda: lua_timed("require 'lfs'\nlocal path, n = ...\n"
                          "for i = 1, n do lfs.attributes(path) end", path, n),
        lambda: timed(with_os))
    report("lfs.attributes, per call", ours / n, theirs / n, "us", 1e6)


def main():
    t7.lua.execute("require 'torch'")
    bench_cjson()
    with tempfile.TemporaryDirectory() as folder:
        bench_hdf5(folder)
        bench_csvigo(folder)
        bench_tds()
        bench_lfs(folder)


if __name__ == "__main__":
    main()
