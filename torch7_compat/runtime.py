"""The LuaJIT runtime (lupa.luajit21) that runs the Lua packages.

One main runtime per process, made on first use; `th` runs in that same runtime. Making one
sets up `require` the way the original `th` did: ./?.lua and ./?/init.lua in the working
directory first, then LUA_PATH, then our packages, then the Lua modules installed on the
system (system_lua.py); C modules from ./?.so, LUA_CPATH, then the system's directories.
"""
import ctypes
import importlib
import os
import sys

from lupa import luajit21

from . import cuda, cuda_tensor, resources, system_lua
from ._native import core

LuaError = luajit21.LuaError

_main = None


def _search_path(first, variable, defaults):
    """first, then the variable's entries (';;' in it standing for defaults), then
    defaults."""
    user = os.environ.get(variable)
    if user:
        user = (user.replace(";;", ";" + defaults + ";") if ";;" in user
                else user + ";" + defaults)
        return first + ";" + user.strip(";")
    return first + ";" + defaults


def lua_path():
    """package.path: the working directory, LUA_PATH, ours, then the system's."""
    ours = "{0}/?.lua;{0}/?/init.lua".format(resources.lua_root())
    return _search_path("./?.lua;./?/init.lua", "LUA_PATH", ours + ";" + system_lua.lua_path())


def lua_cpath():
    """package.cpath: the working directory, LUA_CPATH, then the system's directories."""
    return _search_path("./?.so", "LUA_CPATH", system_lua.lua_cpath())


def _python_output(lua):
    """Lua's print and io.write go to Python's sys.stdout: they then interleave with Python's
    own output in order, and reach whatever sys.stdout is (a notebook, pytest's capture)."""
    def write(text):
        sys.stdout.write(text)

    def write_bytes(address, length):
        """Output that is not UTF-8 (Lua strings are bytes): as it is where sys.stdout has a
        binary buffer, else with the undecodable bytes escaped."""
        data = ctypes.string_at(address, length)
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(data.decode("utf-8", "backslashreplace"))
            return
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()

    def flush():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (AttributeError, ValueError):
                pass
    lua.globals().package.loaded["torch7_compat.output"] = lua.table_from(
        {"write": write, "write_bytes": write_bytes, "flush": flush})
    lua.execute(_ROUTE_OUTPUT)


# print and io.write through the sink while io.output() is stdout; os.exit flushes first.
_ROUTE_OUTPUT = """
local sink = package.loaded['torch7_compat.output']
local write_text, write_bytes, flush = sink.write, sink.write_bytes, sink.flush
local concat, select, tostring, find = table.concat, select, tostring, string.find
local ffi, utf8 = require 'ffi', require 'torch7_compat.utf8'
local function write(text)
   if find(text, '[\\128-\\255]') and not utf8.is_valid(text) then
      return write_bytes(tonumber(ffi.cast('uintptr_t', ffi.cast('const char *', text))), #text)
   end
   write_text(text)
end
local stdout, io_output, io_write = io.stdout, io.output, io.write
function print(...)
   local n = select('#', ...)
   local parts = {}
   for i = 1, n do parts[i] = tostring((select(i, ...))) end
   write(concat(parts, '\\t') .. '\\n')
end
function io.write(...)
   if io_output() ~= stdout then return io_write(...) end
   local n = select('#', ...)
   local parts = {}
   for i = 1, n do
      local v = select(i, ...)
      if type(v) ~= 'string' and type(v) ~= 'number' then
         error("bad argument #" .. i .. " to 'write' (string expected, got " .. type(v) .. ")", 2)
      end
      parts[i] = v
   end
   write(concat(parts))
   return stdout
end
local exit = os.exit
function os.exit(...)
   flush()
   stdout:flush()
   return exit(...)
end
"""


# lupa keeps each Python object it hands to Lua in a weak-valued table, at a slot from
# luaL_ref, and remembers the slot until the object's Lua wrapper is finalized. Lua clears
# the weak slot first; in between, luaL_ref with an empty free list takes the table's length
# plus one, which a hole can make that very slot: another object then lands there, and the
# first object, passed again, comes back as the other one (about one call in three when two
# new objects are passed at once; lupa issues #293/#294). Kept supplied with a free list,
# luaL_ref takes slots that lupa has released, never the length. The supply (RESERVE free
# slots, 256 KB) is renewed, once half of it is taken, by a finalizer that re-arms itself
# and so runs once per garbage-collection cycle (one table read); more Python objects than
# that made within one cycle fall back to lupa's own way.
_SEED_PYTHON_REFERENCES = """
local references = debug.getregistry().LUPA_PYTHON_REFERENCES_TABLE
local RESERVE = 32768
local halfway      -- the middle slot of the last supply: taken, half of it is gone
-- puts RESERVE fresh slots, above every slot in use, in front of the free list
local function supply()
   local top = 0
   for key in pairs(references) do
      if type(key) == 'number' and key > top then top = key end
   end
   for slot = top + 1, top + RESERVE - 1 do rawset(references, slot, slot + 1) end
   rawset(references, top + RESERVE, rawget(references, 0) or 0)
   rawset(references, 0, top + 1)
   halfway = top + RESERVE / 2
end
supply()
local function arm()
   local sentinel = newproxy(true)
   getmetatable(sentinel).__gc = function()
      -- a free slot holds the number of the next; a taken one, lupa's object (or nil)
      if type(rawget(references, halfway)) ~= 'number' then supply() end
      arm()
   end
end
arm()
"""


def new_runtime(python_output=True):
    """A configured LuaRuntime. With python_output, Lua's print goes through sys.stdout;
    `th` passes False and routes Python's output to C's stdout instead (see cli.py)."""
    lua = luajit21.LuaRuntime(unpack_returned_tuples=True, register_eval=False,
                              register_builtins=False)
    lua.execute(_SEED_PYTHON_REFERENCES)
    g = lua.globals()
    g.package.path = lua_path()
    g.package.cpath = lua_cpath()
    with open(resources.abi_header()) as f:
        header = f.read()
    g.package.loaded["torch7_compat.boot"] = lua.table_from({
        "core_path": core.__file__,
        "abi_header": header,
        "tensor_struct_size": core.tensor_abi_header_size(),
        "adopt_tensor": core.Tensor._adopt,
        "adopt_cuda_tensor": cuda_tensor.adopt,
        # Lua packages whose work is done in Python (image, gnuplot) import it through this
        "import_python": importlib.import_module,
        # require 'cutorch' asks for the CUDA extension (path, header) or why there is none
        "cuda_library": cuda.library_for_lua,
        "prepare_c_module": system_lua.prepare_c_module,
    })
    lua.execute("require 'torch7_compat.c_modules'")
    if python_output:
        _python_output(lua)
    return lua


def main_runtime():
    """The process's main runtime, made on first use."""
    global _main
    if _main is None:
        _main = new_runtime()
    return _main


def set_main_runtime(lua):
    """Installs `lua` as the main runtime (th makes its own, with C-level output)."""
    global _main
    if _main is not None and _main is not lua:
        raise RuntimeError("the main Lua runtime exists already")
    _main = lua
