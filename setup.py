"""Build script: compiles the Cython tensor core and installs the Lua tree inside the package.

The Lua packages (lua/) and the C ABI header (cython_ext/t7_abi.h, which LuaJIT's FFI parses
at run time) travel as package data, so an installed package and a source checkout find them
the same way (see torch7_compat/resources.py).
"""
import os
import shutil

from setuptools import Extension, find_packages, setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


def openblas_flags():
    import scipy_openblas32
    return {
        "include_dirs": [scipy_openblas32.get_include_dir()],
        "library_dirs": [scipy_openblas32.get_lib_dir()],
        "libraries": [scipy_openblas32.get_library()],
    }


def core_extension():
    from Cython.Build import cythonize

    blas = openblas_flags()
    ext = Extension(
        "torch7_compat._core",
        sources=["cython_ext/_core.pyx"],
        include_dirs=["cython_ext"] + blas["include_dirs"],
        library_dirs=blas["library_dirs"],
        libraries=blas["libraries"],
        extra_compile_args=["-O3", "-std=gnu11", "-pthread", "-Wno-unused-function",
                            "-Wno-unreachable-code"],
        extra_link_args=["-pthread"],
    )
    return cythonize(
        [ext],
        compiler_directives={
            "language_level": 3,
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": False,
        },
    )


class BuildPyWithLua(build_py):
    """Copies lua/ and the ABI header into the built package."""

    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "torch7_compat")
        shutil.copytree(os.path.join(HERE, "lua"), os.path.join(target, "lua"),
                        dirs_exist_ok=True)
        shutil.copy(os.path.join(HERE, "cython_ext", "t7_abi.h"), target)


setup(
    packages=find_packages(include=["torch7_compat", "torch7_compat.*"]),
    ext_modules=core_extension(),
    cmdclass={"build_py": BuildPyWithLua},
    zip_safe=False,
)
