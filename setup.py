"""Build script: compiles the Cython tensor core, the optional CUDA extension, and installs
the Lua tree inside the package.

The Lua packages (lua/) and the C ABI headers (cython_ext/t7_abi.h and
cython_ext/cuda/t7_cuda_abi.h, which LuaJIT's FFI parses at run time) travel as package data,
so an installed package and a source checkout find them the same way (see
torch7_compat/resources.py).

The CUDA extension (torch7_compat._cuda, from cython_ext/cuda/*.cu) is built only when nvcc
and cuBLAS are both found, or when TORCH7_COMPAT_CUDA=1 asks for it (then a missing piece is
an error); TORCH7_COMPAT_CUDA=0 leaves it out. Looking for them costs a few file checks, so a
CPU-only build is neither slowed nor broken by an nvcc without cuBLAS.
"""
import glob
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

try:
    from setuptools.modified import newer_group
except ImportError:            # setuptools before 69
    from distutils.dep_util import newer_group

HERE = os.path.dirname(os.path.abspath(__file__))
CUDA_SOURCES_DIR = os.path.join("cython_ext", "cuda")
CUDA_EXTENSION = "torch7_compat._cuda"
# Ampere (A100) and Hopper (H100/H200) machine code, and Hopper PTX that newer GPUs compile
DEFAULT_CUDA_ARCHS = "80;90"


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


# ---- the optional CUDA extension --------------------------------------------------------------

class CudaBuildError(Exception):
    """TORCH7_COMPAT_CUDA=1 asked for the CUDA extension and a piece is missing."""


def cuda_mode(environ):
    """'auto', 'on' or 'off', from TORCH7_COMPAT_CUDA (unset or empty: auto)."""
    value = environ.get("TORCH7_COMPAT_CUDA", "").strip().lower()
    if value in ("", "auto"):
        return "auto"
    if value in ("1", "on", "yes", "true"):
        return "on"
    if value in ("0", "off", "no", "false"):
        return "off"
    raise CudaBuildError("TORCH7_COMPAT_CUDA=%r: use 1 (build the CUDA extension), 0 (leave it "
                         "out) or leave it unset (build it when nvcc and cuBLAS are found)"
                         % environ["TORCH7_COMPAT_CUDA"])


def find_nvcc(environ, which=shutil.which):
    """nvcc's path: $CUDA_HOME/bin, $CUDA_PATH/bin, then PATH; None when absent."""
    for home in (environ.get("CUDA_HOME"), environ.get("CUDA_PATH")):
        if home and os.path.isfile(os.path.join(home, "bin", "nvcc")):
            return os.path.join(home, "bin", "nvcc")
    return which("nvcc", path=environ.get("PATH"))


def find_cuda_home(environ, nvcc):
    """The toolkit folder holding include/cuda_runtime.h (nvcc may be a wrapper script
    elsewhere, as /usr/local/bin/nvcc); None when not found."""
    candidates = [environ.get("CUDA_HOME"), environ.get("CUDA_PATH")]
    if nvcc:
        candidates.append(os.path.dirname(os.path.dirname(os.path.realpath(nvcc))))
    candidates.append("/usr/local/cuda")
    for home in candidates:
        if home and os.path.isfile(os.path.join(home, "include", "cuda_runtime.h")):
            return home
    return None


def _cublas_in(include_dir, library_dirs):
    if not os.path.isfile(os.path.join(include_dir, "cublas_v2.h")):
        return None
    for library_dir in library_dirs:
        # the PyPI wheel ships only the versioned name (libcublas.so.12)
        names = sorted(glob.glob(os.path.join(library_dir, "libcublas.so*")), key=len)
        if names:
            return {"include_dir": include_dir, "library_dir": library_dir,
                    "library": os.path.basename(names[0])}
    return None


