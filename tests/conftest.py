"""Shared test helpers, and collection of the Lua test files.

Each tests/lua/test_*.lua file (torch.Tester suites) is one pytest item, run the way users
run scripts: through `th`, in a fresh process. With TORCH7_COMPAT_TEST_EXIT=1 a Tester run
that fails exits non-zero.
"""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_T7 = os.path.join(os.path.dirname(ROOT), "shared", "t7")


def user_env(**extra):
    """The environment a user's shell gives: no PYTHONUNBUFFERED (a test shell may set it)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env.update(extra)
    return env


def _testing_source_tree():
    """Whether the package under test is this source tree (built in place, or installed in
    editable mode) rather than an installed copy."""
    import torch7_compat
    return os.path.dirname(os.path.dirname(os.path.abspath(torch7_compat.__file__))) == ROOT


def th_command():
    """The installed `th` of this Python environment, as users run it; when the package
    under test is this source tree, the module `th` runs, from this tree."""
    installed = os.path.join(os.path.dirname(sys.executable), "th")
    if os.path.exists(installed) and not _testing_source_tree():
        return [installed]
    return [sys.executable, "-m", "torch7_compat.cli"]


def python_env(**extra):
    """user_env() for a Python process that imports torch7_compat: the package under test
    is the one it finds."""
    env = user_env(**extra)
    if _testing_source_tree():
        env["PYTHONPATH"] = ROOT
    return env


def run_python(program, timeout=300):
    """Runs `python -c program` as a user's process: the package under test importable,
    started outside the source tree (from the tree's root, `python -c` would import the
    unbuilt sources in place of an installed copy)."""
    import tempfile
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          env=python_env(), cwd=tempfile.gettempdir(), timeout=timeout)


def run_th(*args, input=None, cwd=None, env=None, timeout=300):
    """Runs `th args...` as a user would; returns the CompletedProcess (text mode)."""
    return subprocess.run(th_command() + list(args), input=input, capture_output=True,
                          text=True, cwd=cwd or ROOT, env=env or python_env(), timeout=timeout)


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".lua" and file_path.name.startswith("test_") \
            and file_path.parent.name == "lua":
        return LuaTestFile.from_parent(parent, path=file_path)


class LuaTestFile(pytest.File):
    def collect(self):
        yield LuaTestItem.from_parent(self, name=self.path.stem)


class LuaTestItem(pytest.Item):
    def runtest(self):
        result = run_th(str(self.path), env=python_env(TORCH7_COMPAT_TEST_EXIT="1"))
        self.output = result.stdout + result.stderr
        if result.returncode != 0:
            raise LuaTestFailure(result.returncode)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, LuaTestFailure):
            return "Lua tests failed (exit code %d):\n%s" % (excinfo.value.args[0], self.output)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, "lua: %s" % self.name


class LuaTestFailure(Exception):
    pass


@pytest.fixture(scope="session")
def t7():
    import torch7_compat
    torch7_compat.lua.execute("require 'torch'")
    return torch7_compat


@pytest.fixture
def lua(t7):
    """Runs Lua code in the main runtime: lua('return torch.ones(2)')."""
    return t7.lua.execute
