"""The .t7 object format: files written by the original Torch7 load with the contents their
README gives and save back to the same bytes; every type and structure round-trips in
binary and ascii; the layout matches an independent encoder written here with struct;
shared objects stay shared; functions are refused unless allowed; unknown classes are
named with their place; saves are atomic; t7.load/t7.save from Python."""
import os
import struct

import numpy as np
import pytest

import torch7_compat as t7
from conftest import SHARED_T7, python_env, run_th

REFERENCE = os.path.join(SHARED_T7, "reference")
LEGACY = os.path.join(SHARED_T7, "legacy")


def lua(code, *args):
    return t7.lua.execute("require 'torch'\n" + code, *args)


def original(*parts):
    return os.path.join(SHARED_T7, *parts)


def file_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def lua_bytes(expression, *args):
    """The bytes of the Lua string an expression gives (binary strings stay in Lua)."""
    tensor = lua("""local s = %s
       if #s == 0 then return nil end
       local c = torch.CharStorage(#s)
       require('ffi').copy(c:data(), s, #s)
       return torch.CharTensor(c)""" % expression, *args)
    return b"" if tensor is None else np.asarray(tensor.numpy()).tobytes()


# ------------------------------------------------------------------------------------------
# files written by the original

# name: (type, sizes, strides, Lua storageOffset, sum, first element)
REFERENCE_TENSORS = {
    "tensor_double": ("torch.DoubleTensor", [2, 3], [3, 1], 1, 0.255, 1.5),
    "tensor_double_rand": ("torch.DoubleTensor", [3, 4], [4, 1], 1, 1.290925731,
                           -2.971829031),
    "tensor_float": ("torch.FloatTensor", [5], [1], 1, 1e10, float(np.float32(0.1))),
    "tensor_float_3d": ("torch.FloatTensor", [2, 3, 4], [12, 4, 1], 1, 12.01487654, None),
    "tensor_long": ("torch.LongTensor", [5], [1], 1, 1065151889414, -1),
    "tensor_int": ("torch.IntTensor", [2, 2], [2, 1], 1, 5, -2147483647),
    "tensor_short": ("torch.ShortTensor", [4], [1], 1, 11, -32768),
    "tensor_char": ("torch.CharTensor", [3], [1], 1, 64, -128),
    "tensor_byte": ("torch.ByteTensor", [4], [1], 1, 384, 0),
    "tensor_transposed": ("torch.DoubleTensor", [6, 4], [1, 6], 1, 300, None),
    "tensor_narrowed": ("torch.DoubleTensor", [4, 3], [6, 1], 2, 144, None),
    "tensor_selected_column": ("torch.DoubleTensor", [4], [6], 4, 52, None),
    "tensor_expanded": ("torch.DoubleTensor", [3, 4], [1, 0], 1, 24, None),
    "tensor_scalar_like": ("torch.DoubleTensor", [1], [1], 1, 42, 42),
}


def describe(t):
    return lua("""local t = ...
       return torch.type(t), t:size():totable(), t:stride():totable(), t:storageOffset()""", t)


@pytest.mark.parametrize("name", sorted(REFERENCE_TENSORS))
def test_reference_tensors(name):
    kind, sizes, strides, offset, total, first = REFERENCE_TENSORS[name]
    t = t7.load(os.path.join(REFERENCE, name + ".t7"))
    got_kind, got_sizes, got_strides, got_offset = describe(t)
    assert got_kind == kind
    assert list(got_sizes.values()) == sizes and list(got_strides.values()) == strides
    assert got_offset == offset
    values = t.numpy().astype(np.float64)
    assert values.sum() == pytest.approx(total, rel=1e-9)
    if first is not None:
        assert values.flat[0] == pytest.approx(first, rel=1e-9)


def test_reference_empty_tensor_and_storages():
    assert lua("return torch.load(...):dim()", original("reference", "tensor_empty.t7")) == 0
    floats = lua("return torch.load(...):totable()", original("reference", "storage_float.t7"))
    longs = lua("return torch.load(...):totable()", original("reference", "storage_long.t7"))
    assert list(floats.values()) == [1.25, -2.5, 3.75]
    assert list(longs.values()) == [3, 1, 4, 1, 5]


