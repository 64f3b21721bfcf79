"""For the benchmarks (not one itself): one contender measured in a Python process of its
own, so that another's imports, threads and memory do not colour its figures.
"""
import os
import subprocess
import sys


def run(script, *arguments, env=None):
    """Runs `python script arguments...` (a benchmark calling itself for one contender) and
    returns the last line it printed, where the contender writes its figures. A failed run
    raises RuntimeError with what the process wrote to stderr."""
    command = [sys.executable, os.path.abspath(script)] + [str(a) for a in arguments]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(command), result.stderr))
    return result.stdout.strip().splitlines()[-1]