def find_cublas(environ, cuda_home, search_paths=None):
    """cuBLAS's headers and library: $TORCH7_COMPAT_CUBLAS_DIR (a folder with include/ and
    lib/), the nvidia-cublas-cu12 wheel (or a CUDA 13 one) on the Python path (PyTorch's
    CUDA builds bring it too), then the toolkit. A dict
    (include_dir, library_dir, library: the file name to link) or None."""
    explicit = environ.get("TORCH7_COMPAT_CUBLAS_DIR")
    places = []
    if explicit:
        places.append((os.path.join(explicit, "include"),
                       [os.path.join(explicit, "lib"), os.path.join(explicit, "lib64")]))
    for entry in (sys.path if search_paths is None else search_paths):
        # nvidia/cublas: the CUDA 12 wheels' layout; nvidia/cu13: the CUDA 13 ones'
        for wheel in [os.path.join(entry or ".", "nvidia", "cublas")] + \
                sorted(glob.glob(os.path.join(entry or ".", "nvidia", "cu[0-9]*"))):
            places.append((os.path.join(wheel, "include"), [os.path.join(wheel, "lib")]))
    if cuda_home:
        places.append((os.path.join(cuda_home, "include"),
                       [os.path.join(cuda_home, "lib64"), os.path.join(cuda_home, "lib")]))
    for include_dir, library_dirs in places:
        found = _cublas_in(include_dir, library_dirs)
        if found:
            return found
    return None


def plan_cuda_build(environ, which=shutil.which, search_paths=None):
    """Whether to build the CUDA extension: (None, reason) to leave it out, or
    (plan, reason) with plan = {nvcc, cuda_home, cublas}. Raises CudaBuildError when
    TORCH7_COMPAT_CUDA=1 and a piece is missing."""
    mode = cuda_mode(environ)
    if mode == "off":
        return None, "TORCH7_COMPAT_CUDA=0"
    nvcc = find_nvcc(environ, which)
    cuda_home = find_cuda_home(environ, nvcc) if nvcc else None
    cublas = find_cublas(environ, cuda_home, search_paths) if nvcc else None
    missing = []
    if not nvcc:
        missing.append("nvcc (not on PATH, nor in $CUDA_HOME/bin)")
    elif not cuda_home:
        missing.append("the CUDA toolkit's headers (include/cuda_runtime.h; set CUDA_HOME)")
    if nvcc and not cublas:
        missing.append("cuBLAS (pip install nvidia-cublas-cu12, or set "
                       "TORCH7_COMPAT_CUBLAS_DIR)")
    if missing:
        reason = "not found: " + "; ".join(missing)
        if mode == "on":
            raise CudaBuildError("TORCH7_COMPAT_CUDA=1 but the CUDA extension cannot be built, "
                                 + reason)
        return None, reason
    return {"nvcc": nvcc, "cuda_home": cuda_home, "cublas": cublas}, "nvcc and cuBLAS found"


def cuda_archs(environ):
    """Compute capabilities to compile for, from TORCH7_COMPAT_CUDA_ARCHS ("80;90")."""
    text = environ.get("TORCH7_COMPAT_CUDA_ARCHS") or DEFAULT_CUDA_ARCHS
    archs = [a.strip() for a in text.replace(",", ";").split(";") if a.strip()]
    if not archs or not all(a.isdigit() for a in archs):
        raise CudaBuildError("TORCH7_COMPAT_CUDA_ARCHS=%r: list compute capabilities as "
                             "digits, e.g. 80;90" % text)
    return archs


def nvcc_command(plan, source, output, archs, compile_only_ptx=False):
    """The nvcc command compiling one .cu file to an object (machine code for each
    arch and PTX for the last), or with compile_only_ptx PTX alone (a quick check)."""
    command = [plan["nvcc"], "-c", source, "-o", output, "-std=c++17", "-O3",
               "-Xcompiler", "-fPIC", "-I" + os.path.join(HERE, CUDA_SOURCES_DIR),
               "-I" + plan["cublas"]["include_dir"]]
    if compile_only_ptx:
        return command + ["-gencode", "arch=compute_%s,code=compute_%s" % (archs[0], archs[0])]
    for arch in archs:
        command += ["-gencode", "arch=compute_%s,code=sm_%s" % (arch, arch)]
    return command + ["-gencode", "arch=compute_%s,code=compute_%s" % (archs[-1], archs[-1])]


