"""Lua modules installed on the system (Debian's lua-* packages, luarocks' trees): where
`require` looks for them, and what a C module needs to load into our LuaJIT.

Pure-Lua modules come after our own packages. C modules built for Lua 5.1 or LuaJIT call the
Lua API by name; those names are in lupa's LuaJIT extension, which Python opened with its
symbols private. Before the first C module loads, the extension is opened again with
RTLD_NOLOAD | RTLD_GLOBAL, which makes its symbols visible to libraries opened later (done
only then, since it also makes them visible to every library opened afterwards).
"""
import os
import re
import sysconfig

from lupa import luajit21

# Where Debian, luarocks and hand installs put Lua 5.1 modules.
LUA_DIRS = ["/usr/local/share/lua/5.1", "/usr/share/lua/5.1"]


def _c_dirs():
    dirs = ["/usr/local/lib/lua/5.1"]
    multiarch = sysconfig.get_config_var("MULTIARCH")
    if multiarch:
        dirs.append("/usr/lib/%s/lua/5.1" % multiarch)
    dirs.append("/usr/lib/lua/5.1")
    return dirs


def lua_path():
    """The system's part of package.path."""
    return ";".join("{0}/?.lua;{0}/?/init.lua".format(d) for d in LUA_DIRS)


def lua_cpath():
    """The system's part of package.cpath."""
    return ";".join("{0}/?.so".format(d) for d in _c_dirs())


_global = []

# a library of its own Lua (liblua5.1.so, libluajit-5.1.so) would run a second interpreter
# over our interpreter's state
_OWN_LUA = re.compile(rb"lib(?:lua|luajit)[-0-9.]*\.so[0-9.]*")


def prepare_c_module(path):
    """Makes LuaJIT's API visible to the C module at path; raises with the reason when the
    module cannot work here."""
    with open(path, "rb") as f:
        found = _OWN_LUA.search(f.read())
    if found:
        raise ImportError("%s is linked against its own Lua library (%s): loaded here it "
                          "would run that interpreter over LuaJIT's state" %
                          (path, found.group().decode()))
    if not _global:
        import ctypes       # here: most runs never load a C module
        try:
            ctypes.CDLL(luajit21.__file__, mode=os.RTLD_NOLOAD | os.RTLD_GLOBAL)
        except OSError as e:
            raise ImportError("cannot make the Lua API of %s visible to C modules: %s"
                              % (luajit21.__file__, e)) from None
        _global.append(True)
