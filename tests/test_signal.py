"""torch.conv2 / xcorr2 / conv3 / xcorr3 against a numpy re-implementation written here:
every form (single, plane by plane, summed over input planes), 'V' and 'F', every type,
non-contiguous operands, result tensors, the method face, threads, and the errors."""
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from numpy.lib.stride_tricks import sliding_window_view

TYPES = {"Double": np.float64, "Float": np.float32, "Long": np.int64, "Int": np.int32,
         "Short": np.int16, "Char": np.int8, "Byte": np.uint8}


def correlate(x, k, full):
    """The valid (or, over x zero-padded by the kernel's size less one, full)
    cross-correlation of an array with a kernel of the same number of dimensions."""
    if full:
        x = np.pad(x, [(s - 1, s - 1) for s in k.shape])
    windows = sliding_window_view(x, k.shape)
    axes = tuple(range(k.ndim, 2 * k.ndim))
    return (windows * k).sum(axis=axes)


def reference(x, k, dims, full, convolution):
    """Torch7's three forms, from the single-image operation."""
    x, k = x.astype(np.float64), k.astype(np.float64)
    if convolution:
        k = np.flip(k, axis=tuple(range(k.ndim - dims, k.ndim)))
    if x.ndim == dims:
        return correlate(x, k, full)
    if k.ndim == dims + 1:
        return np.stack([correlate(xi, ki, full) for xi, ki in zip(x, k)])
    return np.stack([sum(correlate(xi, kji, full) for xi, kji in zip(x, kj)) for kj in k])


@pytest.fixture(scope="module")
def run(t7):
    def call(code, *arrays):
        return t7.lua.execute(code, *[t7.from_numpy(a) for a in arrays])
    return call


def shapes(dims, form, draw):
    """Input and kernel shapes of one form; sizes chosen so that 'V' is defined."""
    spatial_k = [draw(st.integers(1, 4)) for _ in range(dims)]
    spatial_x = [s + draw(st.integers(0, 5)) for s in spatial_k]
    p, q = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    if form == "single":
        return spatial_x, spatial_k
    if form == "planewise":
        return [p] + spatial_x, [p] + spatial_k
    return [p] + spatial_x, [q, p] + spatial_k


@settings(max_examples=60, deadline=None)
@given(data=st.data(), dims=st.sampled_from([2, 3]),
       form=st.sampled_from(["single", "planewise", "summed"]),
       name=st.sampled_from(["conv", "xcorr"]), mode=st.sampled_from(["V", "F"]),
       tname=st.sampled_from(["Double", "Float", "Long", "Int"]),
       transposed=st.booleans())
def test_forms_match_numpy(run, data, dims, form, name, mode, tname, transposed):
    xs, ks = shapes(dims, form, data.draw)
    dtype = TYPES[tname]
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 31)))
    x = rng.integers(-9, 10, xs).astype(dtype)
    k = rng.integers(-9, 10, ks).astype(dtype)
    if transposed:           # the same values seen through swapped strides
        x = np.swapaxes(np.ascontiguousarray(np.swapaxes(x, -1, -2)), -1, -2)
    got = run("local x, k = ...; return torch.%s%d(x, k, '%s')" % (name, dims, mode), x, k)
    assert got.lua_type == "torch.%sTensor" % tname
    expected = reference(x, k, dims, mode == "F", name == "conv")
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5)


@pytest.mark.parametrize("tname", ["Short", "Char", "Byte"])
def test_small_integer_types_wrap_like_c(run, tname):
    dtype = TYPES[tname]
    x = np.arange(36).reshape(6, 6).astype(dtype)
    k = np.array([[3, 1], [2, 5]], dtype=dtype)
    got = run("local x, k = ...; return torch.conv2(x, k, 'F')", x, k)
    expected = reference(x, k, 2, True, True).astype(np.int64).astype(dtype)
    np.testing.assert_array_equal(got.numpy(), expected)


def test_convolution_is_correlation_with_the_reversed_kernel_exactly(run):
    rng = np.random.default_rng(0)
    x, k = rng.random((23, 31)), rng.random((6, 9))
    conv_v, xcorr_v, conv_f, xcorr_f = run("""
        local x, k, flipped = ...
        return torch.conv2(x, k), torch.xcorr2(x, flipped), torch.conv2(x, k, 'F'),
               torch.xcorr2(x, flipped, 'F')
    """, x, k, np.ascontiguousarray(k[::-1, ::-1]))
    np.testing.assert_array_equal(conv_v.numpy(), xcorr_v.numpy())
    np.testing.assert_array_equal(conv_f.numpy(), xcorr_f.numpy())
    assert conv_v.shape == (18, 23) and conv_f.shape == (28, 39)


