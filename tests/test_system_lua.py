"""Lua modules installed on the system: pure-Lua ones found by require after our packages;
C modules built for Lua 5.1 loaded with LuaJIT's API (built here with the C compiler that
builds the core; the modules declare the few API functions they call, so no Lua headers
are needed), and refused with the reason when they cannot work."""
import shutil
import subprocess
import textwrap

import pytest

from torch7_compat import runtime, system_lua
from conftest import python_env, run_th

C_MODULE = """
typedef struct lua_State lua_State;
typedef int (*lua_CFunction)(lua_State *L);
double luaL_checknumber(lua_State *L, int narg);
void lua_pushnumber(lua_State *L, double n);
void lua_createtable(lua_State *L, int narr, int nrec);
void lua_pushcclosure(lua_State *L, lua_CFunction fn, int n);
void lua_setfield(lua_State *L, int idx, const char *k);

static int twice(lua_State *L) {
   lua_pushnumber(L, 2 * luaL_checknumber(L, 1));
   return 1;
}

int luaopen_%(name)s(lua_State *L) {
   lua_createtable(L, 0, 1);
   lua_pushcclosure(L, twice, 0);
   lua_setfield(L, -2, "twice");
   return 1;
}
"""

needs_compiler = pytest.mark.skipif(shutil.which("gcc") is None,
                                    reason="no gcc to build a C module with")


def compile_module(directory, name, source=None, extra=()):
    c_file = directory / (name + ".c")
    c_file.write_text(source or C_MODULE % {"name": name.replace(".", "_")})
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(directory / (name + ".so")),
                    str(c_file)] + list(extra), check=True, capture_output=True)


def test_system_directories_come_after_ours():
    path = runtime.lua_path().split(";")
    ours = [i for i, entry in enumerate(path) if entry.endswith("/lua/?.lua")]
    assert ours
    for directory in system_lua.LUA_DIRS:
        assert path.index(directory + "/?.lua") > ours[0]
        assert directory + "/?/init.lua" in path
    assert "/usr/share/lua/5.1/?.lua" in path and "/usr/local/share/lua/5.1/?.lua" in path
    assert "/usr/local/lib/lua/5.1/?.so" in runtime.lua_cpath().split(";")


def test_pure_lua_modules_in_system_directories_are_found(tmp_path, monkeypatch):
    (tmp_path / "greeting").mkdir()
    (tmp_path / "greeting" / "init.lua").write_text("return {text = 'hello from the system'}")
    (tmp_path / "lfs.lua").write_text("return 'the system lfs'")
    monkeypatch.setattr(system_lua, "LUA_DIRS", [str(tmp_path)])
    lua = runtime.new_runtime()
    assert lua.execute("return require('greeting').text") == "hello from the system"
    # our packages come first
    assert lua.execute("return type(require('lfs'))") == "table"


@needs_compiler
def test_c_modules_load_with_luajits_api(tmp_path):
    compile_module(tmp_path, "twice")
    script = tmp_path / "use.lua"
    script.write_text(textwrap.dedent("""
        local m = require 'twice'
        print(m.twice(21))
        print(pcall(m.twice, 'x'))
    """))
    result = run_th(str(script), env=python_env(LUA_CPATH=str(tmp_path / "?.so")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "42", "false\tbad argument #1 to '?' (number expected, got string)"]


@needs_compiler
def test_c_modules_that_cannot_work_say_why(tmp_path):
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "fake.c").write_text("int lua_fake(void) { return 0; }\n")
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(tmp_path / "own" / "liblua5.1.so.0"),
                    str(tmp_path / "own" / "fake.c")], check=True)
    compile_module(tmp_path, "linked", extra=["-Wl,--no-as-needed", "-L" + str(tmp_path / "own"),
                                              "-l:liblua5.1.so.0"])
    compile_module(tmp_path, "noentry", source="int something(void) { return 1; }\n")
    script = tmp_path / "use.lua"
    script.write_text("print(select(2, pcall(require, 'linked')))\n"
                      "print(select(2, pcall(require, 'noentry')))\n")
    result = run_th(str(script), env=python_env(LUA_CPATH=str(tmp_path / "?.so")))
    linked, noentry = result.stdout.splitlines()[:2]
    assert linked.startswith("module 'linked' found at %s cannot be loaded: " %
                             (tmp_path / "linked.so"))
    assert "linked against its own Lua library (liblua5.1.so.0)" in linked
    assert noentry.startswith("module 'noentry' found at %s cannot be loaded: " %
                              (tmp_path / "noentry.so"))
    assert "luaopen_noentry" in noentry