def test_reference_table_of_tensors_keeps_the_shared_storage():
    got = lua("""local all = torch.load(...)
       local s = all.transposed:storage()
       return all.narrowed:storage():data() == s:data(),
              all.selected_column:storage():data() == s:data(),
              all.double:storage():data() == s:data(), all.long:sum(), all.expanded:sum()""",
              original("reference", "tensors_all.t7"))
    assert got == (True, True, False, 1065151889414, 24)


@pytest.mark.parametrize("name, mode", [("table_mixed.t7", "binary"),
                                        ("table_mixed_ascii.t7", "ascii")])
def test_reference_mixed_table(name, mode):
    got = lua("""local x = torch.load(...)
       local list = x.list
       return x.name, x.count, x.ratio, x.flag, x.off, list[1], list[2], list[3],
              list[4].nested, rawequal(list[5], list), rawequal(x.self, x),
              x.matrix == x.same_matrix, x.matrix:sum(), x.row:totable()[1],
              x.row:storage():data() == x.matrix:storage():data(), torch.type(x.float),
              x.float:sum(), x[7], x[2.5]""", original("reference", name), mode)
    assert got == ("mixed table", 42, -0.125, True, False, 10, 20, "thirty", "deep", True, True,
                   True, 21, 4, True, "torch.FloatTensor", 4, "numeric key", "fractional key")


def test_reference_four_byte_longs():
    got = lua("""local x = torch.load(..., 'b32')
       return x.name, x.t:sum(), x.t:size(2), x.l:totable()[2]""",
              original("reference", "long4_table.t7"))
    assert got == ("four-byte longs", 21, 3, -8)
    with pytest.raises(t7.LuaError):
        lua("torch.load(...)", original("reference", "long4_table.t7"))   # read as 8-byte


@pytest.mark.parametrize("parts, check", [
    (("legacy", "torchfile", "doubletensor.t7"), "x:sum() == 21.9 and x[2][3] == 6.9"),
    (("legacy", "torchfile", "floattensor.t7"), "math.abs(x:sum() - 12.97241667) < 1e-5"),
    (("legacy", "torchfile", "hello=123.t7"), "x.hello == 123"),
    (("legacy", "torchfile", "list_table.t7"),
     "#x == 4 and x[1] == 'hello' and x[3] == 'third item' and x[4] == 123"),
    (("legacy", "torchfile", "map_table1.t7"), "x[0] == 'zero' and x[1] == 'hello' and #x == 4"),
    (("legacy", "torchfile", "map_table2.t7"), "x.a == 'non number key' and x[4] == 123"),
    (("legacy", "torchfile", "recursive_kv_table.t7"),
     "next(x) == x and x[x] == x and next(x, x) == nil"),
    (("legacy", "torchfile", "tds_hash.t7"), "torch.type(x) == 'tds.Hash' and "
     "#x == 3 and x[1] == 2 and x[2] == 3 and x[10] == 11"),
    (("legacy", "torchfile", "tds_vec.t7"), "torch.type(x) == 'tds.Vec' and #x == 2 and "
     "x[1] == 123 and x[2] == 456"),
    (("legacy", "tutorials", "X.t7"), "x:size(1) == 32 and x:size(2) == 32 and x:sum() == 769"),
    (("legacy", "rnn", "mnistsample.t7"),
     "torch.type(x) == 'torch.FloatTensor' and x:dim() == 4 "
     "and math.abs(x:sum() - 1656.55) < 0.01"),
])
def test_legacy_files(parts, check):
    assert lua("local x = torch.load(...)\nreturn " + check, original(*parts)) is True


