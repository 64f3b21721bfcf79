"""hdf5 (torch-hdf5) with h5py as the oracle: files written from Lua read by h5py and the
reverse, element types, groups, partial reads, options, appends, and bad input."""
import h5py
import numpy as np
import pytest

import torch7_compat as t7


def lua(code, *args):
    return t7.lua.execute("require 'hdf5'\n" + code, *args)


def test_lua_writes_what_h5py_reads(tmp_path):
    path = str(tmp_path / "out.h5")
    lua("""local path = ...
           torch.manualSeed(3)
           local f = hdf5.open(path, 'w')
           f:write('/data/x', torch.rand(4, 5))
           f:write('/data/y', torch.IntTensor{{1, 2}, {3, 4}})
           f:write('/stats', {mean = torch.FloatTensor{0.5}, count = torch.LongTensor{7},
                              bytes = torch.ByteTensor{255, 0}, small = torch.CharTensor{-3},
                              short = torch.ShortTensor{-300}})
           f:close()""", path)
    expected_x = t7.lua.execute("torch.manualSeed(3) return torch.rand(4, 5)").numpy()
    with h5py.File(path, "r") as f:
        np.testing.assert_array_equal(f["data/x"][()], expected_x)
        assert f["data/x"].dtype == np.float64
        np.testing.assert_array_equal(f["data/y"][()], [[1, 2], [3, 4]])
        assert f["data/y"].dtype == np.int32
        kinds = {name: f["stats"][name].dtype for name in f["stats"]}
        assert kinds == {"mean": np.float32, "count": np.int64, "bytes": np.uint8,
                         "small": np.int8, "short": np.int16}
        assert f["stats/bytes"][()].tolist() == [255, 0]


def test_h5py_files_read_into_matching_tensor_types(tmp_path):
    path = str(tmp_path / "in.h5")
    rng = np.random.default_rng(0)
    arrays = {"f64": rng.standard_normal((3, 4)), "f32": rng.standard_normal(5).astype(np.float32),
              "i64": np.arange(6, dtype=np.int64).reshape(2, 3),
              "i32": np.array([-1, 2], np.int32), "i16": np.array([-7], np.int16),
              "i8": np.array([-5, 5], np.int8), "u8": np.array([200, 1], np.uint8),
              "u16": np.array([65535], np.uint16), "b": np.array([True, False])}
    with h5py.File(path, "w") as f:
        for name, values in arrays.items():
            f.create_dataset("group/" + name, data=values)
    types = {"f64": "torch.DoubleTensor", "f32": "torch.FloatTensor", "i64": "torch.LongTensor",
             "i32": "torch.IntTensor", "i16": "torch.ShortTensor", "i8": "torch.CharTensor",
             "u8": "torch.ByteTensor", "u16": "torch.IntTensor", "b": "torch.ByteTensor"}
    for name, values in arrays.items():
        tensor, kind = lua("""local f = hdf5.open(..., 'r')
                              local data = f:read('/group/' .. select(2, ...))
                              local t = data:all()
                              f:close()
                              return t, torch.type(t)""", path, name)
        assert kind == types[name]
        np.testing.assert_array_equal(tensor.numpy(), values.astype(tensor.numpy().dtype))
        np.testing.assert_array_equal(tensor.numpy().astype(values.dtype), values)


def test_partial_reads_sizes_and_factory(tmp_path):
    path = str(tmp_path / "p.h5")
    values = np.arange(60.0).reshape(3, 4, 5)
    with h5py.File(path, "w") as f:
        f["cube"] = values
    part, size, kind = lua("""local f = hdf5.open(..., 'r')
                              local d = f:read('cube')
                              local part = d:partial({2, 3}, {1, 4}, 2)
                              local size = d:dataspaceSize()
                              local kind = torch.type(d:getTensorFactory()())
                              f:close()
                              return part, table.concat(size, 'x'), kind""", path)
    np.testing.assert_array_equal(part.numpy(), values[1:3, 0:4, 1:2])
    assert (size, kind) == ("3x4x5", "torch.DoubleTensor")
    ok, message = lua("""local f = hdf5.open(..., 'r')
                         local cube = f:read('cube')
                         local ok, message = pcall(function() return cube:partial({1, 2}) end)
                         f:close()
                         return ok, message""", path)
    assert not ok and "dimension mismatch. Expected 3 but 1 were given" in message


def test_groups_read_whole_and_files_reopened_for_appending(tmp_path):
    path = str(tmp_path / "g.h5")
    lua("""local f = hdf5.open(..., 'w')
           f:write('a/b/c', torch.Tensor{1, 2})
           f:write('a/d', torch.Tensor{{3}})
           f:close()
           local g = hdf5.open(..., 'r+')
           g:write('e', torch.Tensor{4})
           g:close()""", path)
    counts = lua("""local f = hdf5.open(...)      -- 'a': an existing file opens for writing
                    local all = f:all()
                    local group = f:read('/a')
                    local inner = group:read('b/c'):all()
                    f:close()
                    return all.a.b.c:sum(), all.a.d:sum(), all.e:sum(), inner:sum(),
                           torch.type(group)""", path)
    assert counts == (3, 3, 4, 3, "hdf5.HDF5Group")
    with h5py.File(path, "r") as f:
        assert sorted(f.keys()) == ["a", "e"] and sorted(f["a"].keys()) == ["b", "d"]


def test_options_chunk_compress_and_allow_appending(tmp_path):
    path = str(tmp_path / "o.h5")
    lua("""local f = hdf5.open(..., 'w')
           local options = hdf5.DataSetOptions()
           options:setChunked(4, 3)
           options:setDeflate()
           f:write('m', torch.range(1, 30):view(10, 3), options)
           f:append('m', torch.range(31, 36):view(2, 3), options)
           f:close()""", path)
    with h5py.File(path, "r") as f:
        d = f["m"]
        assert d.chunks == (4, 3) and d.compression == "gzip" and d.compression_opts == 6
        assert d.maxshape == (None, 3)
        np.testing.assert_array_equal(d[()], np.arange(1.0, 37.0).reshape(12, 3))


@pytest.mark.parametrize("code, message", [
    ("f:read('/missing/data')", "no such data path '/missing/data' in "),
    ("f:read('x'):partial({1, 9})", "range {1, 9} is outside dimension 1"),
    ("f:write('y', 'text')", "writing data of type string is not supported"),
    ("f:write('x', torch.Tensor{1})", "cannot write '/x' in "),
])
def test_bad_input_names_the_file_and_the_problem(tmp_path, code, message):
    path = str(tmp_path / "bad.h5")
    with h5py.File(path, "w") as f:
        f["x"] = np.arange(3.0)
    ok, error = lua("""local f = hdf5.open(..., 'r+')
                       local ok, message = pcall(function() %s end)
                       f:close()
                       return ok, message""" % code, path)
    assert not ok and message in error
    if "in " in message:
        assert path in error


def test_files_that_cannot_be_opened(tmp_path):
    text = tmp_path / "not.h5"
    text.write_text("plain text")
    ok, error = lua("return pcall(hdf5.open, ..., 'r')", str(text))
    assert not ok and str(text) in error and "cannot open" in error
    ok, error = lua("return pcall(hdf5.open, ..., 'r')", str(tmp_path / "none" / "x.h5"))
    assert not ok and "no such directory" in error
