"""CUDA tensors from Python (torch7_compat/cuda_tensor.py): t.cuda(), .cpu(), .device,
arithmetic, Lua cunn models called from Python, and DLPack both ways.

As tests/test_cuda_kernels.py, each test runs on a GPU (marked `cuda`, skipped where there
is none) and on the CUDA extension's ABI emulated with the CPU kernels, which runs
everywhere and checks the Python and Lua glue. Each runs in a fresh Python process (the
emulation changes its Lua runtime for good). Expected values come from numpy."""
import os
import textwrap

import pytest

from conftest import ROOT, run_python
from test_cuda_kernels import backend, gpu_unavailable_reason  # noqa: F401  (a fixture)

EMULATION = ("from torch7_compat import runtime\n"
             "runtime.main_runtime().execute(\"dofile(%r)(%r)\")\n"
             % (os.path.join(ROOT, "tests", "cuda_emulation.lua"),
                os.path.join(ROOT, "cython_ext", "cuda", "t7_cuda_abi.h")))

PRELUDE = """
import gc, weakref
import numpy as np
import torch7_compat as t7
from torch7_compat.cuda_tensor import CudaTensor
"""


@pytest.fixture
def run(backend):
    """run(code): runs code after the prelude in a new Python; asserts it exits cleanly."""
    emulation = EMULATION if backend == "emulated" else ""

    def run_code(code):
        result = run_python(emulation + PRELUDE + textwrap.dedent(code) + "\nprint('done')")
        assert result.returncode == 0 and result.stdout.endswith("done\n"), \
            result.stdout + result.stderr
        return result.stdout
    return run_code


def test_cuda_and_cpu_round_trip_with_devices_and_types(run):
    run("""
    x = t7.randn(3, 4)
    g = x.cuda()
    assert isinstance(g, CudaTensor) and g.is_cuda and not x.is_cuda
    assert g.shape == (3, 4) and g.size(1) == 4 and g.dim() == 2 and g.numel() == 12
    assert g.stride() == (4, 1) and g.is_contiguous() and len(g) == 3
    assert g.dtype == t7.float32
    assert g.device == t7.device('cuda', 0) == 'cuda:0' and str(g.device) == 'cuda:0'
    assert x.device == 'cpu' and x.device.type == 'cpu'
    back = g.cpu()
    assert isinstance(back, t7.Tensor) and back.dtype == t7.float32
    assert np.array_equal(back.numpy(), x.numpy())
    assert np.array_equal(x.to('cuda').to('cpu').numpy(), x.numpy())
    assert np.array_equal(x.to(device='cuda:0').cpu().numpy(), x.numpy())
    assert g.cuda() is g and g.cuda(0) is g and g.to('cuda') is g
    # Torch7's :cuda() converts to float32, whatever the element type
    d = t7.arange(6, dtype=t7.float64).view(2, 3)
    assert np.array_equal(d.cuda().cpu().numpy(), np.arange(6, dtype=np.float32).reshape(2, 3))
    assert g.tolist() == x.tolist()
    assert t7.tensor([2.5]).cuda().item() == 2.5
    assert repr(g) == repr(x)[:-1] + ", device='cuda:0')"
    import pickle
    again = pickle.loads(pickle.dumps(g))
    assert isinstance(again, CudaTensor) and again.device == g.device
    assert np.array_equal(again.cpu().numpy(), x.numpy())
    rows = [row.cpu().numpy() for row in g]          # iteration goes by rows
    assert len(rows) == 3 and np.array_equal(rows[2], x.numpy()[2])
    """)


def test_host_only_conversions_and_bad_arguments_are_refused_clearly(run):
    run("""
    g = t7.ones(2).cuda()
    def refused(call, error, words):
        try:
            call()
        except error as e:
            assert words in str(e), str(e)
        else:
            raise AssertionError("accepted: " + words)
    refused(g.numpy, TypeError, "Use Tensor.cpu()")
    refused(lambda: np.asarray(g), TypeError, "Use Tensor.cpu()")
    refused(lambda: g.to(t7.float64), TypeError, "float32 only")
    refused(g.item, ValueError, "only one element")
    refused(lambda: t7.ones(2).cuda(7), RuntimeError, "device")
    refused(lambda: g.view(3), RuntimeError, "")
    refused(lambda: g[1.5], TypeError, "integers and slices")
    refused(lambda: g[::2], IndexError, "step 1")
    refused(lambda: g[5], IndexError, "out of bounds")
    refused(lambda: g + "a", TypeError, "")
    """)