ROUND_TRIP_FILES = [
    ("reference", name) for name in sorted(os.listdir(REFERENCE))
    if name.endswith(".t7") and name not in ("long4_table.t7", "table_mixed_ascii.t7",
                                              "cudnn_cnn.t7")
] + [("legacy", "torchfile", name) for name in
     ("doubletensor.t7", "floattensor.t7", "hello=123.t7", "list_table.t7", "map_table1.t7",
      "map_table2.t7", "recursive_kv_table.t7", "tds_hash.t7", "tds_vec.t7")] + [
    ("legacy", "tutorials", "X.t7"), ("legacy", "rnn", "mnistsample.t7")]


@pytest.mark.parametrize("parts", ROUND_TRIP_FILES, ids="/".join)
def test_saving_what_was_loaded_gives_the_same_bytes(tmp_path, parts):
    path = str(tmp_path / "again.t7")
    lua("require 'nn'\nlocal source, target = ...\ntorch.save(target, torch.load(source))",
        original(*parts), path)
    assert file_bytes(path) == file_bytes(original(*parts))


def test_ascii_and_four_byte_files_save_back_the_same():
    ascii_again = lua_bytes("torch.serialize(torch.load(..., 'ascii'), 'ascii')",
                            original("reference", "table_mixed_ascii.t7"))
    assert ascii_again == file_bytes(original("reference", "table_mixed_ascii.t7"))
    four_again = lua_bytes("""(function(path)
          local f = torch.MemoryFile():binary():longSize(4)
          f:writeObject(torch.load(path, 'b32'))
          local s = f:storage()
          return s:string():sub(1, -2)
       end)(...)""", original("reference", "long4_table.t7"))
    assert four_again == file_bytes(original("reference", "long4_table.t7"))


# ------------------------------------------------------------------------------------------
# the layout, against an encoder written here

def i4(v):
    return struct.pack("<i", v)


def chars(s):
    return i4(len(s)) + s


def number(v):
    return i4(1) + struct.pack("<d", v)


def test_layout_of_a_table_matches_an_independent_encoder():
    got = lua_bytes("torch.serialize({3.5, 'ab', true, {}})")
    expected = (i4(3) + i4(1) + i4(4)
                + number(1) + number(3.5)
                + number(2) + i4(2) + chars(b"ab")
                + number(3) + i4(5) + i4(1)
                + number(4) + i4(3) + i4(2) + i4(0))
    assert got == expected


def test_layout_of_shared_tensors_and_their_storage():
    got = lua_bytes("""(function()
          local t = torch.FloatTensor({{1, 2}, {3, 4}})
          return torch.serialize({t, t, t:select(1, 2)})
       end)()""")
    storage = (i4(4) + i4(3) + chars(b"V 1") + chars(b"torch.FloatStorage")
               + struct.pack("<q4f", 4, 1, 2, 3, 4))
    first = (i4(4) + i4(2) + chars(b"V 1") + chars(b"torch.FloatTensor") + i4(2)
             + struct.pack("<5q", 2, 2, 2, 1, 1) + storage)
    row = (i4(4) + i4(4) + chars(b"V 1") + chars(b"torch.FloatTensor") + i4(1)
           + struct.pack("<3q", 2, 1, 3) + i4(4) + i4(3))
    expected = (i4(3) + i4(1) + i4(3) + number(1) + first + number(2) + i4(4) + i4(2)
                + number(3) + row)
    assert got == expected


def test_ascii_layout_of_a_tensor():
    # TORCH7_NOTES §1's example
    assert lua_bytes("torch.serialize(torch.Tensor({1, 2}), 'ascii')") == (
        b"4\n1\n3\nV 1\n18\ntorch.DoubleTensor\n1\n2\n1\n1\n4\n2\n3\nV 1\n19\n"
        b"torch.DoubleStorage\n2\n1 2\n")


# ------------------------------------------------------------------------------------------
# round trips

