"""Construction, geometry, views and indexing, checked against numpy slicing and the
original's documented semantics (1-based indices, inclusive ranges, negative indices)."""
import numpy as np
import pytest


def test_constructors(lua):
    empty, sized, nested, from_storage, interleaved = lua("""
        local s = torch.DoubleStorage{1, 2, 3, 4, 5, 6}
        return torch.Tensor(), torch.Tensor(2, 3), torch.Tensor{{1, 2, 3}, {4, 5, 6}},
               torch.Tensor(s, 2, torch.LongStorage{2, 2}),
               torch.Tensor(s, 1, 3, 1, 2, 3)   -- sizes and strides interleaved
    """)
    assert empty.shape == (0,) and empty.numel() == 0   # Python's view of no element
    assert sized.shape == (2, 3)
    np.testing.assert_array_equal(nested.numpy(), [[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(from_storage.numpy(), [[2, 3], [4, 5]])
    # size 3 stride 1, size 2 stride 3: element (i, j) is s[1 + i + 3j]
    np.testing.assert_array_equal(interleaved.numpy(), [[1, 4], [2, 5], [3, 6]])


def test_nested_table_errors(t7, lua):
    with pytest.raises(t7.LuaError, match="invalid tensor sizes"):
        lua("return torch.Tensor{{1, 2}, {3}}")
    with pytest.raises(t7.LuaError, match="not a number"):
        lua("return torch.Tensor{1, 'x'}")


def test_views_share_storage_like_numpy_slices(t7):
    a = np.arange(60, dtype=np.float64).reshape(3, 4, 5)
    x = t7.from_numpy(a)
    narrow, select, transposed, sub, unfolded, row, ranged, last = t7.lua.execute("""
        local a = ...
        return a:narrow(2, 2, 3), a:select(3, 4), a:transpose(1, 3), a:sub(2, 3, -2, -1),
               a:unfold(3, 2, 2), a[2], a[{{}, 3, {2, 4}}], a[{-1, -1, -1}]
    """, x)
    np.testing.assert_array_equal(narrow.numpy(), a[:, 1:4, :])
    np.testing.assert_array_equal(select.numpy(), a[:, :, 3])
    np.testing.assert_array_equal(transposed.numpy(), a.transpose(2, 1, 0))
    np.testing.assert_array_equal(sub.numpy(), a[1:3, 2:4, :])
    np.testing.assert_array_equal(unfolded.numpy(), np.stack([a[:, :, 0:2], a[:, :, 2:4]], 2))
    np.testing.assert_array_equal(row.numpy(), a[1])
    np.testing.assert_array_equal(ranged.numpy(), a[:, 2, 1:4])
    assert last == a[-1, -1, -1]
    # views write through to the numpy array they came from
    t7.lua.execute("local v = ...; v:fill(-1)", ranged)
    assert (a[:, 2, 1:4] == -1).all()


def test_view_expand_squeeze_contiguous(lua):
    viewed, inferred, expanded, squeezed, squeezed1, contiguous = lua("""
        local a = torch.range(1, 6)
        local col = torch.Tensor{{1}, {2}, {3}}
        local t = a:view(2, 3):t()
        return a:view(2, 3), a:view(-1, 2), col:expand(3, 4), torch.Tensor(1, 3, 1):squeeze(),
               torch.Tensor(1, 3, 1):squeeze(1), t:contiguous()
    """)
    np.testing.assert_array_equal(viewed.numpy(), np.arange(1, 7).reshape(2, 3))
    assert inferred.shape == (3, 2)
    np.testing.assert_array_equal(expanded.numpy(), np.repeat([[1], [2], [3]], 4, 1))
    assert expanded.stride() == (1, 0)
    assert squeezed.shape == (3,)
    # the original's quirk: squeezing dim 1 of a contiguous 1x3x1 keeps strides 1, 1
    assert squeezed1.shape == (3, 1) and squeezed1.stride() == (1, 1)
    assert contiguous.is_contiguous()
    np.testing.assert_array_equal(contiguous.numpy(), np.arange(1, 7).reshape(2, 3).T)


def test_element_and_slice_assignment(lua):
    t = lua("""
        local t = torch.zeros(3, 4)
        t[1][2] = 5          -- element of a selected row
        t[{2, 3}] = 7        -- element by table index
        t[3] = 1             -- a number fills the row
        t[{{1, 2}, {4}}] = torch.Tensor{{8}, {9}}   -- a tensor is copied in
        t[-1][-1] = -1
        return t
    """)
    np.testing.assert_array_equal(t.numpy(), [[0, 5, 0, 8], [0, 0, 7, 9], [1, 1, 1, -1]])


def test_resize_keeps_strides_of_same_size_and_grows_storage(lua):
    strides, grown_size, size_dims = lua("""
        local t = torch.Tensor(3, 4):t()          -- strides 1, 4
        t:resize(4, 3)                            -- same size: untouched, as the original
        local s = t:stride()
        local g = torch.Tensor(2):resize(10)
        local z = torch.Tensor(3, 0, 2)           -- a size 0 ends the dimensions
        return {s[1], s[2]}, g:storage():size(), z:dim()
    """)
    assert list(strides.values()) == [1, 4]
    assert grown_size == 10
    assert size_dims == 1


def test_size_queries(lua):
    dim, n, size2, offset, same, storage_type = lua("""
        local t = torch.Tensor(2, 3, 4)
        local n = t:narrow(3, 2, 2)
        return t:dim(), t:nElement(), t:size(2), n:storageOffset(), t:isSameSizeAs(torch.Tensor(2, 3, 4)),
               torch.type(t:storage())
    """)
    assert (dim, n, size2, offset, same) == (3, 24, 3, 2, True)
    assert storage_type == "torch.DoubleStorage"


def test_type_conversion(lua):
    types = lua("""
        local t = torch.Tensor{1.5, -2.5}
        return t:float():type(), t:long():type(), t:type('torch.IntTensor'):type(), t:type(),
               torch.type(t:byte()), t:type('torch.DoubleTensor') == t
    """)
    assert types == ("torch.FloatTensor", "torch.LongTensor", "torch.IntTensor",
                     "torch.DoubleTensor", "torch.ByteTensor", True)


def test_default_tensor_type(lua):
    names = lua("""
        torch.setdefaulttensortype('torch.FloatTensor')
        local a, b = torch.type(torch.Tensor(2)), torch.type(torch.rand(2))
        local c = torch.type(torch.Storage(2))
        torch.setdefaulttensortype('torch.DoubleTensor')
        return a, b, c, torch.type(torch.Tensor())
    """)
    assert names == ("torch.FloatTensor", "torch.FloatTensor", "torch.FloatStorage",
                     "torch.DoubleTensor")


def test_data_pointer_has_the_element_type(lua):
    total, ctype = lua("""
        local ffi = require 'ffi'
        local t = torch.FloatTensor{1, 2, 3}:narrow(1, 2, 2)
        local p = t:data()
        p[0] = 10                       -- legacy loops write through data()
        return t:sum(), tostring(ffi.typeof(p))
    """)
    assert total == 13
    assert "float *" in ctype


def test_storage_basics(lua):
    size, values, copied, as_string = lua("""
        local s = torch.LongStorage{3, 1, 4}
        s[2] = 9
        local f = torch.FloatStorage(3):copy(s)
        return #s, s:totable(), f:totable(), torch.ByteStorage{72, 105}:string()
    """)
    assert size == 3
    assert list(values.values()) == [3, 9, 4]
    assert list(copied.values()) == [3, 9, 4]
    assert as_string == "Hi"


def test_result_forms_of_view_and_expand(lua):
    viewed, same_storage, expanded, nested = lua("""
        local src = torch.range(1, 6)
        local r = torch.Tensor()
        r:view(src, 3, 2)
        local e = torch.Tensor()
        e:expand(torch.Tensor{{1}, {2}}, 2, 3)
        return r, torch.pointer(r:storage()) == torch.pointer(src:storage()),
               e, torch.Tensor{{1, 2}, {3, 4}}:totable()
    """)
    np.testing.assert_array_equal(viewed.numpy(), np.arange(1, 7).reshape(3, 2))
    assert same_storage
    np.testing.assert_array_equal(expanded.numpy(), [[1, 1, 1], [2, 2, 2]])
    assert [list(row.values()) for row in nested.values()] == [[1, 2], [3, 4]]


STORAGE_TYPES = ["Byte", "Char", "Short", "Int", "Long", "Float", "Double", "Half"]


@pytest.mark.parametrize("name", STORAGE_TYPES)
def test_every_storage_type_resizes_fills_copies_and_indexes(lua, name):
    size, filled, grown, copied, element_size, shared = lua("""
        local name = ...
        local S = torch[name .. 'Storage']
        local s = S(3):fill(7)
        local filled = s:totable()
        s:resize(5)
        s[4], s[5] = 1, 2
        local copy = torch.DoubleStorage(5):copy(s)
        local t = torch[name .. 'Tensor'](s, 2, 3)
        t[1] = 5                                -- a tensor over the storage writes into it
        return #s, filled, s:totable(), copy:totable(), s:elementSize(), s[2]
    """, name)
    assert size == 5
    assert list(filled.values()) == [7, 7, 7]
    assert list(grown.values()) == [7, 5, 7, 1, 2]
    assert list(copied.values()) == [7, 7, 7, 1, 2]
    assert element_size == np.dtype(
        {"Byte": "u1", "Char": "i1", "Short": "i2", "Int": "i4", "Long": "i8", "Float": "f4",
         "Double": "f8", "Half": "f2"}[name]).itemsize
    assert shared == 5


def test_storage_views_share_memory_and_keep_their_source(t7, lua):
    whole, part, through, kept = lua("""
        local s = torch.LongStorage{3, 4, 5, 6}
        local v = torch.LongStorage(s, 2, 2)
        v[1] = 13
        local rest = torch.LongStorage(s, 3)      -- to the end
        local survivor = torch.LongStorage(torch.LongStorage{1, 2, 3}, 3)
        collectgarbage(); collectgarbage()
        return s:totable(), v:totable(), rest:totable(), survivor[1]
    """)
    assert list(whole.values()) == [3, 13, 5, 6]
    assert list(part.values()) == [13, 5]
    assert list(through.values()) == [5, 6]
    assert kept == 3
    with pytest.raises(t7.LuaError, match="must not move"):
        lua("local s = torch.Storage(4); local v = torch.Storage(s, 2); s:resize(100)")
    with pytest.raises(t7.LuaError, match="offset out of bounds"):
        lua("return torch.Storage(torch.Storage(4), 5)")
    with pytest.raises(t7.LuaError, match="size out of bounds"):
        lua("return torch.Storage(torch.Storage(4), 2, 4)")
    with pytest.raises(t7.LuaError, match="not resizable"):
        lua("local v = torch.Storage(torch.Storage(4), 2); v:resize(10)")


def test_byte_and_char_storages_convert_to_and_from_strings(t7, lua):
    text, size, back, kept = lua("""
        local s = torch.CharStorage()
        local same = s:string('hello\\0world') == s
        local b = torch.ByteStorage(2)
        b:string('ab')
        return s:string(), s:size(), b:string(), same
    """)
    assert text == b"hello\x00world" or text == "hello\x00world"
    assert size == 11 and back in ("ab", b"ab") and kept
    with pytest.raises(t7.LuaError, match="attempt to call method 'string'"):
        lua("return torch.IntStorage(2):string()")


def test_storages_map_files(t7, lua, tmp_path):
    data = tmp_path / "values.bin"
    np.arange(6, dtype=np.float32).tofile(data)
    private, size = lua("""
        local s = torch.FloatStorage(...)
        s[1] = 100                         -- a private mapping: the file stays as it was
        return s:totable(), s:size()
    """, str(data))
    assert list(private.values()) == [100, 1, 2, 3, 4, 5] and size == 6
    assert np.fromfile(data, np.float32).tolist() == [0, 1, 2, 3, 4, 5]
    shared = tmp_path / "shared.bin"
    lua("""
        local s = torch.IntStorage(..., true, 4)   -- shared: made, grown, written through
        s:fill(9)
        s[4] = -1
    """, str(shared))
    assert np.fromfile(shared, np.int32).tolist() == [9, 9, 9, -1]
    with pytest.raises(t7.LuaError, match="unable to open file"):
        lua("return torch.FloatStorage(...)", str(tmp_path / "missing.bin"))
    with pytest.raises(t7.LuaError, match="smaller than the required mapping size"):
        lua("return torch.DoubleStorage(..., false, 100)", str(data))


def test_storage_constructor_errors(t7, lua):
    with pytest.raises(t7.LuaError, match="element at index 2 is not a number"):
        lua("return torch.DoubleStorage{1, 'x'}")
    with pytest.raises(t7.LuaError, match="torch.LongStorage expected, got torch.IntStorage"):
        lua("return torch.LongStorage(torch.IntStorage(3), 1)")
