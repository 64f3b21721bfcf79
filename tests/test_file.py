"""torch.File and its classes (DiskFile, MemoryFile, PipeFile): every element type read and
written singly and in bulk, in binary (checked against struct's layouts) and in ascii
(checked against Python's printf formats, which are C's), strings, modes, positions, errors
and quiet files."""
import os
import struct

import numpy as np
import pytest

import torch7_compat as t7

# (torch type name, struct code, numpy dtype)
TYPES = [("Byte", "B", np.uint8), ("Char", "b", np.int8), ("Short", "h", np.int16),
         ("Int", "i", np.int32), ("Long", "q", np.int64), ("Float", "f", np.float32),
         ("Double", "d", np.float64)]

VALUES = {"Byte": [0, 7, 255], "Char": [-128, 5, 127], "Short": [-32768, 12, 32767],
          "Int": [-2147483648, 3, 2147483647], "Long": [-2 ** 53, 9, 2 ** 53],
          "Float": [0.1, -2.5e-30, 3.4e38], "Double": [0.1, -1e-300, 1.7976931348623157e308]}


def lua(code, *args):
    return t7.lua.execute("require 'torch'\n" + code, *args)


def as_bytes(tensor):
    return np.asarray(tensor.numpy()).tobytes()


def memory_content(code, *args):
    """The bytes a MemoryFile `f` holds after `code` ran (storage without its NUL)."""
    content = lua("local f = torch.MemoryFile()\n" + code + """
       local s = f:storage()
       if s:size() == 1 then return nil end
       return torch.CharTensor(s, 1, s:size() - 1)""", *args)
    return b"" if content is None else as_bytes(content)


def ascii_value(name, value):
    if name == "Float":
        return "%.9g" % float(np.float32(value))
    if name == "Double":
        return "%.17g" % value
    return "%d" % value


@pytest.mark.parametrize("name, code, dtype", TYPES)
def test_binary_writes_are_the_machines_layout(tmp_path, name, code, dtype):
    path = str(tmp_path / "values.bin")
    values = VALUES[name]
    lua("""local path, name, a, b, c = ...
       local f = torch.DiskFile(path, 'w'):binary()
       f['write' .. name](f, a)
       f['write' .. name](f, torch[name .. 'Storage']({a, b, c}))
       f:close()""", path, name, *values)
    expected = struct.pack("<" + code, values[0]) + struct.pack("<3" + code, *values)
    assert open(path, "rb").read() == expected


@pytest.mark.parametrize("name, code, dtype", TYPES)
def test_binary_reads_single_bulk_and_into_storages(tmp_path, name, code, dtype):
    path = str(tmp_path / "values.bin")
    values = VALUES[name]
    with open(path, "wb") as f:
        f.write(struct.pack("<7" + code, *(values + values + values[:1])))   # a b c a b c a
    first, bulk, into, count = lua("""local path, name = ...
       local f = torch.DiskFile(path, 'r'):binary()
       local first = f['read' .. name](f)
       local bulk = f['read' .. name](f, 3)
       local into = torch[name .. 'Storage'](3)
       local count = f['read' .. name](f, into)
       f:close()
       local T = torch[name .. 'Tensor']
       return first, T():set(bulk), T():set(into), count""",
                                   path, name)
    expected = np.array(values, dtype=dtype)
    assert first == expected[0]
    np.testing.assert_array_equal(bulk.numpy(), np.roll(expected, -1))
    np.testing.assert_array_equal(into.numpy(), np.roll(expected, -1))
    assert count == 3


@pytest.mark.parametrize("name, code, dtype", TYPES)
def test_big_endian_encoding(tmp_path, name, code, dtype):
    path = str(tmp_path / "values.bin")
    values = VALUES[name]
    back = lua("""local path, name, a, b, c = ...
       local f = torch.DiskFile(path, 'w'):binary():bigEndianEncoding()
       f['write' .. name](f, torch[name .. 'Storage']({a, b, c}))
       f:close()
       f = torch.DiskFile(path, 'r'):binary():bigEndianEncoding()
       local s = f['read' .. name](f, 3)
       f:close()
       return torch[name .. 'Tensor']():set(s)""", path, name, *values)
    assert open(path, "rb").read() == struct.pack(">3" + code, *values)
    np.testing.assert_array_equal(back.numpy(), np.array(values, dtype=dtype))