ROUND_TRIP = """
local mode = ...
local function same(a, b, seen)
   seen = seen or {}
   if type(a) ~= type(b) then return false end
   if torch.isTensor(a) then
      return torch.type(a) == torch.type(b) and a:dim() == b:dim()
         and (a:dim() == 0 or (a:isSameSizeAs(b) and same(a:totable(), b:totable())))
   end
   if torch.isStorage(a) then
      if a:size() ~= b:size() or torch.type(a) ~= torch.type(b) then return false end
      for i = 1, a:size() do
         if a[i] ~= b[i] and (a[i] == a[i] or b[i] == b[i]) then return false end
      end
      return true
   end
   if type(a) ~= 'table' then return a == b or (a ~= a and b ~= b) end
   if seen[a] then return seen[a] == b end
   seen[a] = b
   for k, v in pairs(a) do
      local other = type(k) == 'table' and nil or b[k]
      if type(k) ~= 'table' and not same(v, other, seen) then return false end
   end
   return true
end
"""

VALUES = [
    "nil", "0", "-0.0", "1/0", "-1/0", "2^53 + 2", "4.9e-324", "-1.7976931348623157e308",
    "0.1", "true", "false", "''", "'with\\0nul\\nand newline'", "string.rep('x', 100000)",
    "{}", "{1, 2, {3, {4}}}", "{a = 1, [2.5] = 'b', [-7] = true, [true] = 'yes'}",
    "torch.DoubleTensor(2, 3):uniform()", "torch.FloatTensor(4):fill(0.1)",
    "torch.LongTensor({2^40, -3})", "torch.IntTensor({-5, 7})", "torch.ShortTensor({1, -2})",
    "torch.CharTensor({-128, 127})", "torch.ByteTensor({0, 255})", "torch.DoubleTensor()",
    "torch.DoubleTensor(3, 4):uniform():t()", "torch.DoubleTensor(5, 6):uniform()[{{2, 3}, 4}]",
    "torch.DoubleTensor(3):fill(2):view(3, 1):expand(3, 4)",
    "torch.DoubleStorage({1, 0/0, -1/0})", "torch.LongStorage({2^50})", "torch.CharStorage()",
]


@pytest.mark.parametrize("mode", ["binary", "ascii"])
@pytest.mark.parametrize("value", VALUES)
def test_round_trips(mode, value):
    assert lua(ROUND_TRIP + """
       local x = %s
       return same(x, torch.deserialize(torch.serialize(x, mode), mode))""" % value, mode)


@pytest.mark.parametrize("mode", ["binary", "ascii"])
def test_shared_objects_and_cycles_stay_shared(mode):
    got = lua("""local mode = ...
       local t = torch.DoubleTensor(4, 5):uniform()
       local x = {t = t, again = t, view = t:narrow(2, 2, 3), key = {}}
       x.self = x
       x[x.key] = x.key
       x.cycle = {x}
       local y = torch.deserialize(torch.serialize(x, mode), mode)
       y.view:fill(7)
       return rawequal(y.t, y.again) or y.t == y.again, y.t:storage():data() ==
          y.view:storage():data(), y.t[1][2], rawequal(y.self, y), rawequal(y[y.key], y.key),
          rawequal(y.cycle[1], y)""", mode)
    assert got == (True, True, 7, True, True, True)


def test_unreferenced_files_duplicate_shared_objects():
    got = lua("""local t = torch.Tensor(3):zero()
       local f = torch.MemoryFile():binary():referenced(false)
       f:writeObject({t, t})
       f:seek(1)
       local y = f:readObject()
       y[1][1] = 5
       return y[2][1], f:isReferenced()""")
    assert got == (0, False)


def test_indices_continue_across_calls_on_one_file():
    got = lua("""local t = torch.Tensor(2):fill(3)
       local f = torch.MemoryFile():binary()
       f:writeObject(t)
       f:writeObject(t)
       f:seek(1)
       local a, b = f:readObject(), f:readObject()
       return a == b, f:storage():size()""")
    assert got[0] is True
    assert got[1] < 2 * 150        # the second write is a reference, a few bytes


