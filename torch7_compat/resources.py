"""Where the package's non-Python files are: the Lua tree and the ABI headers.

An installed package carries them inside itself (setup.py copies them); a source checkout
(an editable install, or running from the tree) has them at the top of the repository.
"""
import os

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(PACKAGE_DIR)


def _first_existing(*paths):
    for path in paths:
        if os.path.exists(path):
            return path
    raise FileNotFoundError("torch7_compat is incomplete: none of %s exists" % (paths,))


def lua_root():
    """The folder holding the Lua packages (torch/, nn/, optim/, ...)."""
    return _first_existing(os.path.join(PACKAGE_DIR, "lua"), os.path.join(SOURCE_ROOT, "lua"))


def abi_header():
    """The C ABI header that LuaJIT's FFI reads."""
    return _first_existing(os.path.join(PACKAGE_DIR, "t7_abi.h"),
                           os.path.join(SOURCE_ROOT, "cython_ext", "t7_abi.h"))


def cuda_abi_header():
    """The CUDA extension's C ABI header, read by cutorch through the FFI."""
    return _first_existing(os.path.join(PACKAGE_DIR, "t7_cuda_abi.h"),
                           os.path.join(SOURCE_ROOT, "cython_ext", "cuda", "t7_cuda_abi.h"))
