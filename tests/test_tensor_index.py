"""Indexing against numpy: index/indexCopy/indexAdd/indexFill, gather/scatter, the masked
operations, nonzero, t[{...}] in every table form, t[mask], and apply/map/map2, on every
type and on contiguous, transposed, stepped and expanded operands. Indices are 1-based on
the Lua side, 0-based in numpy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from conftest import run_th

TYPES = {"Byte": np.uint8, "Char": np.int8, "Short": np.int16, "Int": np.int32,
         "Long": np.int64, "Float": np.float32, "Double": np.float64}

shapes = hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5)


def any_layout(array, data):
    """The same values seen through a layout hypothesis picks: contiguous, every axis
    reversed in memory, or stepped along the first or the last axis."""
    layout = data.draw(st.sampled_from(["contiguous", "reversed", "first", "last"]))
    if layout == "reversed":
        return np.ascontiguousarray(array.T).T
    if layout in ("first", "last"):
        axis = 0 if layout == "first" else array.ndim - 1
        shape = list(array.shape)
        shape[axis] *= 2
        big = np.zeros(shape, array.dtype)
        index = [slice(None)] * array.ndim
        index[axis] = slice(None, None, 2)
        big[tuple(index)] = array
        return big[tuple(index)]
    return array


def values(dtype, shape, data):
    lo, hi = (0, 100) if dtype == np.uint8 else (-100, 100)
    return any_layout(data.draw(hnp.arrays(dtype, shape, elements=st.integers(lo, hi))), data)


def index_vector(data, size, count, unique=False):
    if unique:
        chosen = data.draw(st.permutations(range(size)))[:count]
    else:
        chosen = data.draw(st.lists(st.integers(0, size - 1), min_size=count, max_size=count))
    return np.array(chosen, dtype=np.int64)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(TYPES)))
def test_index_and_index_copy_add_fill(t7, data, shape, type_name):
    dtype = TYPES[type_name]
    src = values(dtype, shape, data)
    dim = data.draw(st.integers(0, src.ndim - 1))
    size = src.shape[dim]
    picked = index_vector(data, size, data.draw(st.integers(1, 6)))
    unique = index_vector(data, size, data.draw(st.integers(1, size)), unique=True)
    slices_shape = list(shape)
    slices_shape[dim] = len(unique)
    update = values(dtype, tuple(slices_shape), data)
    added_shape = list(shape)
    added_shape[dim] = len(picked)
    addend = values(dtype, tuple(added_shape), data)
    selected, into, copied, added, filled = t7.lua.execute("""
        local src, dim, picked, unique, update, addend = ...
        local into = src.new()
        into:index(src, dim, picked)
        return src:index(dim, picked), into, src:clone():indexCopy(dim, unique, update),
               src:clone():indexAdd(dim, picked, addend), src:clone():indexFill(dim, unique, 7)
    """, t7.from_numpy(src), dim + 1, t7.from_numpy(picked + 1), t7.from_numpy(unique + 1),
        t7.from_numpy(update), t7.from_numpy(addend))
    np.testing.assert_array_equal(selected.numpy(), np.take(src, picked, axis=dim))
    np.testing.assert_array_equal(into.numpy(), np.take(src, picked, axis=dim))
    expected = src.copy()
    moved = np.moveaxis(expected, dim, 0)
    moved[unique] = np.moveaxis(update, dim, 0)
    np.testing.assert_array_equal(copied.numpy(), expected)
    expected = src.copy()
    with np.errstate(over="ignore"):
        np.add.at(np.moveaxis(expected, dim, 0), picked, np.moveaxis(addend, dim, 0))
    np.testing.assert_array_equal(added.numpy(), expected)
    expected = src.copy()
    np.moveaxis(expected, dim, 0)[unique] = 7
    np.testing.assert_array_equal(filled.numpy(), expected)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(TYPES)))
def test_gather_and_scatter_match_take_and_put_along_axis(t7, data, shape, type_name):
    dtype = TYPES[type_name]
    src = values(dtype, shape, data)
    dim = data.draw(st.integers(0, src.ndim - 1))
    size = src.shape[dim]
    count = data.draw(st.integers(1, size))
    index_shape = list(shape)
    index_shape[dim] = count
    # scatter writes each destination once per run: a permutation prefix per position
    rows = [index_vector(data, size, count, unique=True)
            for _ in range(int(np.prod(index_shape)) // count)]
    index = np.moveaxis(np.array(rows).reshape(
        [s for d, s in enumerate(index_shape) if d != dim] + [count]), -1, dim)
    index = any_layout(np.ascontiguousarray(index), data)
    source = values(dtype, tuple(index_shape), data)
    gathered, scattered, filled = t7.lua.execute("""
        local src, dim, index, source = ...
        return torch.gather(src, dim, index), src:clone():scatter(dim, index, source),
               torch.scatter(src:clone(), dim, index, -3)
    """, t7.from_numpy(src), dim + 1, t7.from_numpy(index + 1), t7.from_numpy(source))
    np.testing.assert_array_equal(gathered.numpy(), np.take_along_axis(src, index, dim))
    expected = src.copy()
    np.put_along_axis(expected, index, source, dim)
    np.testing.assert_array_equal(scattered.numpy(), expected)
    expected = src.copy()
    np.put_along_axis(expected, index, dtype(-3) if dtype != np.uint8 else 253, dim)
    np.testing.assert_array_equal(filled.numpy(), expected)


def test_gather_with_the_indices_max_returns(lua):
    same = lua("""
        local x = torch.randn(3, 4, 5)
        local values, indices = x:max(3)
        return torch.gather(x, 3, indices):add(-1, values):abs():max()
    """)
    assert same == 0


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(TYPES)))
def test_masked_operations_match_boolean_indexing(t7, data, shape, type_name):
    dtype = TYPES[type_name]
    t = values(dtype, shape, data)
    mask = any_layout(data.draw(hnp.arrays(np.uint8, shape, elements=st.integers(0, 1))), data)
    ones = int(mask.sum())
    extra = data.draw(st.integers(0, 3))
    source = values(dtype, (ones + extra,), data)
    selected, by_index, filled, copied, assigned = t7.lua.execute("""
        local t, mask, source = ...
        local into = t.new()
        into:maskedSelect(t, mask)
        local assigned = t:clone()
        assigned[mask] = 5
        return t:maskedSelect(mask), t[mask], t:clone():maskedFill(mask, 9),
               t:clone():maskedCopy(mask, source), assigned, into
    """, t7.from_numpy(t), t7.from_numpy(mask), t7.from_numpy(source))[:5]
    chosen = mask.astype(bool)
    expected_selection = t[chosen] if ones else np.zeros(0, dtype)
    np.testing.assert_array_equal(selected.numpy(), expected_selection)
    np.testing.assert_array_equal(by_index.numpy(), expected_selection)
    expected = t.copy()
    expected[chosen] = 9
    np.testing.assert_array_equal(filled.numpy(), expected)
    expected = t.copy()
    expected[chosen] = source[:ones]
    np.testing.assert_array_equal(copied.numpy(), expected)
    expected = t.copy()
    expected[chosen] = 5
    np.testing.assert_array_equal(assigned.numpy(), expected)


def test_masks_are_checked_before_anything_is_written(t7, lua):
    with pytest.raises(t7.LuaError, match="Mask tensor can take 0 and 1 values only"):
        lua("torch.Tensor(3):zero():maskedFill(torch.ByteTensor{1, 2, 0}, 1)")
    untouched = lua("""
        local t = torch.zeros(3)
        pcall(t.maskedFill, t, torch.ByteTensor{1, 0, 2}, 1)
        return t
    """)
    assert untouched.numpy().tolist() == [0, 0, 0]
    with pytest.raises(t7.LuaError, match="Number of elements of src < number of ones"):
        lua("torch.zeros(3):maskedCopy(torch.ByteTensor{1, 1, 0}, torch.Tensor{1})")
    with pytest.raises(t7.LuaError, match="torch.ByteTensor expected"):
        lua("torch.zeros(3):maskedFill(torch.LongTensor{1, 1, 0}, 1)")


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(TYPES)))
def test_nonzero_gives_one_based_subscripts_in_row_major_order(t7, data, shape, type_name):
    dtype = TYPES[type_name]
    t = any_layout(data.draw(hnp.arrays(dtype, shape, elements=st.integers(0, 2))), data)
    found, into = t7.lua.execute("""
        local t = ...
        local into = torch.LongTensor()
        t.nonzero(into, t)
        return torch.nonzero(t), into
    """, t7.from_numpy(t))
    expected = np.argwhere(t) + 1
    if len(expected):
        np.testing.assert_array_equal(found.numpy(), expected)
        np.testing.assert_array_equal(into.numpy(), expected)
    else:
        assert found.numel() == 0


def test_index_errors_name_the_problem(t7, lua):
    for code, message in [
        ("torch.Tensor(3, 2):index(1, torch.LongTensor{4})", "index out of range"),
        ("torch.Tensor(3, 2):index(3, torch.LongTensor{1})", "out of bounds"),
        ("torch.Tensor(3):index(1, torch.LongTensor{{1}})", "Index is supposed to be a vector"),
        ("torch.Tensor(3):index(1, torch.IntTensor{1})", "torch.LongTensor expected"),
        ("torch.Tensor(3):index(1)", "torch.DoubleTensor, number, torch.LongTensor"),
        ("torch.Tensor(3, 2):indexCopy(1, torch.LongTensor{1}, torch.Tensor(2, 2))",
         "Number of indices should be equal to source:size"),
        ("torch.gather(torch.Tensor(2, 2), 1, torch.LongTensor{{1, 3}})",
         "Invalid index in gather"),
        ("torch.Tensor(2, 2):scatter(1, torch.LongTensor{{0, 1}}, 0)", "Invalid index in scatter"),
        ("torch.gather(torch.Tensor(2, 2), 1, torch.LongTensor{1, 2})",
         "Index tensor must have same dimensions as input tensor"),
    ]:
        with pytest.raises(t7.LuaError, match=message):
            lua("local _ = " + code)
    # an invalid index leaves the destination as it was
    assert lua("""
        local t = torch.zeros(2, 2)
        pcall(t.scatter, t, 1, torch.LongTensor{{1, 2}, {1, 9}}, 1)
        return t:sum()
    """) == 0


def test_table_indexing_forms_match_numpy_slicing(t7):
    a = np.arange(60, dtype=np.float64).reshape(3, 4, 5)
    results = t7.lua.execute("""
        local a = ...
        return a[{2}], a[{-1, {2, 3}}], a[{{}, {-2}, 1}], a[{{2, -1}, {}, {1, 5}}],
               a[{1, 2, -1}], a[{}], a[{{1}}], a[torch.LongStorage{-1, 1, 2}], a[{1.9}]
    """, t7.from_numpy(a))
    expected = [a[1], a[-1, 1:3], a[:, -2:-1, 0], a[1:, :, 0:5], a[0, 1, -1], a, a[0:1],
                a[-1, 0, 1], a[0]]
    for got, want in zip(results, expected):
        if isinstance(got, (int, float)):
            assert got == want
        else:
            np.testing.assert_array_equal(got.numpy(), want)


def test_table_assignment_fills_or_copies(t7):
    a = np.zeros((3, 4))
    t7.lua.execute("""
        local a = ...
        a[{2, {2, 3}}] = 5                        -- a number fills the view
        a[{{3}, {}}] = torch.FloatTensor{1, 2, 3, 4}  -- a tensor of any type is copied
        a[{1, -1}] = 7                            -- one element
        a[1] = torch.Tensor{8, 8, 8, 7}
        a[torch.LongStorage{1, 1}] = 9
    """, t7.from_numpy(a))
    np.testing.assert_array_equal(a, [[9, 8, 8, 7], [0, 5, 5, 0], [1, 2, 3, 4]])


def test_table_index_errors(t7, lua):
    for code, message in [
        ("torch.Tensor(2, 2)[{1, 1, 1}]", "too many indices provided"),
        ("torch.Tensor(2, 2)[{{2, 1}}]", "end index must be greater or equal to start index"),
        ("torch.Tensor(2, 2)[{{1, 3}}]", "end index 3 out of bound"),
        ("torch.Tensor(2, 2)[{{0}}]", "start index 0 out of bound"),
        ("torch.Tensor(2, 2)[{0/0}]", "out of bound"),
        ("torch.Tensor(2)[0/0]", "out of range"),
        ("torch.Tensor(2, 2)[torch.LongStorage{1}]", "invalid size"),
        ("torch.Tensor(2):select(1, 0/0)", "out of range"),
        ("torch.DoubleStorage(2)[0/0]", "out of range"),
    ]:
        with pytest.raises(t7.LuaError, match=message):
            lua("local _ = " + code)
    with pytest.raises(t7.LuaError, match=r"torch\.\*Tensor expected, got string"):
        lua("torch.Tensor(2, 2)[1] = 'x'")


def test_select_on_a_vector_gives_the_number(lua):
    assert lua("return torch.Tensor{4, 5, 6}:select(1, 2)") == 5


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(TYPES)))
def test_apply_map_map2_match_numpy(t7, data, shape, type_name):
    dtype = TYPES[type_name]
    x = values(dtype, shape, data)
    y = values(dtype, shape, data)
    z = values(dtype, shape, data)
    applied, mapped, mapped2, seen = t7.lua.execute("""
        local x, y, z = ...
        local seen = {}
        local a = x:clone():apply(function(v) seen[#seen + 1] = v; return v % 7 end)
        local m = x:clone():map(y, function(u, v) if v > 0 then return u - v end end)
        local m2 = x:clone():map2(y, z, function(u, v, w) return (u + v + w) % 5 end)
        return a, m, m2, seen
    """, t7.from_numpy(x), t7.from_numpy(y), t7.from_numpy(z))
    np.testing.assert_array_equal(list(seen.values()), x.ravel())   # row-major order
    np.testing.assert_array_equal(applied.numpy(), np.mod(x.astype(np.int64), 7).astype(dtype))
    with np.errstate(over="ignore"):
        expected = np.where(y > 0, x - y, x)
        total = x.astype(np.int64) + y + z
    np.testing.assert_array_equal(mapped.numpy(), expected)
    np.testing.assert_array_equal(mapped2.numpy(), np.mod(total, 5).astype(dtype))


def test_apply_over_expanded_and_transposed_views(lua):
    visited, written = lua("""
        local col = torch.Tensor{{1}, {2}}
        local seen = {}
        col:expand(2, 3):apply(function(v) seen[#seen + 1] = v end)
        local m = torch.zeros(2, 3)
        local k = 0
        m:t():apply(function() k = k + 1; return k end)
        return seen, m
    """)
    assert list(visited.values()) == [1, 1, 1, 2, 2, 2]
    np.testing.assert_array_equal(written.numpy(), [[1, 3, 5], [2, 4, 6]])


def test_apply_rejects_bad_functions_and_keeps_memory_safe(t7, lua):
    with pytest.raises(t7.LuaError, match="should return a number or nil"):
        lua("torch.Tensor(3):apply(function() return 'x' end)")
    with pytest.raises(t7.LuaError, match="function expected"):
        lua("torch.Tensor(3):apply(3)")
    with pytest.raises(t7.LuaError, match="inconsistent tensor size"):
        lua("torch.Tensor(3):map(torch.Tensor(4), function() end)")
    # resizing the tensor from inside the loop fails instead of moving the memory under it
    with pytest.raises(t7.LuaError, match="must not move"):
        lua("local t = torch.Tensor(3):zero(); t:apply(function() t:resize(100000) end)")
    assert lua("local t = torch.Tensor(3):zero(); pcall(t.apply, t, error); "
               "return t:resize(100000):nElement()") == 100000


def test_empty_and_one_element_tensors(lua):
    results = lua("""
        local e = torch.Tensor()
        local one = torch.Tensor{3}
        return e:maskedSelect(torch.ByteTensor()):nElement(), torch.nonzero(e):dim(),
               e:apply(function() error('never called') end):nElement(),
               one:index(1, torch.LongTensor{1, 1}), torch.gather(one, 1, torch.LongTensor{1})
    """)
    assert results[0] == 0 and results[1] == 0 and results[2] == 0
    assert results[3].numpy().tolist() == [3, 3]
    assert results[4].numpy().tolist() == [3]


FUZZ_EVERY_TYPE = """
-- Every method of every tensor and storage class, called with arguments drawn at random
-- (index tensors, masks, functions, NaN, huge numbers, tables...), each under pcall: any
-- outcome is fine except a crash of the process.
torch.manualSeed(tonumber(arg[1]))
local types = {'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double', 'Half'}
local function methods_of(class)
   local names = {}
   for name, f in pairs(torch.getmetatable(class)) do
      if type(f) == 'function' and not name:match('^__') and name ~= 'data'
         and name ~= 'cdata' then names[#names + 1] = name end
   end
   table.sort(names)
   return names
end
local function value()
   local k = torch.random(16)
   if k == 1 then return torch.random(-3, 6) end
   if k == 2 then return 2^62 end
   if k == 3 then return 0/0 end
   if k == 4 then return torch.Tensor(torch.random(1, 3), torch.random(1, 3)):uniform() end
   if k == 5 then return torch.LongTensor(torch.random(1, 4)):random(-1, 5) end
   if k == 6 then return torch.FloatTensor(2, 2):fill(1):t() end
   if k == 7 then return torch.ByteTensor(torch.random(1, 4)):random(0, 2) end
   if k == 8 then return torch.LongStorage{torch.random(-1, 3), 2} end
   if k == 9 then return {torch.random(-2, 3), {1, torch.random(-1, 3)}} end
   if k == 10 then return function(x) return x end end
   if k == 11 then return function() error('inside') end end
   if k == 12 then return torch.HalfTensor(torch.random(1, 3)):fill(1) end
   if k == 13 then return torch.LongTensor(2, 2):random(1, 3) end
   if k == 14 then return 'str' end
   if k == 15 then return torch.Tensor() end
   return nil
end
local calls = 0
for i = 1, tonumber(arg[2]) do
   local tname = types[torch.random(#types)]
   local t
   if torch.random(4) == 1 then
      t = torch[tname .. 'Storage'](torch.random(0, 4))
   else
      t = torch.Tensor(torch.random(1, 3), torch.random(1, 3)):uniform():type(
         'torch.' .. tname .. 'Tensor')
      if torch.random(3) == 1 then t = t:t() end
   end
   local names = methods_of(torch.typename(t))
   local name = names[torch.random(#names)]
   pcall(t[name], t, value(), value(), value(), value())
   calls = calls + 1
end
print('calls done', calls)
"""


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_calls_on_every_type_never_crash(tmp_path, seed):
    script = tmp_path / "fuzz_types.lua"
    script.write_text(FUZZ_EVERY_TYPE)
    result = run_th(str(script), str(seed), "3000")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "calls done\t3000" in result.stdout


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=hnp.array_shapes(min_dims=2, max_dims=3, max_side=4),
       type_name=st.sampled_from(sorted(TYPES)))
def test_kernels_read_expanded_views(t7, data, shape, type_name):
    """Operands with a stride of 0 (expand): every element of the broadcast dimension is
    the same memory."""
    dtype = TYPES[type_name]
    axis = data.draw(st.integers(0, len(shape) - 1))
    narrow_shape = list(shape)
    narrow_shape[axis] = 1
    base = values(dtype, tuple(narrow_shape), data)
    full = np.broadcast_to(base, shape)
    picked = index_vector(data, shape[0], 3)
    mask = data.draw(hnp.arrays(np.uint8, shape, elements=st.integers(0, 1)))
    results = t7.lua.execute("""
        local base, sizes, picked, mask = ...
        local x = base:expand(torch.LongStorage(sizes))
        local seen = {}
        x:apply(function(v) seen[#seen + 1] = v end)
        return x:index(1, picked), x:maskedSelect(mask), torch.cat(x, x, 1), x:clone(),
               x:repeatTensor(2, 1, 1), torch.HalfTensor():resize(x:size()):copy(x), seen
    """, t7.from_numpy(base), t7.lua.eval("function(...) return {...} end")(*shape),
        t7.from_numpy(picked + 1), t7.from_numpy(mask))
    selected, masked, joined, cloned, tiled, halves, seen = results
    np.testing.assert_array_equal(selected.numpy(), np.take(full, picked, 0))
    np.testing.assert_array_equal(masked.numpy().ravel(), full[mask.astype(bool)])
    np.testing.assert_array_equal(joined.numpy(), np.concatenate([full, full], 0))
    np.testing.assert_array_equal(cloned.numpy(), full)
    np.testing.assert_array_equal(tiled.numpy(), np.tile(full, (2, 1, 1)))
    np.testing.assert_array_equal(halves.numpy(), full.astype(np.float16))
    np.testing.assert_array_equal(list(seen.values()), full.ravel())


@pytest.mark.parametrize("code", [
    "torch.Tensor(2):index(1, torch.LongTensor{5})",
    "torch.gather(torch.Tensor(2, 2), 1, torch.LongTensor{{3, 1}})",
    "torch.Tensor(3):apply(function() return 'x' end)",
    "torch.Tensor(3):map(torch.Tensor(2), function() end)",
    "torch.Tensor(3):maskedFill(torch.ByteTensor{2, 0, 0}, 1)",
    "torch.cat(torch.Tensor(2, 3), torch.Tensor(2, 4), 1)",
    "torch.range(1, 2, 0)",
    "torch.multinomial(torch.Tensor{0, 0}, 1)",
    "torch.Tensor(2):geometric(2)",
    "torch.normal(0, -1)",
])
def test_errors_name_the_calling_line(t7, code):
    with pytest.raises(t7.LuaError, match=r'^\[string "<python>"\]:2: '):
        t7.lua.execute("local _\n_ = " + code + "\n")
