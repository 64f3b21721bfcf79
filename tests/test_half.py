"""HalfTensor and HalfStorage: float16 in 2-byte storage, as the original.

Oracles: numpy's float16 (IEEE binary16, round to nearest even) for the conversions, with the
original's two departures from it written out here: values reach half through float32
(double rounding, as its (float)x), and every NaN becomes the one quiet NaN it produced
(0x7fff as half, 0x7fffffff as float).
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

ALL_TYPES = {"Byte": np.uint8, "Char": np.int8, "Short": np.int16, "Int": np.int32,
             "Long": np.int64, "Float": np.float32, "Double": np.float64}


def every_half_bit_pattern():
    return np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16)


@pytest.mark.parametrize("layout", ["contiguous", "stepped"])   # vector and scalar loops
def test_every_half_widens_exactly_to_float(t7, layout):
    halves = every_half_bit_pattern()
    source = halves.copy() if layout == "contiguous" else np.repeat(halves, 2)[::2]
    widened = t7.lua.execute(
        "return torch.FloatTensor((...):size()):copy(...)", t7.from_numpy(source))
    got = widened.numpy()
    nan = np.isnan(halves)
    np.testing.assert_array_equal(got[~nan].view(np.uint32),
                                  halves[~nan].astype(np.float32).view(np.uint32))
    assert (got[nan].view(np.uint32) == 0x7fffffff).all()


def float_to_half_oracle(values):
    """The original's conversion: to float32 first, then to half with numpy's rounding, NaN
    as 0x7fff."""
    as_float = np.asarray(values).astype(np.float32)
    with np.errstate(over="ignore"):            # beyond 65519: infinity, as intended
        bits = as_float.astype(np.float16).view(np.uint16).copy()
    bits[np.isnan(as_float)] = 0x7fff
    return bits


@pytest.mark.parametrize("layout", ["contiguous", "stepped"])
def test_floats_narrow_to_half_rounding_to_nearest_even(t7, layout):
    rng = np.random.default_rng(0)
    # every exponent, random mantissas, plus the ties and limits where rounding is decided
    patterns = rng.integers(0, 2**32, 200000, dtype=np.uint64).astype(np.uint32)
    edges = np.array([0.0, -0.0, 65504, 65519.99, 65520, 65536, 1e10, -1e10, np.inf, -np.inf,
                      2.0**-24, 2.0**-25, 2.0**-25 * 1.0000001, 3 * 2.0**-26, 2.0**-14,
                      2.0**-14 - 2.0**-25, 1 + 2.0**-11, 1 + 3 * 2.0**-11, 2049, 2051,
                      np.nan], dtype=np.float32)
    floats = np.concatenate([patterns.view(np.float32), edges])
    source = floats if layout == "contiguous" else np.repeat(floats, 2)[::2]
    halves = t7.lua.execute("return torch.HalfTensor((...):size()):copy(...)",
                            t7.from_numpy(source))
    np.testing.assert_array_equal(halves.numpy().view(np.uint16), float_to_half_oracle(floats))


def test_doubles_reach_half_through_float(t7):
    # 1 + 2^-11 + 2^-40 as a double is above the tie between two halves, but its float32
    # rounding lands exactly on the tie, which then goes to the even half (1.0)
    doubles = np.array([1 + 2.0**-11 + 2.0**-40, 2.5, -7.125, 1e-9])
    halves = t7.lua.execute("return torch.HalfTensor(4):copy(...)", t7.from_numpy(doubles))
    np.testing.assert_array_equal(halves.numpy().view(np.uint16), float_to_half_oracle(doubles))
    assert halves.numpy()[0] == 1.0


@settings(max_examples=40, deadline=None)
@given(type_name=st.sampled_from(sorted(ALL_TYPES)), data=st.data())
def test_copies_between_half_and_every_type(t7, type_name, data):
    dtype = ALL_TYPES[type_name]
    lo, hi = (0, 255) if dtype == np.uint8 else (-100, 100)
    values = np.array(data.draw(st.lists(st.integers(lo, hi), min_size=1, max_size=30)),
                      dtype=dtype)
    stepped = np.repeat(values, 2)[::2]          # a strided source
    to_half, back = t7.lua.execute("""
        local src, name = ...
        local h = torch.HalfTensor(src:size()):copy(src)
        return h, torch[name .. 'Tensor']():resizeAs(h):copy(h)
    """, t7.from_numpy(stepped), type_name)
    np.testing.assert_array_equal(to_half.numpy(), values.astype(np.float16))
    np.testing.assert_array_equal(back.numpy(), values)   # small integers are exact halves


def test_half_to_integer_copies_truncate_through_float(lua):
    ints = lua("return torch.IntTensor(3):copy(torch.HalfTensor{-2.75, 2.75, 1000.5})")
    # 1000.5 is a half (spacing 0.5 in [512, 1024)); C's conversion truncates
    assert ints.numpy().tolist() == [-2, 2, 1000]


def test_elements_read_and_write_as_numbers(lua):
    first, changed, stored, through_table = lua("""
        local h = torch.HalfTensor{{1, 2}, {3, 4}}
        local before = h[1][2]
        h[2][1] = 0.1          -- stored as the nearest half
        h[{1, 1}] = 65536      -- beyond the largest half: infinity
        local s = torch.HalfStorage{1.5, -2}
        s[2] = 3.25
        return before, h[2][1], h[{1, 1}], s[2]
    """)
    assert first == 2
    assert changed == float(np.float16(0.1))
    assert stored == float("inf")
    assert through_table == 3.25


def test_printing_shows_the_half_values(lua):
    assert lua("return tostring(torch.HalfTensor{0.5, 1.25})") == \
        " 0.5000\n 1.2500\n[torch.HalfTensor of size 2]\n"
    assert lua("return tostring(torch.HalfStorage{1, 2})") == \
        " 1\n 2\n[torch.HalfStorage of size 2]\n"


def test_views_fill_clone_and_type_conversions(lua):
    filled, cloned, as_double, back, size = lua("""
        local h = torch.zeros(2, 3):half()
        h:select(1, 2):fill(7)
        local c = h:t():clone()
        return h, c, h:double(), torch.rand(4):half():real():type(), h:elementSize()
    """)
    np.testing.assert_array_equal(filled.numpy(), [[0, 0, 0], [7, 7, 7]])
    np.testing.assert_array_equal(cloned.numpy(), [[0, 7], [0, 7], [0, 7]])
    np.testing.assert_array_equal(as_double.numpy(), [[0, 0, 0], [7, 7, 7]])
    assert back == "torch.DoubleTensor"
    assert size == 2


def test_numpy_shares_half_memory(t7):
    a = np.array([1.5, 2.5], dtype=np.float16)
    t7.lua.execute("local h = ...; h[1] = -3", t7.from_numpy(a))
    assert a.tolist() == [-3.0, 2.5]


def test_operators_a_script_puts_in_the_half_class_are_used(lua):
    # the original's test file gives HalfTensor a subtraction this way at load time
    difference = lua("""
        local old = rawget(torch.getmetatable('torch.HalfTensor'), '__sub')
        function torch.HalfTensor:__sub(other)
           return (self:real() - other:real()):half()
        end
        local d = torch.HalfTensor{3, 4} - torch.HalfTensor{1, 1.5}
        torch.getmetatable('torch.HalfTensor').__sub = old
        return d
    """)
    assert difference.numpy().tolist() == [2.0, 2.5]


def test_half_refuses_what_the_original_refused(t7, lua):
    with pytest.raises(t7.LuaError, match="ByteTensor based indexing not yet supported"):
        lua("return torch.HalfTensor(3)[torch.ByteTensor{1, 0, 1}]")
    with pytest.raises(t7.LuaError, match="attempt to call method 'apply'"):
        lua("torch.HalfTensor(3):apply(function() end)")


def test_index_copy_and_fill_move_half_values(lua):
    picked, transposed, copied, filled = lua("""
        local h = torch.HalfTensor{{1, 2}, {3, 4}, {5, 6}}
        local rows = torch.LongTensor{3, 1}
        return h:index(1, rows), h:t():index(2, rows),
               h:clone():indexCopy(1, rows, torch.HalfTensor{{-1, -2}, {0.5, 0.25}}),
               h:clone():indexFill(2, torch.LongTensor{2}, 0.1)
    """)
    assert picked.numpy().tolist() == [[5, 6], [1, 2]]       # contiguous: the fast path
    assert transposed.numpy().tolist() == [[5, 1], [6, 2]]   # a view: slice by slice
    assert copied.numpy().tolist() == [[0.5, 0.25], [3, 4], [-1, -2]]
    np.testing.assert_array_equal(filled.numpy(), np.float16([[1, 0.1], [3, 0.1], [5, 0.1]]))
