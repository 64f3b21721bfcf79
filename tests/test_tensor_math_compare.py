"""Comparisons (lt, le, gt, ge, eq, ne) in all their forms, all/any and equal, against numpy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from tensor_cases import ALL_TYPES, any_layout, shapes

COMPARISONS = {"lt": np.less, "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal,
               "eq": np.equal, "ne": np.not_equal}


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(ALL_TYPES)),
       name=st.sampled_from(sorted(COMPARISONS)))
def test_comparisons_match_numpy_in_every_form(t7, data, shape, type_name, name):
    dtype = ALL_TYPES[type_name]
    a = any_layout(data, dtype, shape, -3, 3)      # a narrow range, so that ties occur
    b = any_layout(data, dtype, shape, -3, 3)
    v = data.draw(st.integers(0 if dtype == np.uint8 else -3, 3))
    results = t7.lua.execute("""
        local name, a, b, v = ...
        local bytes, same = torch.ByteTensor(), a.new()
        a[name](bytes, a, v)                    -- into a given ByteTensor, through a's class
        local into_same = same[name](same, a, b) -- into a tensor of a's type
        return torch[name](a, v), torch[name](a, b), a[name](a, b), bytes, into_same,
               torch.type(torch[name](a, v)), torch.type(into_same)
    """, name, t7.from_numpy(a), t7.from_numpy(b), v)
    with_value, with_tensor, as_method, bytes, same, value_type, same_type = results
    op = COMPARISONS[name]
    for got, want in [(with_value, op(a, v)), (with_tensor, op(a, b)), (as_method, op(a, b)),
                      (bytes, op(a, v))]:
        assert got.numpy().dtype == np.uint8
        np.testing.assert_array_equal(got.numpy(), want.astype(np.uint8))
    assert value_type == "torch.ByteTensor"
    assert same_type == "torch.%sTensor" % type_name
    np.testing.assert_array_equal(same.numpy(), op(a, b).astype(dtype))


def test_nan_compares_unequal_to_everything(lua):
    lt, eq, ne = lua("""
        local x = torch.Tensor{0/0, 1}
        return torch.lt(x, 2), torch.eq(x, x), torch.ne(x, x)
    """)
    assert lt.numpy().tolist() == [0, 1]
    assert eq.numpy().tolist() == [0, 1]
    assert ne.numpy().tolist() == [1, 0]


@pytest.mark.parametrize("values, all_, any_", [
    ([1, 1, 2], True, True), ([1, 0, 1], False, True), ([0, 0], False, False),
])
def test_all_and_any_of_byte_tensors(lua, values, all_, any_):
    got = lua("local t = torch.ByteTensor({...}); return t:all(), t:any(), torch.all(t), "
              "torch.any(t)", *values)
    assert got == (all_, any_, all_, any_)


def test_all_and_any_on_strided_masks(lua):
    got = lua("""
        local m = torch.ByteTensor(4, 3):fill(1)
        m[{2, 3}] = 0
        return m:t():all(), m[{{}, {1, 2}}]:all(), m:select(2, 3):any()
    """)
    assert got == (False, True, True)


def test_equal_compares_sizes_then_values(lua):
    got = lua("""
        local a = torch.Tensor{{1, 2}, {3, 4}}
        return a:equal(a:clone()), a:equal(a:t()), a:equal(torch.Tensor{1, 2, 3, 4}),
               torch.equal(a:t(), torch.Tensor{{1, 3}, {2, 4}}), a:equal(torch.Tensor()),
               torch.Tensor():equal(torch.Tensor()), torch.Tensor{0/0}:equal(torch.Tensor{0/0})
    """)
    assert got == (True, False, False, True, False, True, False)


def test_comparison_errors(t7, lua):
    with pytest.raises(t7.LuaError, match="inconsistent tensor size"):
        lua("return torch.lt(torch.Tensor(2), torch.Tensor(3))")
    with pytest.raises(t7.LuaError, match="invalid arguments"):
        lua("return torch.lt(torch.Tensor(2), torch.FloatTensor(2))")
    with pytest.raises(t7.LuaError, match="empty Tensor"):
        lua("return torch.ByteTensor():any()")
    with pytest.raises(t7.LuaError, match="attempt to call method 'all'"):
        lua("return torch.Tensor{1}:all()")     # ByteTensor only, as the original
    with pytest.raises(t7.LuaError, match="invalid arguments: DoubleTensor FloatTensor"):
        lua("return torch.Tensor{1}:equal(torch.FloatTensor{1})")
