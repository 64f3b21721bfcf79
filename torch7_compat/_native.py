"""Loads the compiled tensor core.

The core links against the OpenBLAS of the scipy-openblas32 wheel. That library sits in
another package's folder, so it is loaded here first, by path; the dynamic loader then
finds it, by its soname, when the core asks for it.
"""
import ctypes
import importlib.util
import os


def _load_blas():
    spec = importlib.util.find_spec("scipy_openblas32")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("torch7_compat needs the scipy-openblas32 package (pip install "
                          "scipy-openblas32)")
    lib_dir = os.path.join(list(spec.submodule_search_locations)[0], "lib")
    for name in sorted(os.listdir(lib_dir)):
        if name.startswith("libscipy_openblas") and (".so" in name or name.endswith(".dylib")):
            ctypes.CDLL(os.path.join(lib_dir, name))
            return
    raise ImportError("scipy-openblas32 has no BLAS library in " + lib_dir)


_load_blas()

from . import _core  # noqa: E402

core = _core
