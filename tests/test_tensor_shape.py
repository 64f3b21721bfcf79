"""Construction and shape functions against numpy and the original's documented results:
range/linspace/logspace (with the original's arithmetic in the element type), eye, diag,
tril/triu, cat, reshape, squeeze, repeatTensor, permute, split and chunk."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from test_tensor_index import TYPES, values

shapes = hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5)


def test_range_counts_and_fills_non_contiguous_views(lua):
    filled, negative, floats, count, integers = lua("""
        local x = torch.zeros(2, 3)
        x:narrow(2, 2, 2):range(0, 3)
        return x, torch.range(1, 0, -1), torch.FloatTensor():range(0.6, 0.9, 0.1),
               torch.range(1, 10, 0.3):nElement(), torch.IntTensor():range(1, 9.9, 2.5)
    """)
    np.testing.assert_array_equal(filled.numpy(), [[0, 0, 1], [0, 2, 3]])
    assert negative.numpy().tolist() == [1, 0]
    # computed in double, then stored as float: 0.6 + i*0.1
    np.testing.assert_array_equal(floats.numpy(), np.float32(0.6 + np.arange(4) * 0.1))
    assert count == 31
    # an IntTensor's bounds and step are C longs: range(1, 9, 2)
    assert integers.numpy().tolist() == [1, 3, 5, 7, 9]


def test_range_errors(t7, lua):
    with pytest.raises(t7.LuaError, match="step must be a non-null number"):
        lua("return torch.range(1, 2, 0)")
    with pytest.raises(t7.LuaError, match="upper bound and larger bound incoherent"):
        lua("return torch.range(2, 1)")


@pytest.mark.parametrize("type_name, dtype", [("Float", np.float32), ("Double", np.float64)])
def test_linspace_and_logspace_compute_in_the_element_type(t7, type_name, dtype):
    a, b, n = 0.1, 2.7, 137
    lin, log = t7.lua.execute("""
        local T, a, b, n = ...
        return torch[T .. 'Tensor']():linspace(a, b, n), torch[T .. 'Tensor']():logspace(a, b, n)
    """, type_name, a, b, n)
    i = np.arange(n, dtype=dtype)
    points = dtype(a) + i * (dtype(b) - dtype(a)) / dtype(n - 1)
    np.testing.assert_array_equal(lin.numpy(), points)
    np.testing.assert_allclose(log.numpy(), np.power(dtype(10), points), rtol=2e-7)


def test_linspace_logspace_cases_of_the_original(t7, lua):
    one, descending, log_one, default_count, strided = lua("""
        local x = torch.zeros(2, 3)
        x:narrow(2, 2, 2):logspace(0, 3, 4)
        return torch.linspace(0, 0, 1), torch.linspace(2, 0, 3), torch.logspace(1, 0, 2),
               torch.linspace(0, 1):nElement(), x
    """)
    assert one.numpy().tolist() == [0]
    assert descending.numpy().tolist() == [2, 1, 0]
    assert log_one.numpy().tolist() == [10, 1]
    assert default_count == 100
    np.testing.assert_array_equal(strided.numpy(), [[0, 1, 10], [0, 100, 1000]])
    with pytest.raises(t7.LuaError, match="invalid number of points"):
        lua("return torch.linspace(0, 1, 1)")
    with pytest.raises(t7.LuaError, match="does not implement the torch.linspace"):
        lua("return torch.linspace(torch.IntTensor(), 0, 1, 3)")


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_eye_diag_tril_triu_match_numpy(t7, type_name):
    dtype = TYPES[type_name]
    m = (np.arange(20).reshape(4, 5) % 50).astype(dtype)
    v = np.array([1, 2, 3], dtype=dtype)
    results = t7.lua.execute("""
        local T, m, v = ...
        local t = m:t()     -- a transposed operand too
        local into = torch[T .. 'Tensor']()
        torch.diag(into, m, -1)
        return torch[T .. 'Tensor']():eye(3, 4), torch.eye(torch[T .. 'Tensor'](), 2),
               m:diag(), m:diag(2), into, torch.diag(v, 1), torch.diag(v, -2),
               m:tril(), torch.tril(t, 1), m:triu(-1), torch.triu(t, 2), m:clone():tril(m, -1)
    """, type_name, t7.from_numpy(m), t7.from_numpy(v))
    t = m.T
    expected = [np.eye(3, 4), np.eye(2), np.diag(m), np.diag(m, 2), np.diag(m, -1),
                np.diag(v, 1), np.diag(v, -2), np.tril(m), np.tril(t, 1), np.triu(m, -1),
                np.triu(t, 2), np.tril(m, -1)]
    for got, want in zip(results, expected):
        np.testing.assert_array_equal(got.numpy(), want)
        assert got.numpy().dtype == dtype


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(TYPES)))
def test_cat_matches_concatenate(t7, data, shape, type_name):
    dtype = TYPES[type_name]
    dim = data.draw(st.integers(0, len(shape) - 1))
    parts = []
    for _ in range(data.draw(st.integers(1, 3))):
        part_shape = list(shape)
        part_shape[dim] = data.draw(st.integers(1, 4))
        parts.append(values(dtype, tuple(part_shape), data))
    arrays = [t7.from_numpy(p) for p in parts]
    listed, into = t7.lua.execute("""
        local dim = ...
        local list = {select(2, ...)}
        local into = list[1].new()
        torch.cat(into, list, dim)
        return torch.cat(list, dim), into
    """, dim + 1, *arrays)
    expected = np.concatenate(parts, dim)
    np.testing.assert_array_equal(listed.numpy(), expected)
    np.testing.assert_array_equal(into.numpy(), expected)
    if len(parts) >= 2:
        pair = t7.lua.execute("local a, b, dim = ...; return a:cat(b, dim)", arrays[0],
                              arrays[1], dim + 1)
        np.testing.assert_array_equal(pair.numpy(), np.concatenate(parts[:2], dim))


def test_cat_default_dimension_and_empty_inputs(t7, lua):
    last, new_dim, with_empty, all_empty = lua("""
        local a, b = torch.Tensor{{1, 2}}, torch.Tensor{{3}}
        return torch.cat(a, b), torch.cat(torch.Tensor{1, 2}, torch.Tensor{3, 4}, 2),
               torch.cat({torch.Tensor(), torch.Tensor{{5, 6}}, torch.Tensor()}, 1),
               torch.cat(torch.Tensor(), torch.Tensor()):dim()
    """)
    assert last.numpy().tolist() == [[1, 2, 3]]          # default: the last dimension
    assert new_dim.numpy().tolist() == [[1, 3], [2, 4]]  # a dimension past the end: stacked
    assert with_empty.numpy().tolist() == [[5, 6]]
    assert all_empty == 0
    with pytest.raises(t7.LuaError, match="invalid arguments"):
        lua("return torch.cat{}")
    with pytest.raises(t7.LuaError, match="inconsistent tensor sizes"):
        lua("return torch.cat(torch.Tensor(2, 3), torch.Tensor(2, 4), 1)")
    with pytest.raises(t7.LuaError, match="invalid arguments"):
        lua("return torch.cat(torch.Tensor(2), torch.FloatTensor(2))")


def test_reshape_and_squeeze(t7, lua):
    a = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    reshaped, into, by_storage, squeezed, kept, number, dim_number = t7.lua.execute("""
        local a = ...
        local into = torch.Tensor()
        torch.reshape(into, a:transpose(1, 3), 6, 4)
        return a:reshape(4, 6), into, torch.reshape(a, torch.LongStorage{24}),
               torch.Tensor(1, 3, 1):squeeze(), torch.Tensor(1, 1):squeeze(1),
               torch.Tensor{{7}}:squeeze(), torch.Tensor{8}:squeeze(1)
    """, t7.from_numpy(a))
    np.testing.assert_array_equal(reshaped.numpy(), a.reshape(4, 6))
    np.testing.assert_array_equal(into.numpy(), a.transpose(2, 1, 0).reshape(6, 4))
    np.testing.assert_array_equal(by_storage.numpy(), a.ravel())
    assert squeezed.shape == (3,)
    assert kept.shape == (1,)
    # the original gives a single remaining element as a number
    assert number == 7 and dim_number == 8


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
       type_name=st.sampled_from(sorted(TYPES)))
def test_repeat_tensor_matches_tile(t7, data, shape, type_name):
    dtype = TYPES[type_name]
    x = values(dtype, shape, data)
    repeats = data.draw(st.lists(st.integers(1, 3), min_size=len(shape),
                                 max_size=len(shape) + 2))
    tiled, into = t7.lua.execute("""
        local x = ...
        local r = {select(2, ...)}
        local into = x.new()
        into:repeatTensor(x, torch.LongStorage(r))
        return x:repeatTensor(unpack(r)), into
    """, t7.from_numpy(x), *repeats)
    np.testing.assert_array_equal(tiled.numpy(), np.tile(x, repeats))
    np.testing.assert_array_equal(into.numpy(), np.tile(x, repeats))


def test_permute_split_chunk(t7, lua):
    a = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    permuted, same, parts, chunks, into_count = t7.lua.execute("""
        local a = ...
        local into = {99, 98}
        torch.split(into, a, 2, 3)
        return a:permute(3, 1, 2), a:permute(1, 2, 3) == a, a:split(2, 3), a:chunk(2, 2), #into
    """, t7.from_numpy(a))
    np.testing.assert_array_equal(permuted.numpy(), a.transpose(2, 0, 1))
    assert same
    np.testing.assert_array_equal(parts[1].numpy(), a[:, :, 0:2])
    np.testing.assert_array_equal(parts[2].numpy(), a[:, :, 2:4])
    np.testing.assert_array_equal(chunks[1].numpy(), a[:, 0:2])
    np.testing.assert_array_equal(chunks[2].numpy(), a[:, 2:3])
    assert into_count == 2
    with pytest.raises(t7.LuaError, match="Invalid permutation"):
        lua("return torch.Tensor(2, 3):permute(1, 1)")


def test_function_forms_of_view_methods(lua):
    viewed, expanded, sizes, count = lua("""
        local x = torch.range(1, 6)
        local into = torch.Tensor()
        torch.view(into, x, 2, 3)
        local sizes = #torch.Tensor(4, 5)
        return into, torch.expand(torch.Tensor{{1}, {2}}, 2, 2), {sizes[1], sizes[2]},
               torch.numel(torch.Tensor(4, 5))
    """)
    assert viewed.numpy().tolist() == [[1, 2, 3], [4, 5, 6]]
    assert expanded.numpy().tolist() == [[1, 1], [2, 2]]
    assert list(sizes.values()) == [4, 5]
    assert count == 20