def cuda_sources():
    return sorted(glob.glob(os.path.join(HERE, CUDA_SOURCES_DIR, "*.cu")))


def cuda_extension(plan):
    """The extension module: a small C file making it importable, linked with the nvcc
    objects (added by BuildExtWithCuda), static cudart, and cuBLAS found at run time
    through an rpath to the wheel (installed beside us) or where it was found."""
    cublas = plan["cublas"]
    return Extension(
        CUDA_EXTENSION,
        sources=[os.path.join(CUDA_SOURCES_DIR, "module.c")],
        library_dirs=[os.path.join(plan["cuda_home"], "lib64"), cublas["library_dir"]],
        libraries=["cudart_static", "rt", "dl", "pthread", "stdc++"],
        depends=cuda_sources() + glob.glob(os.path.join(HERE, CUDA_SOURCES_DIR, "*.*h")),
        extra_link_args=["-l:" + cublas["library"],
                         "-Wl,-rpath,$ORIGIN/../nvidia/cublas/lib",
                         "-Wl,-rpath," + os.path.abspath(cublas["library_dir"])],
    )


class BuildExtWithCuda(build_ext):
    """Compiles the .cu sources with nvcc (in parallel) before linking the CUDA extension."""

    cuda_plan = None

    def build_extension(self, ext):
        # the .cu files and headers are the extension's depends: unchanged, nothing is redone
        if ext.name == CUDA_EXTENSION and (self.force or newer_group(
                ext.sources + ext.depends, self.get_ext_fullpath(ext.name), "newer")):
            ext.extra_objects = list(ext.extra_objects or []) + self.compile_cuda()
        super().build_extension(ext)

    def compile_cuda(self):
        archs = cuda_archs(os.environ)
        out_dir = os.path.join(self.build_temp, "cuda")
        os.makedirs(out_dir, exist_ok=True)

        def run(source):
            name = os.path.splitext(os.path.basename(source))[0] + ".o"
            output = os.path.join(out_dir, name)
            command = nvcc_command(self.cuda_plan, source, output, archs)
            print(" ".join(command))
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0:
                raise CudaBuildError("nvcc failed:\n%s\n%s" % (" ".join(command),
                                                                result.stdout + result.stderr))
            return output

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            return list(pool.map(run, cuda_sources()))


class BuildPyWithLua(build_py):
    """Copies lua/ and the ABI headers into the built package."""

    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "torch7_compat")
        shutil.copytree(os.path.join(HERE, "lua"), os.path.join(target, "lua"),
                        dirs_exist_ok=True)
        shutil.copy(os.path.join(HERE, "cython_ext", "t7_abi.h"), target)
        shutil.copy(os.path.join(HERE, CUDA_SOURCES_DIR, "t7_cuda_abi.h"), target)


def extensions():
    modules = core_extension()
    plan, reason = plan_cuda_build(os.environ)
    print("torch7_compat: CUDA extension %s (%s)" % ("built" if plan else "left out", reason))
    if plan:
        BuildExtWithCuda.cuda_plan = plan
        modules.append(cuda_extension(plan))
    return modules


# setuptools runs this file as __main__ (pip included); tests import it for the helpers
if __name__ == "__main__":
    setup(
        packages=find_packages(include=["torch7_compat", "torch7_compat.*"]),
        ext_modules=extensions(),
        cmdclass={"build_py": BuildPyWithLua, "build_ext": BuildExtWithCuda},
        zip_safe=False,
    )
