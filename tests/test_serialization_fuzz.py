"""Fuzzing the .t7 reader: real files written by the original, mutated (bit flips, bytes
and length fields set to extreme values, truncations, deletions, duplications, splices) and
read in binary, ascii and 4-byte-long modes. Every outcome must be an object or a Lua error:
no crash, no hang, no allocation beyond the input's size (the reader runs under a 2 GiB
address-space limit, in a process of its own).

The suite runs a quick campaign, and hypothesis drives the same mutations through
t7.loads in this process; a longer campaign runs with
    python tests/test_serialization_fuzz.py INPUTS [FIRST_SEED]
"""
import os
import random
import resource
import struct
import subprocess
import sys
import tempfile

from hypothesis import given, settings, strategies as st

from conftest import SHARED_T7, python_env, th_command

SMALL_FILES = 64 * 1024        # larger files are mutated less often (they cost more per read)
BIG_FILE_EVERY = 200
CAMPAIGN_CHUNK = 10000         # inputs per reader process
MEMORY_LIMIT = 2 << 30

INTERESTING_INTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, 255, 256, 65535, 65536, 2 ** 31 - 1,
                    -2 ** 31, 2 ** 30, 1000000]
INTERESTING_LONGS = [0, 1, -1, 2 ** 31, 2 ** 60, 2 ** 63 - 1, -2 ** 63, 2 ** 53 + 1]

DRIVER = r"""
-- reads every input of the file given as arg[1] (mode byte, length, bytes); counts outcomes
require 'nn'
local file = io.open(arg[1], 'rb')
local data = file:read('*a')
file:close()
local modes = {[0] = 'binary', 'ascii', 'b32'}
local options = {[0] = nil, {unknownClasses = 'table'}}
local at, loaded, failed, odd = 1, 0, 0, 0
while at <= #data do
   local mode, which = data:byte(at), data:byte(at + 1)
   local b1, b2, b3, b4 = data:byte(at + 2, at + 5)
   local n = b1 + b2 * 256 + b3 * 65536 + b4 * 16777216
   local input = data:sub(at + 6, at + 5 + n)
   at = at + 6 + n
   local ok, result = pcall(torch.deserialize, input, modes[mode], options[which])
   if ok then
      loaded = loaded + 1
   elseif type(result) == 'string' and #result > 0 then
      failed = failed + 1
   else
      odd = odd + 1
   end
   if (loaded + failed) % 500 == 0 then collectgarbage() end
end
print(string.format('fuzz loaded %d failed %d odd %d', loaded, failed, odd))
"""


def seed_files():
    """(bytes, mode) of every file written by the original."""
    seeds = []
    for folder, _, names in os.walk(SHARED_T7):
        for name in sorted(names):
            if name.endswith((".t7", ".net")):
                with open(os.path.join(folder, name), "rb") as f:
                    data = f.read()
                mode = 1 if "ascii" in name else 2 if "long4" in name else 0
                seeds.append((data, mode))
    return seeds


def mutate(data, seeds, rng):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(9)
        at = rng.randrange(len(data)) if data else 0
        if kind == 0 and data:
            data[at] ^= 1 << rng.randrange(8)
        elif kind == 1 and data:
            data[at] = rng.randrange(256)
        elif kind == 2 and len(data) >= 4:
            at -= at % 4
            data[at:at + 4] = struct.pack("<i", rng.choice(INTERESTING_INTS))
        elif kind == 3 and len(data) >= 8:
            at = min(at, len(data) - 8)
            data[at:at + 8] = struct.pack("<q", rng.choice(INTERESTING_LONGS))
        elif kind == 4:
            del data[at:]
        elif kind == 5:
            del data[at:at + rng.randint(1, 64)]
        elif kind == 6:
            data[at:at] = data[at:at + rng.randint(1, 64)]
        elif kind == 7:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            other = rng.choice(seeds)[0]
            data = data[:at] + other[rng.randrange(len(other) + 1):]
    return bytes(data)


def write_inputs(path, count, seed):
    rng = random.Random(seed)
    seeds = seed_files()
    small = [s for s in seeds if len(s[0]) <= SMALL_FILES]
    with open(path, "wb") as out:
        for i in range(count):
            data, mode = rng.choice(small if i % BIG_FILE_EVERY else seeds)
            if rng.random() < 0.05:
                mode = rng.choice([0, 1, 2])       # read in the wrong mode
            mutated = mutate(data, seeds, rng)
            out.write(bytes([mode, rng.randrange(2)]) + struct.pack("<I", len(mutated)))
            out.write(mutated)


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_campaign(count, seed, timeout):
    with tempfile.TemporaryDirectory() as folder:
        inputs, driver = os.path.join(folder, "inputs.bin"), os.path.join(folder, "driver.lua")
        write_inputs(inputs, count, seed)
        with open(driver, "w") as f:
            f.write(DRIVER)
        return subprocess.run(th_command() + [driver, inputs], capture_output=True, text=True,
                              errors="replace",
                              env=python_env(), timeout=timeout, preexec_fn=limit_memory,
                              cwd=folder)


def test_mutated_original_files_never_crash_the_reader():
    count = 4000
    result = run_campaign(count, seed=2024, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    words = result.stdout.split()
    assert words[:1] == ["fuzz"], result.stdout + result.stderr[-2000:]
    loaded, failed, odd = int(words[2]), int(words[4]), int(words[6])
    assert loaded + failed == count and odd == 0
    assert loaded > 0 and failed > 0      # the mutations reach both outcomes


SEEDS = seed_files()
SMALL_SEEDS = [s for s in SEEDS if len(s[0]) <= SMALL_FILES]


# What was read stays in Lua (its type comes back): a string of arbitrary bytes would stop
# at the bridge, which decodes Lua strings as UTF-8.
READ_IN_LUA = """
function(data, mode, unknown)
   require 'torch'
   return type(torch.deserialize(data, mode, {unknownClasses = unknown}))
end
"""


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SMALL_SEEDS), st.integers(0, 2 ** 32 - 1),
       st.sampled_from(["binary", "ascii", "b32"]), st.sampled_from(["error", "table"]))
def test_mutations_read_in_this_process(seed, mutation_seed, mode, unknown_classes):
    import torch7_compat as t7
    mutated = mutate(seed[0], SEEDS, random.Random(mutation_seed))
    read = t7.lua.eval(READ_IN_LUA)
    try:
        assert read(mutated, mode, unknown_classes) in ("nil", "number", "string", "boolean",
                                                         "table", "cdata", "function")
    except t7.LuaError as error:
        assert str(error)


if __name__ == "__main__":
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    first_seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    tried = 0
    for chunk, seed in enumerate(range(first_seed, first_seed + total // CAMPAIGN_CHUNK)):
        outcome = run_campaign(CAMPAIGN_CHUNK, seed, timeout=None)
        tried += CAMPAIGN_CHUNK
        print("seed", seed, outcome.stdout.strip(), "exit code", outcome.returncode, flush=True)
        if outcome.returncode != 0 or "odd 0" not in outcome.stdout:
            sys.stderr.write(outcome.stderr[-3000:])
            sys.exit(1)
    print("inputs tried:", tried)