def test_four_byte_longs_keep_low_bits_and_sign():
    content = memory_content("""f:binary():longSize(4)
       f:writeLong(-5)
       f:writeLong(torch.LongStorage({7, 2^32 + 3, -2^31}))""")
    assert content == struct.pack("<4i", -5, 7, 3, -2 ** 31)
    back = lua("""local f = torch.MemoryFile():binary():longSize(4)
       f:writeLong(torch.LongStorage({-1, 2147483647, -2147483648}))
       f:seek(1)
       return torch.LongTensor():set(f:readLong(3))""")
    np.testing.assert_array_equal(back.numpy(), [-1, 2147483647, -2147483648])
    with pytest.raises(t7.LuaError, match="Invalid long size specified"):
        lua("torch.MemoryFile():longSize(2)")


@pytest.mark.parametrize("name, code, dtype", TYPES)
def test_ascii_writes_use_the_original_formats(name, code, dtype):
    values = VALUES[name]
    content = memory_content("""local name, a, b, c = ...
       f['write' .. name](f, a)
       f['write' .. name](f, torch[name .. 'Storage']({a, b, c}))
       f:noAutoSpacing()
       f['write' .. name](f, torch[name .. 'Storage']({a, b}))""", name, *values)
    if name in ("Byte", "Char"):      # characters go out as raw bytes, one line per write
        raw = np.array(values, dtype=dtype).tobytes()
        expected = raw[:1] + b"\n" + raw + b"\n" + raw[:2]
    else:
        text = [ascii_value(name, v) for v in values]
        expected = ("%s\n%s\n%s" % (text[0], " ".join(text), "".join(text[:2]))).encode()
    assert content == expected


@pytest.mark.parametrize("name, code, dtype", TYPES)
def test_ascii_reads_disk_and_memory_files(tmp_path, name, code, dtype):
    values = VALUES[name]
    if name in ("Byte", "Char"):
        text = np.array(values, dtype=dtype).tobytes() + b"\n"
    else:   # white space separates numbers (a memory file's reader stops at a tab before a
            # newline, as the original's did)
        text = (" %s\t%s \n %s\n" % tuple(ascii_value(name, v) for v in values)).encode()
    path = str(tmp_path / "values.txt")
    with open(path, "wb") as f:
        f.write(text)
    for opening in ("torch.DiskFile(path, 'r')",
                    "torch.MemoryFile(torch.CharStorage(path_bytes), 'r')"):
        got = lua("""local path, name = ...
           local file = io.open(path, 'rb')
           local bytes = file:read('*a')
           file:close()
           local path_bytes = {}
           for i = 1, #bytes do path_bytes[i] = bytes:byte(i) end
           path_bytes[#path_bytes + 1] = 0
           local f = %s
           local s = f['read' .. name](f, 3)
           return torch[name .. 'Tensor']():set(s), f:hasError()""" % opening, path, name)
        np.testing.assert_array_equal(got[0].numpy(), np.array(values, dtype=dtype))
        assert got[1] is False


def test_memory_file_ascii_separators():
    got = lua("""local f = torch.MemoryFile('rw')
       f:writeString('12:13;14 15\\n')
       f:seek(1)
       return torch.IntTensor(f:readInt(4))""")
    np.testing.assert_array_equal(got.numpy(), [12, 13, 14, 15])


def test_half_values_round_to_nearest_even():
    values = np.random.default_rng(3).standard_normal(200).astype(np.float32) * 1000
    values[:6] = [65504, 65520, 1e-8, 6e-8, -0.0, np.inf]
    halves = lua("""local values = ...
       local f = torch.MemoryFile():binary()
       for i = 1, values:size(1) do f:writeHalf(values[i]) end
       f:seek(1)
       local again = {}
       for i = 1, values:size(1) do again[i] = f:readHalf() end
       f:seek(1)
       return torch.ShortTensor():set(f:readShort(values:size(1))),
              torch.FloatTensor(again)""", t7.from_numpy(values))
    with np.errstate(over="ignore"):      # 65520 and up round to infinity, as intended
        expected = values.astype(np.float16)
    np.testing.assert_array_equal(halves[0].numpy(), expected.view(np.int16))
    np.testing.assert_array_equal(halves[1].numpy(), expected.astype(np.float32))


def test_half_storages_in_ascii_print_the_float_value():
    content = memory_content("""local s = torch.HalfStorage(2)
       local bits = torch.ShortStorage({0x3555, -0x4000})      -- 0.333251953125, -2
       local f2 = torch.MemoryFile():binary()
       f2:writeShort(bits)
       f2:seek(1)
       f2:readHalf(s)
       f:writeHalf(s)""")
    assert content == b"%.9g %.9g\n" % (np.float16(0.33325195), -2.0)


