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


def words(seed, n):
    """The first n 32-bit draws after manualSeed(seed) (numpy's MT19937 is the same one)."""
    return np.random.RandomState(seed & 0xffffffff).randint(0, 2**32, n, dtype=np.uint64)


def uniforms(seed, n):
    return [int(w) * 2.0**-32 for w in words(seed, n)]


def test_exponential_cauchy_geometric_log_normal_scalars(lua):
    drawn = lua("""
        torch.manualSeed(21)
        return torch.exponential(2), torch.cauchy(1, 3), torch.geometric(0.3),
               torch.logNormal(0.5, 0.25), torch.cauchy(), torch.bernoulli(0.7)
    """)
    u = uniforms(21, 7)
    rho = math.sqrt(-2 * math.log(1 - u[4]))
    expected = [-1 / 2 * math.log(1 - u[0]),
                1 + 3 * math.tan(math.pi * (u[1] - 0.5)),
                int(math.log(1 - u[2]) / math.log(0.3)) + 1,
                math.exp(rho * math.cos(2 * math.pi * u[3]) * 0.25 + 0.5),
                math.tan(math.pi * (u[5] - 0.5)),
                1 if u[6] <= 0.7 else 0]
    assert list(drawn) == expected


@pytest.mark.parametrize("type_name, dtype", [("Float", np.float32), ("Double", np.float64)])
def test_tensor_draws_of_every_distribution(lua, type_name, dtype):
    exponential, cauchy, log_normal, geometric = lua("""
        local T = ...
        torch.manualSeed(5)
        local e = torch[T .. 'Tensor'](2, 3):exponential(1.5)
        local c = torch[T .. 'Tensor'](2, 2):t():cauchy(-1, 0.5)   -- logical order
        local l = torch[T .. 'Tensor'](3):logNormal(0.2, 0.7)
        return e, c, l, torch[T .. 'Tensor'](3):geometric(0.55)
    """, type_name)
    u = uniforms(5, 6 + 4 + 4 + 3)
    # parameters reach a FloatTensor's draws as floats; each value is a double, then cast
    p = [float(dtype(x)) for x in (1.5, -1, 0.5, 0.2, 0.7)]
    np.testing.assert_array_equal(
        exponential.numpy().ravel(), [dtype(-1 / p[0] * math.log(1 - x)) for x in u[0:6]])
    np.testing.assert_array_equal(
        cauchy.numpy().ravel(),
        [dtype(p[1] + p[2] * math.tan(math.pi * (x - 0.5))) for x in u[6:10]])
    normals = []
    for x, y in ((u[10], u[11]), (u[12], u[13])):
        rho = math.sqrt(-2 * math.log(1 - y))
        normals += [rho * math.cos(2 * math.pi * x), rho * math.sin(2 * math.pi * x)]
    np.testing.assert_array_equal(
        log_normal.numpy(), [dtype(math.exp(z * p[4] + p[3])) for z in normals[:3]])
    np.testing.assert_array_equal(
        geometric.numpy(), [int(math.log(1 - x) / math.log(0.55)) + 1 for x in u[14:17]])


def test_bernoulli_with_a_number_or_a_tensor_of_probabilities(lua):
    with_number, with_float, with_double, scalar = lua("""
        torch.manualSeed(8)
        local a = torch.ByteTensor(4):bernoulli(0.25)
        local b = torch.IntTensor(2, 2):bernoulli(torch.FloatTensor{{0.1, 0.9}, {0.5, 1}})
        local c = torch.Tensor(3):bernoulli(torch._gen, torch.DoubleTensor{0, 0.5, 0.75})
        return a, b, c, torch.bernoulli()
    """)
    u = uniforms(8, 12)
    assert with_number.numpy().tolist() == [int(x <= 0.25) for x in u[0:4]]
    probabilities = [np.float32(x) for x in (0.1, 0.9, 0.5, 1)]
    assert with_float.numpy().ravel().tolist() == [int(x <= p) for x, p in
                                                   zip(u[4:8], probabilities)]
    assert with_double.numpy().tolist() == [int(x <= p) for x, p in zip(u[8:11], [0, .5, .75])]
    assert scalar == int(u[11] <= 0.5)


