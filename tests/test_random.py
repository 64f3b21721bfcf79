"""The random generator reproduces the original's numbers bit for bit.

Oracles: the vectors the original printed (TORCH7_NOTES.md §2), numpy's RandomState (the
same MT19937 with the same init_genrand seeding) for the raw 32-bit stream, and the sum of a
tensor that the original saved (../shared/t7/reference/tensor_double_rand.t7: randn(3, 4)
after manualSeed(1) sums to 1.290925731).
"""
import math

import numpy as np
import pytest


def test_seed_one_vectors_of_the_original(lua):
    random3, rand3, randn4, perm = lua("""
        torch.manualSeed(1)
        local r = {torch.random(), torch.random(), torch.random()}
        torch.manualSeed(1)
        local u = torch.rand(3)
        torch.manualSeed(1)
        local n = torch.randn(4)
        torch.manualSeed(1)
        return r, u, n, torch.randperm(5)
    """)
    assert list(random3.values()) == [1791095845, 4282876139, 3093770124]
    assert rand3.numpy().tolist() == [0.4170219984371215, 0.99718480813317, 0.720324489288032]
    assert randn4.numpy().tolist() == [-2.9718290309304063, 1.7069510634116105,
                                       -0.430498971038916, -2.282022417030148]
    assert perm.numpy().tolist() == [1, 5, 3, 4, 2]


@pytest.mark.parametrize("seed", [0, 1, 123456789, 2**32 + 5])
def test_raw_stream_equals_mt19937_across_state_refills(lua, seed):
    draws = lua("""
        torch.manualSeed(...)
        local t = torch.LongTensor(2000)
        for i = 1, 2000 do t[i] = torch.random() end
        return t
    """, seed)
    expected = np.random.RandomState(seed & 0xffffffff).randint(0, 2**32, 2000, dtype=np.uint64)
    np.testing.assert_array_equal(draws.numpy().astype(np.uint64), expected)


def test_uniform_uses_one_32_bit_word_per_draw(lua):
    values = lua("torch.manualSeed(7); return torch.Tensor(5):uniform(-2, 3)")
    words = np.random.RandomState(7).randint(0, 2**32, 5, dtype=np.uint64)
    np.testing.assert_array_equal(values.numpy(), words * 2.0**-32 * 5 - 2)


def test_normal_box_muller_with_cache(lua):
    values = lua("torch.manualSeed(3); return torch.Tensor(4):normal(1, 2)")
    w = np.random.RandomState(3).randint(0, 2**32, 4, dtype=np.uint64) * 2.0**-32
    expected = []
    for x, y in ((w[0], w[1]), (w[2], w[3])):
        rho = math.sqrt(-2 * math.log(1 - y))
        expected += [rho * math.cos(2 * math.pi * x) * 2 + 1, rho * math.sin(2 * math.pi * x) * 2 + 1]
    np.testing.assert_allclose(values.numpy(), expected, rtol=0, atol=1e-15)


def test_randn_matches_the_tensor_the_original_saved(lua):
    first, total = lua("torch.manualSeed(1); local t = torch.randn(3, 4); return t[1][1], t:sum()")
    assert first == pytest.approx(-2.971829031, abs=1e-9)
    assert total == pytest.approx(1.290925731, abs=1e-9)


def test_float_fill_rounds_bounds_then_casts(lua):
    f = lua("torch.manualSeed(5); return torch.FloatTensor(3):uniform(0.1, 0.7)")
    u = np.random.RandomState(5).randint(0, 2**32, 3, dtype=np.uint64) * 2.0**-32
    a, b = float(np.float32(0.1)), float(np.float32(0.7))
    np.testing.assert_array_equal(f.numpy(), (u * (b - a) + a).astype(np.float32))


def test_random_bounds_and_integer_tensor_draws(lua):
    one_arg, two_args, bytes_ = lua("""
        torch.manualSeed(11)
        local a = torch.random(10)
        local b = torch.random(5, 8)
        return a, b, torch.ByteTensor(4):random()
    """)
    w = np.random.RandomState(11).randint(0, 2**32, 6, dtype=np.uint64)
    assert one_arg == w[0] % 10 + 1
    assert two_args == w[1] % 4 + 5
    np.testing.assert_array_equal(bytes_.numpy(), w[2:6] % 256)


def test_rng_state_round_trip_and_generators(lua):
    same, independent = lua("""
        torch.manualSeed(9)
        local state = torch.getRNGState()
        local a = torch.rand(5)
        torch.setRNGState(state)
        local b = torch.rand(5)
        local g = torch.Generator()
        torch.manualSeed(g, 9)
        local c = torch.rand(g, 5)
        return (a - b):abs():max() == 0, (a - c):abs():max() == 0
    """)
    assert same and independent


def test_rng_state_is_the_original_layout(lua):
    size, seeded, left = lua("""
        torch.manualSeed(2)
        local s = torch.getRNGState()
        local ffi = require 'ffi'
        local p = ffi.cast('int32_t *', s:data())
        return s:nElement(), p[3], p[2]
    """)
    assert size == 5048            # sizeof(THGenerator) on LP64
    assert (seeded, left) == (1, 1)


def test_bad_rng_state_is_refused(t7, lua):
    with pytest.raises(t7.LuaError, match="Invalid RNG state"):
        lua("local s = torch.getRNGState(); s:zero(); torch.setRNGState(s)")
    with pytest.raises(t7.LuaError, match="strictly positive"):
        lua("return torch.randperm(0)")
