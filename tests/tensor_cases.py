"""Tensors for the kernel tests: the element types, values drawn by hypothesis in every layout
a kernel meets (contiguous, transposed, stepped, expanded), and the check of an error."""
import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

FLOAT_TYPES = {"Float": np.float32, "Double": np.float64}
INTEGER_TYPES = {"Byte": np.uint8, "Char": np.int8, "Short": np.int16, "Int": np.int32,
                 "Long": np.int64}
ALL_TYPES = {**INTEGER_TYPES, **FLOAT_TYPES}

shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6)


def strided(array, data):
    """The same values seen through a non-contiguous view (transposed or stepped), chosen
    by hypothesis, so kernels meet every layout."""
    layout = data.draw(st.sampled_from(["contiguous", "transposed", "stepped"]))
    if layout == "transposed" and array.ndim >= 2:
        return np.ascontiguousarray(array.T).T
    if layout == "stepped":
        big = np.zeros((array.shape[0] * 2,) + array.shape[1:], array.dtype)
        big[::2] = array
        return big[::2]
    return array


def elements(dtype, lo=-10, hi=10):
    """Values of dtype in [lo, hi] (clipped to the type's range)."""
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return st.integers(max(lo, info.min), min(hi, info.max))
    lo32, hi32 = np.float32(lo), np.float32(hi)     # the nearest floats inside [lo, hi]
    if lo32 < lo:
        lo32 = np.nextafter(lo32, np.float32(np.inf))
    if hi32 > hi:
        hi32 = np.nextafter(hi32, np.float32(-np.inf))
    return st.floats(float(lo32), float(hi32), width=32)


def any_layout(data, dtype, shape, lo=-10, hi=10):
    """An array of `shape` in a layout chosen by hypothesis: those of `strided`, or expanded
    (the first dimension a zero stride over one drawn row, as torch's expand makes)."""
    if data.draw(st.booleans()):
        row = data.draw(hnp.arrays(dtype, (1,) + shape[1:], elements=elements(dtype, lo, hi)))
        return np.lib.stride_tricks.as_strided(row, shape, (0,) + row.strides[1:])
    return strided(data.draw(hnp.arrays(dtype, shape, elements=elements(dtype, lo, hi))), data)


def assert_lua_error(t7, expression, message):
    """Evaluating the Lua expression fails with a message containing `message`."""
    with pytest.raises(t7.LuaError) as error:
        t7.lua.execute("return " + expression)
    assert message in str(error.value)