def test_function_forms_fill_the_tensor_given_first(lua):
    same, dice, perm_method = lua("""
        torch.manualSeed(4)
        local a = torch.uniform(torch.Tensor(5), 2, 3)
        local g = torch.Generator()
        torch.manualSeed(g, 4)
        local b = torch.Tensor(5):uniform(g, 2, 3)
        torch.manualSeed(4)
        local d = torch.random(torch.LongTensor(4), 1, 6)
        torch.manualSeed(4)
        local p = torch.LongTensor():randperm(5)
        return (a - b):abs():max() == 0, d, p
    """)
    assert same
    assert dice.numpy().tolist() == [int(w % 6 + 1) for w in words(4, 4)]
    perm = list(range(5))
    for i, w in enumerate(words(4, 4)):
        z = int(w % (5 - i))
        perm[i], perm[i + z] = perm[i + z], perm[i]
    assert perm_method.numpy().tolist() == [k + 1 for k in perm]


def multinomial_oracle(probabilities, n_sample, replacement, u):
    """The original's sampler, from its description: a normalised cumulative distribution,
    a binary search per uniform draw and, without replacement, the drawn mass removed and
    the rest renormalised."""
    total = 0.0
    cumulative = []
    for p in probabilities:
        total += float(p)
        cumulative.append(total)
    cumulative = [c / total for c in cumulative]
    drawn = []
    for _ in range(n_sample):
        x = next(u)
        cumulative[-1] = 1
        left, right = 0, len(cumulative)
        while right > left:
            middle = left + (right - left) // 2
            if cumulative[middle] < x:
                left = middle + 1
            else:
                right = middle
        drawn.append(left + 1)
        if not replacement:
            below = cumulative[left - 1] if left > 0 else 0
            mass = cumulative[left] - below
            rest = np.float64(1 - mass)      # 0 once all the mass is drawn, as in C
            with np.errstate(divide="ignore", invalid="ignore"):
                cumulative = [float((c - mass if k >= left else c) / rest)
                              for k, c in enumerate(cumulative)]
    return drawn


@pytest.mark.parametrize("replacement", [True, False])
def test_multinomial_reproduces_the_original_sampler(lua, replacement):
    rows, vector = lua("""
        local replacement = ...
        torch.manualSeed(17)
        local p = torch.Tensor{{0.1, 0.5, 0.2, 0.2}, {3, 0, 1, 2}}
        local rows = torch.multinomial(p, 3, replacement)
        local v = torch.LongTensor()
        torch.Tensor{1, 1, 1, 1, 1}.multinomial(v, torch.Tensor{1, 2, 3, 4, 5}, 4, replacement)
        return rows, v
    """, replacement)
    u = iter(uniforms(17, 10))
    expected = [multinomial_oracle([0.1, 0.5, 0.2, 0.2], 3, replacement, u),
                multinomial_oracle([3, 0, 1, 2], 3, replacement, u)]
    assert rows.numpy().tolist() == expected
    assert vector.numpy().tolist() == multinomial_oracle([1, 2, 3, 4, 5], 4, replacement, u)
    if not replacement:
        assert all(len(set(row)) == 3 for row in expected)


def test_multinomial_frequencies_follow_the_probabilities(lua):
    counts = lua("""
        torch.manualSeed(2)
        local p = torch.FloatTensor{0.1, 0.6, 0.3}
        local samples = torch.multinomial(p, 60000, true)
        local counts = torch.zeros(3)
        samples:apply(function(k) counts[k] = counts[k] + 1 end)
        return counts
    """)
    np.testing.assert_allclose(counts.numpy() / 60000, [0.1, 0.6, 0.3], atol=0.01)