def test_arithmetic_views_and_reductions_match_numpy(run):
    run("""
    a, b = t7.randn(5, 4), t7.rand(5, 4) + 0.5
    ga, gb = a.cuda(), b.cuda()
    na, nb = a.numpy(), b.numpy()
    def close(got, want):
        assert isinstance(got, CudaTensor), type(got)
        np.testing.assert_allclose(got.cpu().numpy(), want, rtol=1e-5, atol=1e-6)
    close(ga + gb, na + nb)
    close(ga - gb, na - nb)
    close(ga * gb, na * nb)
    close(ga / gb, na / nb)
    close(ga * 3 + 1, na * 3 + 1)
    close(2 - ga, 2 - na)
    close(3 * ga, 3 * na)
    close(-ga, -na)
    close(ga @ gb.t(), na @ nb.T)
    close(ga @ gb[0], na @ nb[0])
    close(ga.t() @ gb.view(-1)[:5], na.T @ nb.reshape(-1)[:5])
    close(ga[1:4, 2], na[1:4, 2])
    close(ga[..., -1], na[..., -1])
    close(ga[2, 3], na[2, 3:4])                    # one element: shape (1,), no 0-d form
    c = ga.clone()
    c[1] = 5
    c[2:4, :2] = np.zeros((2, 2), dtype=np.float32)
    want = na.copy()
    want[1] = 5
    want[2:4, :2] = 0
    close(c, want)
    close(ga.view(4, 5), na.reshape(4, 5))
    close(ga.reshape(-1), na.reshape(-1))
    close(ga.transpose(0, 1).contiguous(), na.T)
    c = ga.clone()
    c.add_(gb).mul_(2)
    close(c, (na + nb) * 2)
    close(ga, na)                                  # the clone was a copy
    c.copy_(np.ones((5, 4), dtype=np.float32))
    close(c, np.ones((5, 4)))
    c.zero_()
    close(c, np.zeros((5, 4)))
    c += gb
    close(c, nb)
    for got, want in ((ga.sum(), na.sum()), (ga.mean(), na.mean()), (ga.max(), na.max()),
                      (ga.min(), na.min()), (ga.norm(), np.linalg.norm(na))):
        assert isinstance(got, float) and abs(got - want) <= 1e-4 * max(1, abs(want))
    try:
        ga + t7.randn(4, 5).cuda()
    except RuntimeError as e:
        assert "differ" in str(e)
    else:
        raise AssertionError("sizes that differ")
    """)


def test_a_lua_cunn_model_runs_from_python_on_cuda_tensors(run):
    run("""
    t7.require('cunn')
    nn = t7.require('nn')
    t7.manual_seed(1)
    model = nn.Sequential().add(nn.Linear(4, 8)).add(nn.Tanh()).add(nn.Linear(8, 3))
    model.add(nn.LogSoftMax())
    model.cuda()
    x = t7.randn(6, 4)
    y = model.forward(x.cuda())
    assert isinstance(y, CudaTensor) and y.shape == (6, 3)
    w1, b1 = model.get(1).weight.cpu().numpy(), model.get(1).bias.cpu().numpy()
    w2, b2 = model.get(3).weight.cpu().numpy(), model.get(3).bias.cpu().numpy()
    h = np.tanh(x.numpy() @ w1.T + b1) @ w2.T + b2
    want = h - np.log(np.exp(h).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(y.cpu().numpy(), want, rtol=1e-5, atol=1e-5)
    assert model.get(1).weight.device == 'cuda:0'
    # the Lua tensor under a CudaTensor, for Torch-style calls
    assert y.lua.size(2) == 3 and y.lua.type() == 'torch.CudaTensor'
    """)


