"""The optional CUDA extension's build: setup.py's decisions (nvcc found or not, cuBLAS
found or not, TORCH7_COMPAT_CUDA), and a compile check of cython_ext/cuda/*.cu with the nvcc
of the machine (CI has nvcc but neither cuBLAS nor a GPU: there the kernels are compiled, not
run, and blas.cu, which needs cuBLAS's headers, is compiled only where they are found)."""
import glob
import importlib.util
import os
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


setup_py = load_module("torch7_compat_setup", os.path.join(ROOT, "setup.py"))


def no_which(name, path=None):
    return None


def fake_file(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w"):
        pass
    return path


@pytest.fixture
def toolkit(tmp_path):
    """A fake CUDA toolkit (nvcc and cuda_runtime.h) without cuBLAS."""
    home = tmp_path / "cuda"
    fake_file(str(home / "bin" / "nvcc"))
    fake_file(str(home / "include" / "cuda_runtime.h"))
    return str(home)


@pytest.fixture
def cublas_wheel(tmp_path):
    """A fake nvidia-cublas-cu12 install: site/nvidia/cublas/{include,lib}."""
    site = tmp_path / "site"
    fake_file(str(site / "nvidia" / "cublas" / "include" / "cublas_v2.h"))
    fake_file(str(site / "nvidia" / "cublas" / "lib" / "libcublas.so.12"))
    return str(site)


def test_mode_comes_from_the_environment_variable():
    assert setup_py.cuda_mode({}) == "auto"
    assert setup_py.cuda_mode({"TORCH7_COMPAT_CUDA": ""}) == "auto"
    for value in ("1", "on", "yes", "TRUE"):
        assert setup_py.cuda_mode({"TORCH7_COMPAT_CUDA": value}) == "on"
    for value in ("0", "off", "no", "False"):
        assert setup_py.cuda_mode({"TORCH7_COMPAT_CUDA": value}) == "off"
    with pytest.raises(setup_py.CudaBuildError, match="TORCH7_COMPAT_CUDA='maybe'"):
        setup_py.cuda_mode({"TORCH7_COMPAT_CUDA": "maybe"})


def test_nvcc_is_looked_for_in_cuda_home_then_on_path(toolkit):
    nvcc = os.path.join(toolkit, "bin", "nvcc")
    assert setup_py.find_nvcc({"CUDA_HOME": toolkit}, no_which) == nvcc
    assert setup_py.find_nvcc({}, lambda name, path=None: "/somewhere/nvcc") == "/somewhere/nvcc"
    assert setup_py.find_nvcc({}, no_which) is None


def test_the_toolkit_is_found_beside_nvcc_or_through_cuda_home(toolkit):
    nvcc = os.path.join(toolkit, "bin", "nvcc")
    assert setup_py.find_cuda_home({}, nvcc) == toolkit
    assert setup_py.find_cuda_home({"CUDA_HOME": toolkit}, "/usr/bin/nvcc") == toolkit


def test_cublas_is_found_in_the_wheel_the_explicit_folder_or_the_toolkit(tmp_path, toolkit,
                                                                         cublas_wheel):
    found = setup_py.find_cublas({}, toolkit, [cublas_wheel])
    assert found == {"include_dir": os.path.join(cublas_wheel, "nvidia", "cublas", "include"),
                     "library_dir": os.path.join(cublas_wheel, "nvidia", "cublas", "lib"),
                     "library": "libcublas.so.12"}
    explicit = os.path.join(cublas_wheel, "nvidia", "cublas")
    assert setup_py.find_cublas({"TORCH7_COMPAT_CUBLAS_DIR": explicit}, None, [])["library"] \
        == "libcublas.so.12"
    assert setup_py.find_cublas({}, toolkit, [str(tmp_path / "empty")]) is None
    fake_file(os.path.join(toolkit, "include", "cublas_v2.h"))
    fake_file(os.path.join(toolkit, "lib64", "libcublas.so"))
    assert setup_py.find_cublas({}, toolkit, [])["library_dir"] == \
        os.path.join(toolkit, "lib64")


def test_without_nvcc_the_extension_is_left_out_unless_forced():
    plan, reason = setup_py.plan_cuda_build({}, no_which, [])
    assert plan is None and "nvcc" in reason
    with pytest.raises(setup_py.CudaBuildError, match="TORCH7_COMPAT_CUDA=1.*nvcc"):
        setup_py.plan_cuda_build({"TORCH7_COMPAT_CUDA": "1"}, no_which, [])


def test_nvcc_without_cublas_leaves_it_out_quietly_unless_forced(toolkit):
    # CI's case: nvcc present, cuBLAS absent. The default build goes on without CUDA.
    env = {"CUDA_HOME": toolkit}
    plan, reason = setup_py.plan_cuda_build(env, no_which, [])
    assert plan is None and "cuBLAS" in reason and "nvidia-cublas-cu12" in reason
    with pytest.raises(setup_py.CudaBuildError, match="cuBLAS"):
        setup_py.plan_cuda_build(dict(env, TORCH7_COMPAT_CUDA="1"), no_which, [])


def test_nvcc_and_cublas_build_it_unless_turned_off(toolkit, cublas_wheel):
    env = {"CUDA_HOME": toolkit}
    plan, _ = setup_py.plan_cuda_build(env, no_which, [cublas_wheel])
    assert plan["nvcc"] == os.path.join(toolkit, "bin", "nvcc")
    assert plan["cuda_home"] == toolkit
    assert plan["cublas"]["library"] == "libcublas.so.12"
    plan, reason = setup_py.plan_cuda_build(dict(env, TORCH7_COMPAT_CUDA="0"), no_which,
                                            [cublas_wheel])
    assert plan is None and reason == "TORCH7_COMPAT_CUDA=0"


def test_the_extension_module_and_its_nvcc_commands(toolkit, cublas_wheel):
    plan, _ = setup_py.plan_cuda_build({"CUDA_HOME": toolkit}, no_which, [cublas_wheel])
    ext = setup_py.cuda_extension(plan)
    assert ext.name == "torch7_compat._cuda"
    assert "-l:libcublas.so.12" in ext.extra_link_args
    assert "cudart_static" in ext.libraries
    archs = setup_py.cuda_archs({})
    assert archs == ["80", "90"]
    command = setup_py.nvcc_command(plan, "x.cu", "x.o", archs)
    for arch in ("80", "90"):
        assert "arch=compute_%s,code=sm_%s" % (arch, arch) in command
    assert "arch=compute_90,code=compute_90" in command
    assert setup_py.cuda_archs({"TORCH7_COMPAT_CUDA_ARCHS": "80, 90;100"}) == ["80", "90", "100"]
    with pytest.raises(setup_py.CudaBuildError):
        setup_py.cuda_archs({"TORCH7_COMPAT_CUDA_ARCHS": "sm_80"})


def test_the_build_backend_asks_for_cublas_only_when_cuda_is_forced(monkeypatch):
    backend = load_module("torch7_compat_build_backend", os.path.join(ROOT, "build_backend.py"))
    monkeypatch.syspath_prepend(ROOT)
    monkeypatch.setenv("TORCH7_COMPAT_CUDA", "1")
    assert backend._cuda_requires() == ["nvidia-cublas-cu12>=12.1"]
    for value in ("0", ""):
        monkeypatch.setenv("TORCH7_COMPAT_CUDA", value)
        assert backend._cuda_requires() == []


def test_every_cuda_source_is_built_and_the_header_ships():
    sources = {os.path.basename(p) for p in setup_py.cuda_sources()}
    assert {"device.cu", "tensor.cu", "pointwise.cu", "blas.cu", "nn_conv.cu", "nn_pool.cu",
            "nn_norm.cu", "nn_softmax.cu", "nn_criterion.cu"} <= sources


# ---- compiling the kernels ---------------------------------------------------------------

NVCC = setup_py.find_nvcc(os.environ)


def header_functions():
    """The functions t7_cuda_abi.h declares."""
    with open(os.path.join(ROOT, "cython_ext", "cuda", "t7_cuda_abi.h")) as f:
        return set(re.findall(r"\b(t7cu_\w+)\(", f.read()))


def functions_named_in(path):
    with open(path) as f:
        return set(re.findall(r"\b(t7cu_\w+)\(", f.read()))


def defined_functions(objects):
    """The external functions the object files define (nm's T entries)."""
    listing = subprocess.run(["nm", "--defined-only", "-g"] + objects, capture_output=True,
                             text=True, check=True).stdout
    return {line.split()[-1] for line in listing.splitlines()
            if len(line.split()) == 3 and line.split()[1] == "T"}


@pytest.mark.skipif(NVCC is None, reason="nvcc is not installed on this machine")
def test_the_cuda_sources_compile():
    """Each .cu file compiles (to PTX for sm_80: the C++ and device code are checked, the
    slower machine-code pass is left to the real build). About 20 s of CPU on 2 cores."""
    cuda_home = setup_py.find_cuda_home(os.environ, NVCC)
    cublas = setup_py.find_cublas(os.environ, cuda_home)
    plan = {"nvcc": NVCC, "cuda_home": cuda_home,
            "cublas": cublas or {"include_dir": os.path.join(cuda_home or "", "include")}}
    sources = [s for s in setup_py.cuda_sources()
               if cublas or "#include <cublas" not in open(s).read()]
    if cublas is None:
        # only blas.cu includes cuBLAS: everything else must not need it
        assert [os.path.basename(s) for s in setup_py.cuda_sources() if s not in sources] \
            == ["blas.cu"]
    with tempfile.TemporaryDirectory() as out:
        def compile_one(source):
            output = os.path.join(out, os.path.basename(source) + ".o")
            command = setup_py.nvcc_command(plan, source, output, ["80"],
                                            compile_only_ptx=True)
            result = subprocess.run(command, capture_output=True, text=True)
            return source, result.returncode, result.stdout + result.stderr

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            results = list(pool.map(compile_one, sources))
        failures = ["%s:\n%s" % (source, log) for source, code, log in results if code != 0]
        assert not failures, "\n".join(failures)
        defined = defined_functions(glob.glob(os.path.join(out, "*.o")))
    # LuaJIT finds a function missing from the library only when a script first calls it
    declared = header_functions()
    if cublas is None:
        declared -= functions_named_in(os.path.join(ROOT, "cython_ext", "cuda", "blas.cu"))
    assert declared - defined == set(), "declared in t7_cuda_abi.h but defined nowhere"
    assert {f for f in defined if f.startswith("t7cu_")} <= header_functions()
    # warnings are errors waiting to happen on another compiler version
    noisy = ["%s:\n%s" % (source, log) for source, code, log in results if "warning" in log]
    assert not noisy, "\n".join(noisy)


def test_nvcc_on_path_without_cublas_does_not_touch_the_default_build(monkeypatch, toolkit):
    """The default (CPU) build with an nvcc but no cuBLAS: the plan is None, so setup.py's
    extension list is the core alone, and no .cu file is compiled."""
    monkeypatch.delenv("TORCH7_COMPAT_CUDA", raising=False)
    monkeypatch.setattr(setup_py, "core_extension", lambda: ["core"])
    monkeypatch.setenv("CUDA_HOME", toolkit)
    monkeypatch.setenv("PATH", os.path.join(toolkit, "bin"))
    monkeypatch.delenv("TORCH7_COMPAT_CUBLAS_DIR", raising=False)
    monkeypatch.setattr(setup_py.sys, "path", [])
    assert setup_py.extensions() == ["core"]
