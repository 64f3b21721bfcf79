"""matio.load with scipy.io (v5 files) and h5py (v7.3 files, laid out as MATLAB writes them)
as the oracles: values, MATLAB's sizes, matio-ffi's element types, structs and cells, the
forms of the name argument, and bad input."""
import h5py
import numpy as np
import pytest
import scipy.io

import torch7_compat as t7


def lua(code, *args):
    return t7.lua.execute("local matio = require 'matio'\n" + code, *args)


@pytest.fixture
def v5_file(tmp_path):
    path = str(tmp_path / "v5.mat")
    rng = np.random.default_rng(1)
    scipy.io.savemat(path, {
        "a": rng.standard_normal((3, 4)), "cube": np.arange(24.0).reshape(2, 3, 4),
        "f": np.float32([[1.5, 2.5]]), "u16": np.uint16([[1, 65535]]),
        "i8": np.int8([[-3, 4]]), "u8": np.uint8([[200]]), "i32": np.int32([[7], [8]]),
        "flag": np.array([[True, False]]), "text": "hello",
        "s": {"x": 2.0, "name": "abc"},
        "c": np.array([[np.ones((2, 2)), "str"]], dtype=object),
        "empty": np.zeros((0, 3)),
    })
    return path


def test_numeric_arrays_keep_matlab_sizes_and_values(v5_file):
    expected = scipy.io.loadmat(v5_file)
    for name in ("a", "cube", "f", "i32"):
        tensor = lua("return matio.load(...)", v5_file, name)
        np.testing.assert_array_equal(tensor.numpy(), expected[name])
        assert tensor.numpy().shape == expected[name].shape


def test_layout_is_column_major_as_matio_ffi_left_it(v5_file):
    strides = lua("local t = matio.load(..., 'a') return t:stride(1), t:stride(2)", v5_file,
                  "a")
    assert strides == (1, 3)


def test_element_types_follow_matio_ffi(v5_file):
    types = lua("""local all = matio.load(...)
                   local out = {}
                   for k, v in pairs(all) do out[k] = torch.type(v) end
                   return out""", v5_file)
    assert dict(types.items()) == {
        "a": "torch.DoubleTensor", "cube": "torch.DoubleTensor", "f": "torch.FloatTensor",
        "u16": "torch.ShortTensor", "i8": "torch.CharTensor", "u8": "torch.ByteTensor",
        "i32": "torch.IntTensor", "flag": "torch.ByteTensor", "text": "torch.CharTensor",
        "s": "table", "c": "table"}
    # unsigned values keep their bits in the signed type of their width
    assert lua("return matio.load(..., 'u16')[1][2]", v5_file) == np.int16(np.uint16(65535))


def test_strings_structs_and_cells(v5_file):
    text_codes = lua("return matio.load(..., 'text')", v5_file).numpy()
    assert bytes(text_codes.astype(np.uint8).ravel()) == b"hello"
    assert lua("matio.use_lua_strings = true\n"
               "local s = matio.load(..., 's')\n"
               "local text = matio.load(..., 'text')\n"
               "matio.use_lua_strings = false\n"
               "return s.x[1][1], s.name, text", v5_file) == (2.0, "abc", "hello")
    cell = lua("local c = matio.load(..., 'c') return #c, c[1]:sum(), torch.type(c[2])",
               v5_file)
    assert cell == (2, 4.0, "torch.CharTensor")


def test_name_forms_and_missing_variables(v5_file, capsys):
    assert lua("local t = matio.load(..., {'a', 'f'}) local n = 0 "
               "for _ in pairs(t) do n = n + 1 end return n, t.a:dim(), t.f:dim()",
               v5_file) == (2, 2, 2)
    assert lua("return matio.load(..., 'nothere')", v5_file) is None
    assert "Could not find variable with name: nothere in file: " + v5_file \
        in capsys.readouterr().out
    assert lua("return matio.load(..., 'empty')", v5_file) is None