def test_generator_state_round_trips():
    got = lua("""local g = torch.Generator()
       torch.manualSeed(g, 99)
       torch.random(g)
       local copy = torch.deserialize(torch.serialize(g))
       return torch.random(g), torch.random(copy), torch.type(copy)""")
    assert got[0] == got[1] and got[2] == "torch.Generator"


def test_half_storage_round_trips_raw():
    assert lua("""local s = torch.HalfStorage(3)
       local bits = torch.ShortStorage({0x3c00, -0x4000, 0x7bff})
       local f = torch.MemoryFile():binary()
       f:writeShort(bits)
       f:seek(1)
       f:readHalf(s)
       local back = torch.deserialize(torch.serialize(s))
       local f2 = torch.MemoryFile():binary()
       f2:writeHalf(back)
       f2:seek(1)
       local again = f2:readShort(3)
       return again[1] == 0x3c00 and again[2] == -0x4000 and again[3] == 0x7bff""")


# ------------------------------------------------------------------------------------------
# classes

CLASSES = """
local hooks = {}
if not torch.getmetatable('SerialTest.Plain') then
   local Plain = torch.class('SerialTest.Plain')
   function Plain:__init(v) self.v = v end
   local Custom = torch.class('SerialTest.Custom')
   Custom.__version = 3
   function Custom:write(file)
      file:writeInt(#self.items)
      for _, item in ipairs(self.items) do file:writeObject(item) end
   end
   function Custom:read(file, version)
      self.version_read = version
      self.items = {}
      for i = 1, file:readInt() do self.items[i] = file:readObject() end
   end
   local Child = torch.class('SerialTest.Child', 'SerialTest.Custom')
end
"""


def test_class_instances_with_and_without_hooks():
    got = lua(CLASSES + """
       local plain = SerialTest.Plain({1, 2})
       local custom = SerialTest.Custom()
       custom.items = {plain, 'x', plain}
       local child = SerialTest.Child()
       child.items = {}
       local y = torch.deserialize(torch.serialize({custom, child, plain}))
       return torch.type(y[1]), y[1].version_read, torch.type(y[1].items[1]),
          rawequal(y[1].items[1], y[3]), y[3].v[2], torch.type(y[2]), y[2].version_read,
          #torch.serialize(custom) > 0""")
    # versions: the class's own __version; an unset one is 1 (not inherited)
    assert got == ("SerialTest.Custom", 3, "SerialTest.Plain", True, 2, "SerialTest.Child", 1,
                   True)


def test_version_zero_files_name_the_class_first():
    # files from before versions held the class name where the version string now is
    data = i4(4) + i4(1) + chars(b"SerialTest.Custom") + i4(0)
    got = lua(CLASSES + """local data = ...
       local x = torch.deserialize(data)
       return torch.type(x), x.version_read, #x.items""", data)
    assert got == ("SerialTest.Custom", 0, 0)


def test_unwritable_objects_and_fields():
    with pytest.raises(t7.LuaError, match=r"Unwritable object <userdata> at <\?>\.inner\.u"):
        lua("torch.serialize({inner = {u = io.stdout}})")
    output = lua(CLASSES + """
       local p = SerialTest.Plain(coroutine.create(function() end))
       local printed = {}
       local print_ = print
       print = function(s) printed[#printed + 1] = s end
       local y = torch.deserialize(torch.serialize(p))
       print = print_
       return printed[1], y.v == nil""")
    assert output == ("$ Warning: cannot write object field <v> of <SerialTest.Plain> <?>", True)


def test_write_hooks_replace_objects():
    got = lua(CLASSES + """
       local f = torch.MemoryFile():binary()
       local p = SerialTest.Plain(1)
       f:writeObject({p, p}, nil, function(o)
          if torch.type(o) == 'SerialTest.Plain' then return SerialTest.Plain(o.v + 1) end
          return o
       end)
       f:seek(1)
       local y = f:readObject()
       return y[1].v, rawequal(y[1], y[2])""")
    assert got == (2, True)