def test_read_errors_are_raised_or_flagged():
    with pytest.raises(t7.LuaError, match="read error: read 1 blocks instead of 3"):
        lua("""local f = torch.MemoryFile():binary()
           f:writeInt(1)
           f:seek(1)
           f:readInt(3)""")
    count, size, flagged, cleared = lua("""local f = torch.MemoryFile():binary():quiet()
       f:writeInt(1)
       f:seek(1)
       local s = f:readInt(3)
       f:seek(1)
       local count = f:readInt(torch.IntStorage(2))
       local flagged = f:hasError()
       f:clearError()
       return count, s:size(), flagged, f:hasError()""")
    assert (count, size, flagged, cleared) == (1, 1, True, False)


def test_reading_more_than_the_file_holds_allocates_only_what_it_holds():
    # 2^50 doubles would be 8 PiB: the storage is sized by the bytes left in the file
    with pytest.raises(t7.LuaError, match="read error: read 1 blocks instead of 1125899906842624"):
        lua("""local f = torch.MemoryFile():binary()
           f:writeDouble(1)
           f:seek(1)
           f:readDouble(2^50)""")
    assert lua("""local f = torch.MemoryFile():binary():quiet()
       f:writeDouble(1.5)
       f:seek(1)
       local s = f:readDouble(2^50)
       return s:size(), s[1]""") == (1, 1.5)


def test_strings_lines_and_rest():
    got = lua("""local f = torch.MemoryFile()
       local n = f:writeString('first line\\n\\nlast')
       f:seek(1)
       local a, b, c = f:readString('*l'), f:readString('*l'), f:readString('*a')
       f:quiet()
       local d = f:readString('*l')
       return n, a, b, c, d, f:hasError()""")
    assert got == (16, "first line", "", "last", "", True)
    with pytest.raises(t7.LuaError, match="read error: read 0 blocks instead of 1"):
        lua("torch.MemoryFile():readString('*a')")
    with pytest.raises(t7.LuaError, match="format must be '\\*a' or '\\*l'"):
        lua("torch.MemoryFile():readString('*n')")


def test_disk_strings(tmp_path):
    path = str(tmp_path / "lines.txt")
    with open(path, "w") as f:
        f.write("alpha\nbeta")
    assert lua("""local f = torch.DiskFile(...)
       local a, b = f:readString('*l'), f:readString('*l')
       f:close()
       return a .. '|' .. b""", path) == "alpha|beta"


def test_positions_seek_and_seek_end(tmp_path):
    path = str(tmp_path / "p.bin")
    for opening in ("torch.DiskFile(path, 'w')", "torch.MemoryFile()"):
        got = lua("""local path = ...
           local f = %s
           f:binary()
           local start = f:position()
           f:writeInt(torch.IntStorage({1, 2, 3}))
           local after = f:position()
           f:seek(5)
           f:writeInt(20)
           f:seekEnd()
           local at_end = f:position()
           f:close()
           return start, after, at_end""" % opening, path)
        assert got == (1, 13, 13)
    assert open(path, "rb").read() == struct.pack("<3i", 1, 20, 3)
    with pytest.raises(t7.LuaError, match="unable to seek at position 99"):
        lua("torch.MemoryFile():seek(100)")
    with pytest.raises(t7.LuaError, match="position has to be greater than 0"):
        lua("torch.MemoryFile():seek(0)")


def test_read_write_mode_on_disk(tmp_path):
    path = str(tmp_path / "rw.bin")
    got = lua("""local f = torch.DiskFile(..., 'rw'):binary():noBuffer()
       f:writeInt(torch.IntStorage({5, 6, 7}))
       assert(f:synchronize() == f)
       f:seek(5)
       local six = f:readInt()
       f:writeInt(70)
       f:seek(1)
       local all = torch.IntTensor(f:readInt(3))
       f:close()
       return six, all""", path)
    assert got[0] == 6
    np.testing.assert_array_equal(got[1].numpy(), [5, 6, 70])


def test_modes_and_misuse(tmp_path):
    path = str(tmp_path / "m.bin")
    with pytest.raises(t7.LuaError, match="file mode should be 'r','w' or 'rw'"):
        lua("torch.DiskFile(..., 'a')", path)
    with pytest.raises(t7.LuaError, match="cannot open <.*nothing.bin> in mode r "):
        lua("torch.DiskFile(...)", str(tmp_path / "nothing.bin"))
    assert lua("return torch.DiskFile(..., 'r', true) == nil", str(tmp_path / "none")) is True
    with pytest.raises(t7.LuaError, match="attempt to read in a write-only file"):
        lua("torch.DiskFile(..., 'w'):readInt()", path)
    with pytest.raises(t7.LuaError, match="attempt to write in a read-only file"):
        lua("torch.DiskFile(..., 'r'):writeInt(1)", path)
    with pytest.raises(t7.LuaError, match="attempt to use a closed file"):
        lua("local f = torch.DiskFile(..., 'w') f:close() f:writeInt(1)", path)
    with pytest.raises(t7.LuaError, match="nothing, number, or IntStorage expected"):
        lua("torch.MemoryFile():readInt('x')")
    with pytest.raises(t7.LuaError, match="number, or FloatStorage expected"):
        lua("torch.MemoryFile():writeFloat(torch.DoubleStorage(2))")
    with pytest.raises(t7.LuaError, match="torch.File is abstract"):
        lua("torch.File()")