def _matlab_73(path):
    """A v7.3 file as MATLAB lays it out: a 512-byte header block, arrays transposed, class
    names in attributes, cells as references into #refs#."""
    with h5py.File(path, "w", userblock_size=512) as f:
        f["m"] = np.arange(6.0).reshape(2, 3).T          # MATLAB's 2x3 [0 1 2; 3 4 5]
        f["m"].attrs["MATLAB_class"] = np.bytes_("double")
        f["k"] = np.array([[104], [105]], np.uint16)    # 'hi'
        f["k"].attrs["MATLAB_class"] = np.bytes_("char")
        f["i"] = np.int32([[5, 6]]).T
        f["i"].attrs["MATLAB_class"] = np.bytes_("int32")
        refs = f.create_group("#refs#")
        refs["r0"] = np.ones((2, 1))
        refs["r0"].attrs["MATLAB_class"] = np.bytes_("double")
        f.create_dataset("c", data=np.array([[refs["r0"].ref]]), dtype=h5py.ref_dtype)
        f["c"].attrs["MATLAB_class"] = np.bytes_("cell")
        s = f.create_group("s")
        s.attrs["MATLAB_class"] = np.bytes_("struct")
        s["x"] = np.array([[3.0]])
        s["x"].attrs["MATLAB_class"] = np.bytes_("double")
    with open(path, "r+b") as f:
        f.write(b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: test HDF5 schema 1.00 .")


def test_version_73_files(tmp_path):
    path = str(tmp_path / "v73.mat")
    _matlab_73(path)
    m, k, i, c, sx = lua("""local all = matio.load(...)
                            return all.m, all.k, all.i, all.c[1], all.s.x""", path)
    np.testing.assert_array_equal(m.numpy(), [[0, 1, 2], [3, 4, 5]])
    assert bytes(k.numpy().astype(np.uint8).ravel()) == b"hi"
    assert i.numpy().dtype == np.int32 and i.numpy().tolist() == [[5, 6]]
    assert c.numpy().shape == (1, 2) and sx.numpy().tolist() == [[3.0]]


@pytest.mark.parametrize("content", [b"", b"MATLAB 5.0 MAT-file" + b"\0" * 50, b"junk" * 40])
def test_corrupt_files_are_errors_naming_the_file(tmp_path, content):
    path = tmp_path / "broken.mat"
    path.write_bytes(content)
    ok, message = lua("return pcall(matio.load, ...)", str(path))
    assert not ok and "matio.load: cannot read " + str(path) in message
    ok, message = lua("return pcall(matio.load, ...)", str(tmp_path / "absent.mat"))
    assert not ok and str(tmp_path / "absent.mat") in message


def test_saved_files_read_with_scipy(tmp_path):
    one, many = str(tmp_path / "one.mat"), str(tmp_path / "many.mat")
    lua("""local one, many = ...
           matio.save(one, torch.range(1, 24):view(2, 3, 4))
           matio.compression = matio.ffi.COMPRESSION_NONE
           matio.save(many, {t = torch.FloatTensor{{1, 2}}, v = torch.IntTensor{5, 6, 7},
                             n = 9, s = 'hello', b = false, st = {field = 2.5}})
           matio.compression = matio.ffi.COMPRESSION_ZLIB""", one, many)
    x = scipy.io.loadmat(one)["x"]
    np.testing.assert_array_equal(x, np.arange(1.0, 25.0).reshape(2, 3, 4))
    contents = scipy.io.loadmat(many)
    assert contents["t"].dtype == np.float32 and contents["t"].tolist() == [[1, 2]]
    assert contents["v"].dtype == np.int32 and contents["v"].tolist() == [[5], [6], [7]]
    assert contents["n"].tolist() == [[9.0]] and contents["s"].tolist() == ["hello"]
    assert contents["b"].tolist() == [[0]]
    assert contents["st"]["field"][0, 0].tolist() == [[2.5]]
    ok, message = lua("return pcall(matio.save, ..., {f = print})", str(tmp_path / "no.mat"))
    assert (ok, message) == (False, "Unsupported type: function")