def test_unknown_classes_are_named_with_their_place():
    with pytest.raises(t7.LuaError, match=r"unknown Torch class <Blah> .* at <\?>\n"):
        lua("torch.load(...)", original("legacy", "torchfile", "custom_class.t7"))
    data = (i4(3) + i4(1) + i4(1) + i4(2) + chars(b"deep") + i4(3) + i4(2) + i4(1)
            + number(1) + i4(4) + i4(3) + chars(b"V 2") + chars(b"no.Such") + i4(0))
    with pytest.raises(t7.LuaError, match=r"unknown Torch class <no\.Such> .* at <\?>\.deep\.1\n"):
        t7.loads(data)


def test_unknown_classes_as_plain_tables_save_back_the_same(tmp_path):
    path = str(tmp_path / "again.t7")
    got = lua("""local source, target = ...
       local x = torch.load(source, nil, nil, {unknownClasses = 'table'})
       torch.save(target, x)
       return torch.serialization.unknownClassOf(x), rawequal(x.a, x), torch.typename(x) == nil""",
              original("legacy", "torchfile", "recursive_class.t7"), path)
    assert got == ("A", True, True)
    assert file_bytes(path) == file_bytes(original("legacy", "torchfile", "recursive_class.t7"))


def test_substitutes_map_old_class_names():
    data = i4(4) + i4(1) + chars(b"V 1") + chars(b"old.Plain") + i4(3) + i4(2) + i4(1) \
        + i4(2) + chars(b"v") + number(5)
    got = lua(CLASSES + """local data = ...
       torch.serialization.substitute('old.Plain', 'SerialTest.Plain',
          function(o) o.v = o.v * 2 end)
       local x = torch.deserialize(data)
       return torch.type(x), x.v""", data)
    assert got == ("SerialTest.Plain", 10)


# ------------------------------------------------------------------------------------------
# functions

def test_functions_in_files_are_refused_with_their_place():
    path = original("legacy", "torchfile", "function.t7")
    with pytest.raises(t7.LuaError, match=r"holds a Lua function.*allowFunctions.* at <\?>\n"):
        t7.load(path)
    nested = i4(3) + i4(100) + i4(1) + i4(2) + chars(b"f") + file_bytes(path)
    with pytest.raises(t7.LuaError, match=r"holds a Lua function.* at <\?>\.f\n"):
        t7.loads(nested)


def test_allowed_foreign_bytecode_cannot_run_and_saves_back(tmp_path):
    for name in ("function.t7", "function_upvals.t7"):
        source, target = original("legacy", "torchfile", name), str(tmp_path / name)
        message = lua("""local source, target = ...
           local f = torch.load(source, nil, nil, {allowFunctions = true})
           torch.save(target, f)
           local ok, message = pcall(f)
           return message""", source, target)
        assert "LuaJIT 2.0 bytecode" in message
        assert file_bytes(target) == file_bytes(source)


def test_closures_round_trip_within_a_session():
    got = lua("""local shared = 10
       local t = {}
       function t.add(n) shared = shared + n return shared end
       function t.get() return shared end
       local y = torch.deserialize(torch.serialize(t))
       y.add(5)
       return y.get(), t.get()""")
    assert got == (15, 10)