def test_flags_and_descriptions(tmp_path):
    path = str(tmp_path / "f.txt")
    got = lua("""local f = torch.DiskFile(..., 'w')
       local before = {f:isBinary(), f:isAutoSpacing(), f:isQuiet(), f:isReadable(),
                       f:isWritable(), f:isReferenced()}
       assert(f:binary() == f and f:noAutoSpacing() == f and f:quiet() == f)
       f:referenced(false)
       local after = {f:isBinary(), f:isAutoSpacing(), f:isQuiet(), f:isReferenced()}
       local open_text = tostring(f)
       f:close()
       return table.concat({tostring(before[1]), tostring(before[2]), tostring(before[3]),
          tostring(before[4]), tostring(before[5]), tostring(before[6]), tostring(after[1]),
          tostring(after[2]), tostring(after[3]), tostring(after[4])}, ' '),
          open_text, tostring(f), tostring(torch.MemoryFile('r'))""", path)
    assert got[0] == "false true false false true true true false true false"
    assert got[1] == "torch.DiskFile on <%s> [status: open -- mode  w]" % path
    assert got[2] == "torch.DiskFile on <%s> [status: closed -- mode  w]" % path
    assert got[3] == "torch.MemoryFile [status: open -- mode: r ]"


def test_memory_file_storage_and_reading_a_given_storage():
    size, last = lua("""local f = torch.MemoryFile():binary()
       f:writeInt(7)
       local s = f:storage()
       return s:size(), s[s:size()]""")
    assert (size, last) == (5, 0)
    assert lua("""local s = torch.CharStorage({49, 50, 0})
       return torch.MemoryFile(s, 'r'):readInt()""") == 12
    with pytest.raises(t7.LuaError, match="provided CharStorage must be terminated by 0"):
        lua("torch.MemoryFile(torch.CharStorage({49, 50}))")


def test_memory_file_survives_its_storage_shrinking():
    got = lua("""local f = torch.MemoryFile():binary()
       f:writeInt(torch.IntStorage(100):fill(3))
       f:storage():resize(9)
       f:seek(1)
       f:quiet()
       local s = f:readInt(100)
       return s:size(), f:hasError()""")
    assert got == (2, True)


def test_pipes(tmp_path):
    path = str(tmp_path / "piped.txt")
    got = lua("""local path = ...
       local f = torch.PipeFile('printf "3 4 5"')
       local values = torch.IntTensor(f:readInt(3))
       f:close()
       local w = torch.PipeFile('cat > ' .. path, 'w')
       w:writeDouble(torch.DoubleStorage({0.5, 2}))
       w:close()
       return values, tostring(w)""", path)
    np.testing.assert_array_equal(got[0].numpy(), [3, 4, 5])
    assert got[1] == "torch.PipeFile on <cat > %s> [status: closed -- mode:  w]" % path
    assert open(path).read() == "0.5 2\n"
    with pytest.raises(t7.LuaError, match="file mode should be 'r','w'"):
        lua("torch.PipeFile('true', 'rw')")


def test_endianness_queries():
    assert lua("return torch.DiskFile.isLittleEndianCPU()") == (struct.pack("=i", 1)[0] == 1)
    assert lua("return torch.DiskFile.isBigEndianCPU()") == (struct.pack("=i", 1)[0] == 0)


def test_bool_reads_and_writes():
    got = lua("""local f = torch.MemoryFile()
       f:writeBool(true)
       f:writeBool(false)
       f:writeInt(2)
       f:seek(1)
       return f:readBool(), f:readBool(), f:readBool()""")
    assert got == (True, False, False)


def test_files_are_closed_by_the_collector(tmp_path):
    path = str(tmp_path / "gc.bin")
    lua("""local f = torch.DiskFile(..., 'w'):binary()
       f:writeInt(42)
       f = nil
       collectgarbage()
       collectgarbage()""", path)
    assert open(path, "rb").read() == struct.pack("<i", 42)
    assert not os.path.exists(path + ".tmp")