def alias_oracle(probabilities):
    """Walker's alias tables built as the original builds them (stack order, the
    threshold renormalised by its maximum, unpaired columns kept)."""
    n = len(probabilities)
    q = [n * p for p in probabilities]
    alias = [0] * n
    smaller = [i for i in range(n) if q[i] < 1]
    larger = [i for i in range(n) if q[i] >= 1]
    while smaller and larger:
        large, small = larger[-1], smaller[-1]
        alias[small] = large
        q[large] -= 1 - q[small]
        if q[large] < 1:
            smaller[-1] = large
            larger.pop()
        else:
            larger[-1] = large
            smaller.pop()
    top = max(q)
    if top > 1:
        q = [x / top for x in q]
    q = [1.0 if alias[i] <= 0 else q[i] for i in range(n)]
    return [a + 1 for a in alias], q


def test_alias_method_tables_and_draws(lua):
    probabilities = [0.05, 0.4, 0.1, 0.25, 0.2]
    alias, threshold, drawn, reused = lua("""
        local p = torch.Tensor{...}
        local state = torch.multinomialAliasSetup(p)
        torch.manualSeed(12)
        local out = torch.multinomialAlias(torch.LongTensor(6), state)
        local again = torch.multinomialAliasSetup(p, {torch.LongTensor(), torch.Tensor()})
        return state[1], state[2], out, (again[1] - state[1]):abs():sum() == 0
    """, *probabilities)
    want_alias, want_threshold = alias_oracle(probabilities)
    assert alias.numpy().tolist() == want_alias
    np.testing.assert_allclose(threshold.numpy(), want_threshold, rtol=0, atol=1e-15)
    u = iter(uniforms(12, 12))
    expected = []
    for _ in range(6):
        column = int(next(u) * 5)
        keep = next(u) <= want_threshold[column]
        expected.append(column + 1 if keep else want_alias[column])
    assert drawn.numpy().tolist() == expected
    assert reused


def test_draw_arguments_are_checked(t7, lua):
    for code, message in [
        ("torch.geometric(1)", "must be > 0 and < 1"),
        ("torch.Tensor(2):geometric(0)", "must be > 0 and < 1"),
        ("torch.normal(0, 0)", "standard deviation must be strictly positive"),
        ("torch.Tensor(2):logNormal(1, -1)", "standard deviation must be strictly positive"),
        ("torch.Tensor(2):bernoulli(torch.Tensor{0.5, 1.5})", "must be >= 0 and <= 1"),
        ("torch.random(0)", "upper bound must be strictly positive"),
        ("torch.random(5, 2)", "upper bound must be larger than lower bound"),
        ("torch.multinomial(torch.Tensor{1, 2}, 3, false)",
         "cannot sample n_sample > prob_dist:size\\(1\\) samples without replacement"),
        ("torch.multinomial(torch.Tensor{0, 0}, 1, true)", "sum of probabilities <= 0"),
        ("torch.multinomial(torch.LongTensor{1, 2}, 1)", "invalid arguments"),
        ("torch.IntTensor(2):uniform()", "attempt to call method 'uniform'"),
        ("torch.rand(torch.IntTensor(), 2)", "IntTensor does not implement the torch.rand"),
    ]:
        with pytest.raises(t7.LuaError, match=message):
            lua("local _ = " + code)
    untouched = lua("""
        local t = torch.zeros(2)
        pcall(t.bernoulli, t, torch.Tensor{0.5, 1.5})
        return t:sum()
    """)
    assert untouched == 0


def test_generators_write_and_read_their_state(t7, lua):
    same, refused = lua("""
        -- a file object as torch.File gives them: bytes out, bytes back
        local file = {}
        function file:writeByte(storage) self.bytes = storage:string() end
        function file:readByte(n)
           local s = torch.ByteStorage()
           s:string(self.bytes:sub(1, n))
           return s
        end
        local g = torch.Generator()
        torch.manualSeed(g, 123)
        torch.random(g)
        g:write(file)
        local copy = torch.Generator()
        copy:read(file)
        local expected = torch.random(g)
        file.bytes = string.rep('\0', #file.bytes)
        return torch.random(copy) == expected, (pcall(copy.read, copy, file))
    """)
    assert same
    assert refused is False
