"""Finding the optional CUDA extension (torch7_compat._cuda) for Lua's `require 'cutorch'`,
and PyTorch's t7.cuda queries (is_available, device_count...) for Python.

The extension is a shared object that LuaJIT's FFI loads by path; Python never imports it
(importing would load cuBLAS into every process). Its cuBLAS comes from the nvidia-cublas-cu12
wheel (the `cuda` extra): the extension's rpath points at it, and it is also loaded here by
path first, so that a wheel found elsewhere on sys.path serves as well.
"""
import ctypes
import glob
import importlib.util
import os

from . import resources

NOT_BUILT = ("this torch7_compat has no CUDA extension: it is built at install time where "
             "nvcc and cuBLAS are present (TORCH7_COMPAT_CUDA=1 pip install '.[cuda]'); "
             "scripts run on the CPU without require 'cutorch' (e.g. -gpuid -1)")


def extension_path():
    """The built extension's file, or None."""
    spec = importlib.util.find_spec("torch7_compat._cuda")
    return spec.origin if spec is not None and spec.origin else None


def _preload_cublas():
    """Loads the wheel's libcublas (global symbols) when the nvidia package is present."""
    spec = importlib.util.find_spec("nvidia")
    if spec is None:
        return
    for root in spec.submodule_search_locations or []:
        for pattern in ("cublas", "cu[0-9]*"):
            for library in sorted(glob.glob(os.path.join(root, pattern, "lib", "libcublas.so*"))):
                ctypes.CDLL(library, mode=ctypes.RTLD_GLOBAL)
                return


def library_for_lua():
    """(path, ABI header text) of the extension, or (None, why it is unavailable)."""
    path = extension_path()
    if path is None:
        return None, NOT_BUILT
    try:
        _preload_cublas()
    except OSError as error:
        return None, "cuBLAS could not be loaded (%s): pip install nvidia-cublas-cu12" % error
    with open(resources.cuda_abi_header()) as f:
        return path, f.read()


# ---- PyTorch's t7.cuda queries, answered by cutorch in the main Lua runtime ----------------

def is_available():
    """Whether CUDA tensors can be made here (the extension built, a GPU present)."""
    from . import cuda_tensor
    try:
        cuda_tensor.face()
    except RuntimeError:
        return False
    return True


def _cutorch():
    from . import cuda_tensor
    cuda_tensor.face()              # raises the reason CUDA is unavailable
    import torch7_compat
    return torch7_compat.lua.globals()["cutorch"]


def device_count():
    """The number of GPUs, 0 where CUDA is unavailable."""
    return _cutorch()["getDeviceCount"]() if is_available() else 0


def current_device():
    """The current GPU, counted from 0."""
    return _cutorch()["getDevice"]() - 1


def set_device(device):
    """Makes GPU `device` (counted from 0) the current one."""
    _cutorch()["setDevice"](device + 1)


def synchronize():
    """Waits for the work queued on the current GPU."""
    _cutorch()["synchronize"]()