def test_result_tensor_and_method_forms(run):
    rng = np.random.default_rng(1)
    x, k = rng.random((8, 9)), rng.random((3, 2))
    same, into, method, method_into, strided = run("""
        local x, k = ...
        local r = torch.Tensor(2, 2)
        local returned = torch.conv2(r, x, k, 'F')
        local m = torch.Tensor()
        local s = torch.zeros(6, 2, 8):select(2, 1)
        torch.xcorr2(s, x, k)
        return torch.pointer(returned) == torch.pointer(r), r, x:xcorr2(k),
               m:xcorr2(x, k), s
    """, x, k)
    assert same
    np.testing.assert_allclose(into.numpy(), reference(x, k, 2, True, True))
    np.testing.assert_allclose(method.numpy(), reference(x, k, 2, False, False))
    np.testing.assert_allclose(method_into.numpy(), reference(x, k, 2, False, False))
    np.testing.assert_allclose(strided.numpy(), reference(x, k, 2, False, False))
    assert strided.stride() == (16, 1)      # a result of the right size keeps its strides


def test_result_may_be_an_operand(run):
    rng = np.random.default_rng(2)
    x, k = rng.random((7, 7)), rng.random((3, 3))
    got = run("local x, k = ...; local y = x:clone(); torch.conv2(y, y, k); return y", x, k)
    np.testing.assert_allclose(got.numpy(), reference(x, k, 2, False, True))


def test_threads_give_the_same_result(run):
    rng = np.random.default_rng(3)
    x, k = rng.random((3, 300, 200)), rng.random((4, 3, 5, 5))
    one, two = run("""
        local x, k = ...
        local threads = torch.getnumthreads()
        torch.setnumthreads(1)
        local one = torch.conv2(x, k, 'F')
        torch.setnumthreads(2)
        local two = torch.conv2(x, k, 'F')
        torch.setnumthreads(threads)
        return one, two
    """, x, k)
    np.testing.assert_array_equal(one.numpy(), two.numpy())
    np.testing.assert_allclose(one.numpy(), reference(x, k, 2, True, True))


@pytest.mark.parametrize("code,message", [
    ("torch.conv2(torch.ones(2, 2), torch.ones(3, 3))",
     "bad argument #2 to 'conv2' (conv2Dmul : Input image is smaller than kernel)"),
    ("torch.xcorr3(torch.ones(2, 4, 4), torch.ones(3, 3, 3))",
     "bad argument #2 to 'xcorr3' (conv3Dmul : Input image is smaller than kernel)"),
    ("torch.conv2(torch.ones(2, 5, 5), torch.ones(3, 3, 3))",
     "bad argument #2 to 'conv2' (invalid number of input/kernel planes)"),
    ("torch.conv2(torch.ones(2, 5, 5), torch.ones(4, 3, 3, 3))",
     "bad argument #2 to 'conv2' (invalid number of input planes)"),
    ("torch.conv2(torch.ones(5, 5), torch.ones(3, 3, 3))",
     "invalid arguments: DoubleTensor DoubleTensor \nexpected arguments: [*DoubleTensor*] "
     "DoubleTensor DoubleTensor [(V|F)] | [*DoubleTensor*] DoubleTensor DoubleTensor [(V|F)]"),
    ("torch.conv2(torch.ones(5, 5), torch.ones(3, 3), 'X')",
     "invalid arguments: DoubleTensor DoubleTensor string"),
    ("torch.conv2(torch.ones(5, 5), torch.ones(3, 3):float())",
     "invalid arguments: DoubleTensor FloatTensor"),
])
def test_errors(t7, code, message):
    with pytest.raises(t7.LuaError, match=re.escape(message)):
        t7.lua.execute(code)


def test_mode_is_read_from_its_first_letter(run):
    x, k = np.ones((4, 4)), np.ones((2, 2))
    full = run("local x, k = ...; return torch.conv2(x, k, 'Full')", x, k)
    assert full.shape == (5, 5)
