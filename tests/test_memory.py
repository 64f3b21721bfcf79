"""Tensor memory lives outside LuaJIT's heap; heap tracking makes the collector run when it
grows, so loops that make temporary tensors stay in bounded memory."""
import subprocess
import sys
import textwrap

from conftest import ROOT, python_env, th_command

# Runs th as a child and reports the child's peak resident memory in MiB.
MEASURE = textwrap.dedent("""
    import resource, subprocess, sys
    subprocess.run(sys.argv[1:], check=True)
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
""")


def peak_mib(lua_code):
    result = subprocess.run([sys.executable, "-c", MEASURE, *th_command(), "-e", lua_code],
                            capture_output=True, text=True, env=python_env(), cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


def test_temporary_tensors_are_collected():
    # 400 temporaries of 8 MiB each, every page written: 3.2 GiB if nothing were freed
    peak = peak_mib("for i = 1, 400 do local t = torch.Tensor(1000000):fill(i) end")
    assert peak < 1200, "peak resident memory %d MiB" % peak


def test_temporary_results_of_operations_are_collected():
    peak = peak_mib("""
        local a = torch.Tensor(1000, 1000):fill(1)
        for i = 1, 300 do local b = a + a; local c = b * 2 end
    """)
    assert peak < 1200, "peak resident memory %d MiB" % peak
