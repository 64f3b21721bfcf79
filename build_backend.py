"""The PEP 517 build backend: setuptools', plus cuBLAS among the build's requirements when
TORCH7_COMPAT_CUDA=1 asks for the CUDA extension.

pip builds in an isolated environment that holds only the build requirements, so a cuBLAS
installed beside the project (the `cuda` extra) is invisible to setup.py. Asked for by
name, the nvidia-cublas-cu12 wheel lands in the build environment, where setup.py's
find_cublas looks (on sys.path). Without the variable nothing changes: a default build does
not download cuBLAS (585 MB) just because nvcc happens to be installed.
"""
import os

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F401,F403  (the hooks we do not change)

CUDA_BUILD_REQUIRES = ["nvidia-cublas-cu12>=12.1"]


def _cuda_requires():
    from setup import cuda_mode   # this folder is the backend path
    return list(CUDA_BUILD_REQUIRES) if cuda_mode(os.environ) == "on" else []


def get_requires_for_build_wheel(config_settings=None):
    return _setuptools.get_requires_for_build_wheel(config_settings) + _cuda_requires()


def get_requires_for_build_editable(config_settings=None):
    return _setuptools.get_requires_for_build_editable(config_settings) + _cuda_requires()