def test_functions_from_another_process_need_the_opt_in(tmp_path):
    path = str(tmp_path / "f.t7")
    lua("torch.save(..., {f = function(a) return a * 3 end})", path)
    script = tmp_path / "load.lua"
    script.write_text("local ok, x = pcall(torch.load, arg[1])\n"
                      "print(ok)\n"
                      "local y = torch.load(arg[1], nil, nil, {allowFunctions = true})\n"
                      "print(y.f(14))\n")
    result = run_th(str(script), path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["false", "42"]
    script.write_text("print(torch.load(arg[1]).f(2))\n")
    everything = run_th(str(script), path, env=python_env(TORCH7_COMPAT_ALLOW_FUNCTIONS="1"))
    assert everything.stdout.split() == ["6"], everything.stderr


# ------------------------------------------------------------------------------------------
# hostile files

HOSTILE = {
    "a string longer than the file": i4(2) + i4(2 ** 31 - 1) + b"abc",
    "a negative string length": i4(2) + i4(-5),
    "a storage claiming 2^60 elements": i4(4) + i4(1) + chars(b"V 1")
    + chars(b"torch.DoubleStorage") + struct.pack("<q", 2 ** 60),
    "a tensor of 1000 dimensions": i4(4) + i4(1) + chars(b"V 1") + chars(b"torch.DoubleTensor")
    + i4(1000),
    "a tensor reaching beyond its storage": i4(4) + i4(1) + chars(b"V 1")
    + chars(b"torch.DoubleTensor") + i4(1) + struct.pack("<3q", 3, 2 ** 62, 1) + i4(4) + i4(2)
    + chars(b"V 1") + chars(b"torch.DoubleStorage") + struct.pack("<q3d", 3, 1, 2, 3),
    "a tensor over a storage of another type": i4(4) + i4(1) + chars(b"V 1")
    + chars(b"torch.DoubleTensor") + i4(1) + struct.pack("<3q", 1, 1, 1) + i4(4) + i4(2)
    + chars(b"V 1") + chars(b"torch.FloatStorage") + struct.pack("<qf", 1, 1),
    "a tensor whose storage is a string": i4(4) + i4(1) + chars(b"V 1")
    + chars(b"torch.DoubleTensor") + i4(1) + struct.pack("<3q", 1, 1, 1) + i4(2) + chars(b"x"),
    "an unknown tag": i4(77),
    "a table of a billion entries": i4(3) + i4(1) + i4(10 ** 9) + number(1),
    "a nil key": i4(3) + i4(1) + i4(1) + i4(0) + number(1),
    "an empty file": b"",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_give_clear_errors(case):
    with pytest.raises(t7.LuaError) as info:
        t7.loads(HOSTILE[case])
    message = str(info.value)
    assert "corrupt" in message or "read error" in message or "remain" in message


def test_nans_that_luajit_would_misread_come_back_as_nans():
    # LuaJIT stores its other types in negative NaNs' bits: these must not reach Lua as they are
    doubles = struct.pack("<3Q", 0xfffdffffffffff00, 0xfff8000000000000, 0x7ff8000000000001)
    floats = struct.pack("<2I", 0xffffffff, 0x7fc00001)
    data = (i4(3) + i4(1) + i4(3) + number(1) + i4(4) + i4(2) + chars(b"V 1")
            + chars(b"torch.DoubleStorage") + struct.pack("<q", 3) + doubles
            + number(2) + i4(4) + i4(3) + chars(b"V 1") + chars(b"torch.FloatStorage")
            + struct.pack("<q", 2) + floats + number(3) + i4(1) + doubles[:8])
    got = lua("""local x = torch.deserialize(...)
       local values = {x[1][1], x[1][2], x[1][3], x[2][1], x[2][2], x[3]}
       local kinds = {}
       for i, v in ipairs(values) do kinds[i] = type(v) .. tostring(v ~= v) end
       return table.concat(kinds, ' ')""", data)
    assert got == " ".join(["numbertrue"] * 6)


def test_every_truncation_of_a_real_file_is_an_error():
    data = file_bytes(original("reference", "table_mixed.t7"))
    failures = lua("""local data = ...
       local errors = 0
       for n = 0, #data - 1 do
          if not pcall(torch.deserialize, data:sub(1, n)) then errors = errors + 1 end
       end
       return errors""", data)
    assert failures == len(data)


def test_deep_nesting_is_an_error_not_a_crash():
    depth = 200000
    data = b"".join(i4(3) + i4(n + 1) + i4(1) + number(1) for n in range(depth)) + i4(0)
    with pytest.raises(t7.LuaError, match="nests objects too deeply"):
        t7.loads(data)


# ------------------------------------------------------------------------------------------
# saving

def test_a_failed_save_leaves_the_old_file(tmp_path):
    path = str(tmp_path / "model.t7")
    lua("torch.save(..., {version = 1})", path)
    before = file_bytes(path)
    with pytest.raises(t7.LuaError, match="failing in the middle"):
        lua("""if not torch.getmetatable('SerialTest.Broken') then
              local Broken = torch.class('SerialTest.Broken')
              function Broken:write(file)
                 file:writeString(string.rep('x', 100000))
                 error('failing in the middle')
              end
           end
           torch.save(..., {version = 2, SerialTest.Broken()})""", path)
    assert file_bytes(path) == before
    assert os.listdir(str(tmp_path)) == ["model.t7"]


def test_a_save_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    path = str(tmp_path / "private.t7")
    lua("torch.save(..., 1)", path)
    os.chmod(path, 0o640)
    lua("torch.save(..., 2)", path)
    assert os.stat(path).st_mode & 0o7777 == 0o640
    fresh = str(tmp_path / "fresh.t7")
    umask = os.umask(0o22)
    os.umask(umask)
    lua("torch.save(..., 3)", fresh)
    assert os.stat(fresh).st_mode & 0o7777 == 0o666 & ~umask


def test_saving_through_a_link_replaces_its_target(tmp_path):
    target, link = str(tmp_path / "real.t7"), str(tmp_path / "link.t7")
    lua("torch.save(..., 1)", target)
    os.symlink(target, link)
    lua("torch.save(..., 2)", link)
    assert os.path.islink(link)
    assert lua("return torch.load(...)", target) == 2


def test_saving_to_a_device_writes_directly():
    lua("torch.save('/dev/null', {1, 2, 3})")


def test_serialize_to_storage_has_the_file_size(tmp_path):
    path = str(tmp_path / "s.t7")
    size = lua("torch.save(..., {a = 'b'}) return torch.serializeToStorage({a = 'b'}):size()",
               path)
    assert size == os.path.getsize(path)
    assert lua("return torch.deserializeFromStorage(torch.serializeToStorage({a = 'b'})).a") \
        == "b"


# ------------------------------------------------------------------------------------------
# from Python

def test_python_load_and_save(tmp_path):
    path = tmp_path / "arrays.t7"
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    t7.save(path, {"x": x, "labels": [1, 2, 3], "name": "set", "nested": {"y": np.ones(2)}})
    back = t7.load(path)
    assert sorted(back.keys()) == ["labels", "name", "nested", "x"]
    np.testing.assert_array_equal(back["x"].numpy(), x)
    assert back["x"].dtype == np.float32
    assert [v for _, v in back["labels"].items()] == [1, 2, 3]
    assert back["name"] == "set"
    np.testing.assert_array_equal(back["nested"]["y"].numpy(), np.ones(2))
    assert lua("return torch.type(torch.load(...).x)", str(path)) == "torch.FloatTensor"


def test_python_bytes_and_options():
    data = t7.dumps({"a": 1.5})
    assert data == lua_bytes("torch.serialize({a = 1.5})")
    assert t7.loads(data)["a"] == 1.5
    assert t7.loads(t7.dumps([4, 5], format="ascii"), format="ascii")[2] == 5
    four = file_bytes(original("reference", "long4_table.t7"))
    assert t7.loads(four, format="b32")["name"] == "four-byte longs"
    blah = t7.load(original("legacy", "torchfile", "custom_class.t7"), unknown_classes="table")
    assert lua("return torch.serialization.unknownClassOf(...)", blah) == "Blah"
    f = t7.load(original("legacy", "torchfile", "function.t7"), allow_functions=True)
    with pytest.raises(t7.LuaError, match="cannot run"):
        f()


def test_python_argument_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        t7.load(tmp_path / "missing.t7")
    with pytest.raises(ValueError, match="format"):
        t7.load(original("reference", "tensor_double.t7"), format="text")
    with pytest.raises(ValueError, match="unknown_classes"):
        t7.loads(b"", unknown_classes="ignore")
    with pytest.raises(ValueError, match="format"):
        t7.save(tmp_path / "x.t7", 1, format="b32")