def test_cuda_tensors_and_models_save_and_load_on_the_gpu(run, tmp_path):
    output = run("""
    t7.require('cunn')
    nn = t7.require('nn')
    g = t7.arange(6, dtype=t7.float32).cuda()
    t7.save(%r, g)
    back = t7.load(%r)
    assert isinstance(back, CudaTensor) and back.tolist() == list(range(6))
    model = nn.Linear(2, 3)
    model.cuda()
    t7.save(%r, model)
    again = t7.load(%r)
    assert isinstance(again.weight, CudaTensor) and again._type == 'torch.CudaTensor'
    np.testing.assert_array_equal(again.weight.cpu().numpy(), model.weight.cpu().numpy())
    """ % ((str(tmp_path / "g.t7"),) * 2 + (str(tmp_path / "m.t7"),) * 2))
    assert "read _type" not in output          # nothing was mapped to the CPU


def test_cloning_a_cuda_module_copies_its_gpu_tensors(run):
    run("""
    t7.require('cunn')
    nn = t7.require('nn')
    model = nn.Linear(3, 2)
    model.cuda()
    twin = model.clone()
    twin.weight.zero_()
    assert model.weight.cpu().numpy().any()            # a copy, not the same memory
    shared = model.clone('weight')
    shared.weight.fill_(2)
    assert (model.weight.cpu().numpy() == 2).all()
    """)


def test_dlpack_shares_the_gpu_memory_and_keeps_it_alive(run):
    run("""
    g = t7.arange(12, dtype=t7.float32).view(3, 4).cuda()
    assert g.__dlpack_device__() == (2, 0)               # kDLCUDA, device 0
    h = t7.from_dlpack(g)                                # the versioned protocol
    assert isinstance(h, CudaTensor) and h.shape == (3, 4) and h.stride() == (4, 1)
    h.fill_(7)
    assert np.array_equal(g.cpu().numpy(), np.full((3, 4), 7, np.float32))
    legacy = t7.from_dlpack(g.t().__dlpack__())          # a raw capsule, strided
    assert legacy.shape == (4, 3) and legacy.stride() == (1, 4)
    copied = t7.from_dlpack(g.__dlpack__(copy=True))
    copied.zero_()
    assert g.sum() == 84.0
    # the producer stays alive while a tensor over its memory exists, and no longer
    alive = weakref.ref(g)
    del g, copied
    gc.collect()
    assert alive() is not None
    assert h.sum() == 84.0
    try:
        h.lua.resize(100)
    except Exception as e:
        assert "cannot be resized" in str(e)
    else:
        raise AssertionError("resized borrowed memory")
    del h, legacy
    t7.lua.execute("collectgarbage(); collectgarbage()")
    gc.collect()
    assert alive() is None
    """)


def test_cuda_queries(run):
    run("""
    assert t7.cuda.is_available() and t7.cuda.device_count() >= 1
    assert t7.cuda.current_device() == 0
    t7.cuda.set_device(0)
    t7.cuda.synchronize()
    """)


@pytest.mark.cuda
def test_pytorch_shares_cuda_memory_both_ways():
    """On a GPU only: PyTorch reads real GPU memory."""
    reason = gpu_unavailable_reason()
    if reason:
        pytest.skip("no GPU here: " + reason)
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("this PyTorch has no CUDA")
    result = run_python(PRELUDE + textwrap.dedent("""
    import torch
    g = t7.arange(6, dtype=t7.float32).view(2, 3).cuda()
    p = torch.from_dlpack(g)
    assert p.is_cuda and p.shape == (2, 3)
    p.mul_(2)
    assert np.array_equal(g.cpu().numpy(), 2 * np.arange(6, dtype=np.float32).reshape(2, 3))
    q = torch.arange(4, dtype=torch.float32, device='cuda')
    h = t7.from_dlpack(q)
    h.add_(1)
    torch.cuda.synchronize()
    assert q.tolist() == [1.0, 2.0, 3.0, 4.0]
    print('done')
    """))
    assert result.returncode == 0 and result.stdout.endswith("done\n"), result.stderr


def test_without_cuda_the_python_face_says_why():
    result = run_python("""
import torch7_compat as t7
assert not t7.cuda.is_available() and t7.cuda.device_count() == 0
try:
    t7.ones(2).cuda()
except RuntimeError as e:
    print(str(e).splitlines()[0])
""")
    if gpu_unavailable_reason() is None:        # a GPU machine: the message is not shown
        return
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("cutorch: ")
