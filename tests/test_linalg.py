"""torch's LAPACK functions (gesv ... ormqr), called from Lua as users call them, against
numpy.linalg and the reconstruction properties of each factorization: random well-conditioned
matrices of several sizes, Float and Double, contiguous / transposed / strided inputs; the
result-first forms, the column-major layout of the results, the values the original's
documentation prints, and the original's errors."""
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conftest import run_th

DTYPES = [np.float64, np.float32]
LAYOUTS = ["contiguous", "transposed", "strided"]


def tol(dtype):
    return 1e-8 if dtype == np.float64 else 3e-3


def laid_out(m, how):
    """m as a row-major array, a column-major one, or a view with no unit stride."""
    if how == "contiguous":
        return np.ascontiguousarray(m)
    if how == "transposed":
        return np.asfortranarray(m)
    wide = np.zeros((m.shape[0], 2 * m.shape[1]), m.dtype)
    wide[:, ::2] = m
    return wide[:, ::2]


def well_conditioned(rng, n, dtype, cols=None):
    m = rng.standard_normal((n, cols or n))
    m[:min(n, cols or n), :min(n, cols or n)] += n * np.eye(min(n, cols or n))
    return m.astype(dtype)


def positive_definite(rng, n, dtype):
    m = rng.standard_normal((n, n))
    return (m @ m.T + n * np.eye(n)).astype(dtype)


@pytest.fixture(scope="module")
def run(t7):
    """run(code, *arrays): the Lua chunk's results, the arrays passed as tensors sharing
    their memory."""
    def call(code, *arrays):
        return t7.lua.execute(code, *[t7.from_numpy(a) for a in arrays])
    return call


def column_major(t):
    rows, cols = t.shape
    return (rows == 1 or t.stride()[0] == 1) and (cols == 1 or t.stride()[1] == rows)


def close(actual, expected, dtype, scale=1):
    np.testing.assert_allclose(actual, expected, rtol=tol(dtype) * scale,
                               atol=tol(dtype) * scale)


def lu_rows_match(lu, a, dtype):
    """L (unit lower) times U is A with its rows permuted (partial pivoting)."""
    n = a.shape[0]
    product = (np.tril(lu, -1) + np.eye(n)) @ np.triu(lu)
    distance = np.abs(product[:, None, :] - a[None, :, :]).max(axis=2)
    assert sorted(distance.argmin(axis=1)) == list(range(n))
    assert distance.min(axis=1).max() < tol(dtype) * n * 10


square_cases = st.fixed_dictionaries({
    "seed": st.integers(0, 2 ** 31), "n": st.integers(1, 9), "k": st.integers(1, 4),
    "dtype": st.sampled_from(DTYPES), "layout_a": st.sampled_from(LAYOUTS),
    "layout_b": st.sampled_from(LAYOUTS)})


# ------------------------------------------------------------------------------------------
# linear systems

@settings(max_examples=40, deadline=None)
@given(case=square_cases)
def test_gesv_solves_and_returns_lu_factors(run, case):
    rng, n, dtype = np.random.default_rng(case["seed"]), case["n"], case["dtype"]
    a0 = well_conditioned(rng, n, dtype)
    b0 = rng.standard_normal((n, case["k"])).astype(dtype)
    a, b = laid_out(a0, case["layout_a"]), laid_out(b0, case["layout_b"])
    x, lu = run("return torch.gesv(...)", b, a)
    close(x.numpy(), np.linalg.solve(a0.astype(np.float64), b0), dtype)
    assert column_major(x) and column_major(lu)
    lu_rows_match(lu.numpy(), a0, dtype)
    np.testing.assert_array_equal(a, a0)      # the inputs are left alone
    np.testing.assert_array_equal(b, b0)


def test_gesv_result_first_and_in_place_forms(run):
    rng = np.random.default_rng(1)
    a0, b0 = well_conditioned(rng, 5, np.float64), rng.standard_normal((5, 3))
    same_b, same_a, x_in_b, lu_in_a, x, lu, vector_solution = run("""
        local b, a = ...
        local x, lu = torch.gesv(b, a)
        local tb, ta = torch.Tensor(), torch.Tensor()
        local rb, ra = torch.gesv(tb, ta, b, a)
        local b2, a2 = b:clone(), a:clone()
        torch.gesv(b2, a2, b2, a2)
        return torch.pointer(rb) == torch.pointer(tb), torch.pointer(ra) == torch.pointer(ta),
               b2, a2, x, lu, (torch.gesv(b:select(2, 1), a))
    """, b0, a0)
    assert same_b and same_a
    np.testing.assert_array_equal(x_in_b.numpy(), x.numpy())
    np.testing.assert_array_equal(lu_in_a.numpy(), lu.numpy())
    close(x.numpy(), np.linalg.solve(a0, b0), np.float64)
    assert vector_solution.shape == (5, 1)       # a vector B gives a one-column matrix
    close(vector_solution.numpy()[:, 0], np.linalg.solve(a0, b0[:, 0]), np.float64)


def test_results_reused_across_calls_stay_column_major(run):
    """A contiguous result tensor is turned column-major, and stays so when reused; one of
    another shape is resized; a non-contiguous one of the right size keeps its strides."""
    rng = np.random.default_rng(2)
    a0 = well_conditioned(rng, 4, np.float64)
    first, second, resized, view, view_strides = run("""
        local a = ...
        local r = torch.Tensor(4, 4)
        torch.inverse(r, a)
        local first = r:isContiguous()
        torch.inverse(r, a)
        local other = torch.Tensor(2, 7)
        torch.inverse(other, a)
        local v = torch.zeros(4, 2, 4):select(2, 2)
        torch.inverse(v, a)
        return first, r:isContiguous(), other, v, {v:stride(1), v:stride(2)}
    """, a0)
    assert not first and not second
    assert resized.shape == (4, 4) and column_major(resized)
    close(view.numpy(), np.linalg.inv(a0), np.float64)
    assert list(view_strides.values()) == [8, 1]


@pytest.mark.parametrize("uplo,trans,diag", [(u, t, d) for u in "UL" for t in "NT"
                                             for d in "NU"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_trtrs_reads_one_triangle(run, uplo, trans, diag, dtype):
    rng = np.random.default_rng(3)
    a0 = well_conditioned(rng, 6, dtype)     # both triangles are full: one must be ignored
    b0 = rng.standard_normal((6, 2)).astype(dtype)
    tri = np.triu(a0) if uplo == "U" else np.tril(a0)
    if diag == "U":
        np.fill_diagonal(tri, 1)
    op = tri.T if trans == "T" else tri
    x, a_copy = run("local b, a = ...; return torch.trtrs(b, a, '%s', '%s', '%s')"
                    % (uplo, trans, diag), b0, laid_out(a0, "transposed"))
    close(x.numpy(), np.linalg.solve(op.astype(np.float64), b0), dtype)
    np.testing.assert_array_equal(a_copy.numpy(), a0)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2 ** 31), m=st.integers(1, 9), n=st.integers(1, 9),
       k=st.integers(1, 3), dtype=st.sampled_from(DTYPES), layout=st.sampled_from(LAYOUTS))
def test_gels_least_squares_and_least_norm(run, seed, m, n, k, dtype, layout):
    rng = np.random.default_rng(seed)
    a0 = well_conditioned(rng, m, dtype, n)      # full rank
    b0 = rng.standard_normal((m, k)).astype(dtype)
    x, _ = run("return torch.gels(...)", laid_out(b0, layout), laid_out(a0, layout))
    assert x.shape == (n, k)
    expected = np.linalg.lstsq(a0.astype(np.float64), b0.astype(np.float64), rcond=None)[0]
    close(x.numpy(), expected, dtype, scale=10)


def test_gels_in_place_keeps_the_solution_rows(run):
    rng = np.random.default_rng(4)
    a0, b0 = well_conditioned(rng, 6, np.float64, 4), rng.standard_normal((6, 2))
    x, b_after = run("""
        local b, a = ...
        local bb, aa = b:clone(), a:clone()
        torch.gels(bb, aa, bb, aa)
        return torch.gels(b, a), bb
    """, b0, a0)
    np.testing.assert_array_equal(b_after.numpy(), x.numpy())
    assert b_after.shape == (4, 2)


# ------------------------------------------------------------------------------------------
# eigenvalues and singular values

@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2 ** 31), n=st.integers(1, 9), dtype=st.sampled_from(DTYPES),
       uplo=st.sampled_from("UL"), layout=st.sampled_from(LAYOUTS))
def test_symeig_reads_one_triangle(run, seed, n, dtype, uplo, layout):
    rng = np.random.default_rng(seed)
    a0 = rng.standard_normal((n, n)).astype(dtype)
    half = np.triu(a0) if uplo == "U" else np.tril(a0)
    sym = (half + half.T - np.diag(np.diag(a0))).astype(np.float64)
    e, v, e_only = run("local a, uplo = ...; local e, v = torch.symeig(a, 'V', '%s');"
                       "return e, v, (torch.symeig(a, 'N', '%s'))" % (uplo, uplo),
                       laid_out(a0, layout))
    close(e.numpy(), np.linalg.eigvalsh(sym), dtype, scale=10)     # ascending
    close(e_only.numpy(), e.numpy(), dtype)
    vectors = v.numpy().astype(np.float64)
    close(vectors @ np.diag(e.numpy()) @ vectors.T, sym, dtype, scale=10)
    close(vectors.T @ vectors, np.eye(n), dtype)
    assert column_major(v)


def lapack_eigenvectors(values, vectors):
    """Complex eigenvectors from LAPACK's real form: a complex pair's eigenvalue with a
    positive imaginary part owns columns j (real part) and j+1 (imaginary part)."""
    n = len(values)
    out = np.zeros((n, n), complex)
    j = 0
    while j < n:
        if values[j].imag == 0:
            out[:, j] = vectors[:, j]
            j += 1
        else:
            out[:, j] = vectors[:, j] + 1j * vectors[:, j + 1]
            out[:, j + 1] = vectors[:, j] - 1j * vectors[:, j + 1]
            j += 2
    return out


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2 ** 31), n=st.integers(1, 8), dtype=st.sampled_from(DTYPES),
       layout=st.sampled_from(LAYOUTS))
def test_eig_values_and_right_vectors(run, seed, n, dtype, layout):
    rng = np.random.default_rng(seed)
    a0 = rng.standard_normal((n, n)).astype(dtype)
    e, v, e_only = run("local a = ...; local e, v = torch.eig(a, 'V');"
                       "return e, v, (torch.eig(a))", laid_out(a0, layout))
    assert e.shape == (n, 2) and v.shape == (n, n) and column_major(v)
    np.testing.assert_array_equal(e_only.numpy(), e.numpy())
    values = e.numpy()[:, 0] + 1j * e.numpy()[:, 1]
    expected = np.linalg.eigvals(a0.astype(np.float64))
    close(np.sort_complex(values), np.sort_complex(expected), dtype, scale=30)
    vectors = lapack_eigenvectors(values, v.numpy().astype(np.float64))
    close(a0 @ vectors, vectors * values, dtype, scale=30)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2 ** 31), m=st.integers(1, 9), n=st.integers(1, 9),
       dtype=st.sampled_from(DTYPES), job=st.sampled_from("SA"),
       layout=st.sampled_from(LAYOUTS))
def test_svd_shapes_and_reconstruction(run, seed, m, n, dtype, job, layout):
    rng = np.random.default_rng(seed)
    a0 = rng.standard_normal((m, n)).astype(dtype)
    k = min(m, n)
    u, s, v = run("local a = ...; return torch.svd(a, '%s')" % job, laid_out(a0, layout))
    if job == "S":
        assert (u.shape, s.shape, v.shape) == ((m, k), (k,), (n, k))
    else:
        assert (u.shape, s.shape, v.shape) == ((m, m), (k,), (n, n))
    assert column_major(u)
    u, s, v = u.numpy().astype(np.float64), s.numpy(), v.numpy().astype(np.float64)
    close(s, np.linalg.svd(a0.astype(np.float64), compute_uv=False), dtype, scale=10)
    close(u[:, :k] @ np.diag(s) @ v[:, :k].T, a0, dtype, scale=10)
    close(u.T @ u, np.eye(u.shape[1]), dtype)
    close(v.T @ v, np.eye(v.shape[1]), dtype)


def test_svd_into_given_and_non_contiguous_tensors(run):
    rng = np.random.default_rng(5)
    a0 = rng.standard_normal((5, 5))
    u, s, v, same = run("""
        local a = ...
        local U = torch.zeros(5, 2, 5):select(2, 2)
        local S = torch.zeros(5, 2):select(2, 2)
        local V = torch.zeros(5, 2, 5):select(2, 2)
        local u, s, v = torch.svd(U, S, V, a)
        return U, S, V, torch.pointer(u) == torch.pointer(U) and torch.pointer(s) ==
           torch.pointer(S) and torch.pointer(v) == torch.pointer(V)
    """, a0)
    assert same
    close(u.numpy() @ np.diag(s.numpy()) @ v.numpy().T, a0, np.float64)


# ------------------------------------------------------------------------------------------
# inverse and Cholesky

@settings(max_examples=30, deadline=None)
@given(case=square_cases)
def test_inverse(run, case):
    rng, n, dtype = np.random.default_rng(case["seed"]), case["n"], case["dtype"]
    a0 = well_conditioned(rng, n, dtype)
    inv = run("return torch.inverse(...)", laid_out(a0, case["layout_a"]))
    close(inv.numpy(), np.linalg.inv(a0.astype(np.float64)), dtype)
    assert column_major(inv)


@settings(max_examples=30, deadline=None)
@given(case=square_cases, uplo=st.sampled_from("UL"))
def test_cholesky_family(run, case, uplo):
    rng, n, dtype = np.random.default_rng(case["seed"]), case["n"], case["dtype"]
    a0 = positive_definite(rng, n, dtype)
    b0 = rng.standard_normal((n, case["k"])).astype(dtype)
    chol, x, inv = run("""
        local a, b, uplo = ...
        local c = torch.potrf(a, '%s')
        return c, torch.potrs(b, c, '%s'), torch.potri(c, '%s')
    """ % (uplo, uplo, uplo), laid_out(a0, case["layout_a"]), laid_out(b0, case["layout_b"]))
    lower = np.linalg.cholesky(a0.astype(np.float64))     # unique: positive diagonal
    close(chol.numpy(), lower.T if uplo == "U" else lower, dtype)
    close(x.numpy(), np.linalg.solve(a0.astype(np.float64), b0), dtype)
    close(inv.numpy(), np.linalg.inv(a0.astype(np.float64)), dtype)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2 ** 31), n=st.integers(1, 9), rank=st.integers(1, 9),
       dtype=st.sampled_from(DTYPES), uplo=st.sampled_from("UL"), given_results=st.booleans())
def test_pstrf_pivoted_cholesky(run, seed, n, rank, dtype, uplo, given_results):
    rng = np.random.default_rng(seed)
    m = rng.uniform(size=(n, min(rank, n)))
    a0 = (m @ m.T + 1e-3 * np.eye(n)).astype(dtype)
    code = ("local a = ...; local u, piv = a.new(), torch.IntTensor();"
            "local u2, piv2 = torch.pstrf(u, piv, a, '%s');"
            "return u, piv, torch.pointer(u) == torch.pointer(u2) and "
            "torch.pointer(piv) == torch.pointer(piv2)" if given_results else
            "local a = ...; local u, piv = torch.pstrf(a, '%s'); return u, piv, true") % uplo
    u, piv, same = run(code, a0)
    assert same and piv.lua_type == "torch.IntTensor"
    p = piv.numpy() - 1
    assert sorted(p) == list(range(n))
    u = u.numpy().astype(np.float64)
    rebuilt = u @ u.T if uplo == "L" else u.T @ u
    close(rebuilt, a0[np.ix_(p, p)], dtype, scale=3)
    close(u, np.tril(u) if uplo == "L" else np.triu(u), dtype)
    assert np.all(np.diff(np.diag(u)) <= tol(dtype))       # pivots by decreasing diagonal


# ------------------------------------------------------------------------------------------
# QR

@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2 ** 31), m=st.integers(1, 9), n=st.integers(1, 9),
       dtype=st.sampled_from(DTYPES), layout=st.sampled_from(LAYOUTS))
def test_qr_and_its_lapack_parts(run, seed, m, n, dtype, layout):
    rng = np.random.default_rng(seed)
    a0 = rng.standard_normal((m, n)).astype(dtype)
    k = min(m, n)
    q, r, factors, tau, q_full = run("""
        local a = ...
        local q, r = torch.qr(a)
        local f, tau = torch.geqrf(a)
        return q, r, f, tau, torch.orgqr(f, tau)
    """, laid_out(a0, layout))
    assert q.shape == (m, k) and r.shape == (k, n) and column_major(q)
    assert factors.shape == (m, n) and tau.shape == (k,) and q_full.shape == (m, n)
    q, r = q.numpy().astype(np.float64), r.numpy()
    close(q @ r, a0, dtype)
    close(q.T @ q, np.eye(k), dtype)
    np.testing.assert_array_equal(r, np.triu(r))
    # numpy's reduced QR runs the same LAPACK routines: the same signs
    nq, nr = np.linalg.qr(a0.astype(np.float64))
    close(q, nq, dtype, scale=10)
    close(r, nr, dtype, scale=10)
    np.testing.assert_array_equal(q_full.numpy()[:, :k], q.astype(dtype))


@pytest.mark.parametrize("side,trans", [(s, t) for s in "LR" for t in "NT"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_ormqr_multiplies_by_q(run, side, trans, dtype):
    rng = np.random.default_rng(6)
    a0 = rng.standard_normal((7, 4)).astype(dtype)
    c0 = rng.standard_normal((7, 3) if side == "L" else (3, 7)).astype(dtype)
    product, full_q = run("""
        local a, c, identity = ...
        local f, tau = torch.geqrf(a)
        return torch.ormqr(f, tau, c, '%s', '%s'), torch.ormqr(f, tau, identity)
    """ % (side, trans), a0, laid_out(c0, "strided"), np.eye(7, dtype=dtype))
    q = full_q.numpy().astype(np.float64)         # Q times the identity: the full Q
    close(q.T @ q, np.eye(7), dtype)
    close(q[:, :4], np.linalg.qr(a0.astype(np.float64))[0], dtype)
    op = q.T if trans == "T" else q
    close(product.numpy(), op @ c0 if side == "L" else c0 @ op, dtype)


# ------------------------------------------------------------------------------------------
# the original's documentation (doc/maths.md), to the four decimals it prints

DOC_A = np.array([[6.80, -2.11, 5.66, 5.97, 8.23], [-6.05, -3.30, 5.36, -4.44, 1.08],
                  [-0.45, 2.58, -2.70, 0.27, 9.04], [8.32, 2.71, 4.35, -7.17, 2.14],
                  [-9.67, -5.14, -7.26, 6.08, -6.87]]).T
DOC_B = np.array([[4.02, 6.19, -8.22, -7.57, -3.03], [-1.56, 4.00, -8.67, 1.75, 2.86],
                  [9.81, -4.09, -4.57, -8.61, 8.99]]).T
DOC_SYM = np.array([[1.96, 0, 0, 0, 0], [-6.49, 3.80, 0, 0, 0], [-0.47, -6.39, 4.17, 0, 0],
                    [-7.20, 1.50, -1.51, 5.70, 0], [-0.65, -6.34, 2.67, 1.80, -7.10]]).T
DOC_SPD = np.array([[1.2705, 0.9971, 0.4948, 0.1389, 0.2381],
                    [0.9971, 0.9966, 0.6752, 0.0686, 0.1196],
                    [0.4948, 0.6752, 1.1434, 0.0314, 0.0582],
                    [0.1389, 0.0686, 0.0314, 0.0270, 0.0526],
                    [0.2381, 0.1196, 0.0582, 0.0526, 0.3957]])


def printed(actual, expected):
    np.testing.assert_allclose(actual, np.array(expected), atol=6e-5)


def test_documented_solvers(run):
    x, tri = run("local b, a, u = ...; return (torch.gesv(b, a)), (torch.trtrs(b, u))",
                 DOC_B, DOC_A, np.triu(DOC_A.T))
    printed(x.numpy(), [[-0.8007, -0.3896, 0.9555], [-0.6952, -0.5544, 0.2207],
                        [0.5939, 0.8422, 1.9006], [1.3217, -0.1038, 5.3577],
                        [0.5658, 0.1057, 4.0406]])
    printed(tri.numpy(), [[-3.5416, -0.2514, 3.0847], [4.2072, 2.0391, -4.5146],
                          [4.6399, 1.7804, -2.6077], [1.1874, -0.3683, 0.8103],
                          [0.4410, -0.4163, -1.3086]])
    a = np.array([[1.44, -9.96, -7.55, 8.34, 7.08, -5.45],
                  [-7.84, -0.28, 3.24, 8.09, 2.52, -5.70],
                  [-4.39, -3.24, 6.27, 5.28, 0.74, -1.19],
                  [4.53, 3.83, -6.64, 2.06, -2.47, 4.70]]).T
    b = np.array([[8.58, 8.26, 8.48, -5.28, 5.72, 8.93],
                  [9.35, -4.43, -0.70, -0.26, -7.36, -2.52]]).T
    x = run("local b, a = ...; return (torch.gels(b, a))", b, a)
    # the documentation shows the solution's 4 rows followed by residual terms
    printed(x.numpy(), [[-0.4506, 0.2497], [-0.8492, -0.9020], [0.7066, 0.6323],
                        [0.1289, 0.1351]])


def test_documented_decompositions(run):
    """The documentation's signs and orders: svd's U and V, qr's Q and R, the ascending
    eigenvalues of symeig, eig's order, pstrf's pivots."""
    u, s, v = run("return torch.svd(...)", np.array(
        [[8.79, 6.11, -9.15, 9.57, -3.49, 9.84], [9.93, 6.91, -7.93, 1.64, 4.02, 0.15],
         [9.83, 5.04, 4.86, 8.83, 9.80, -8.99], [5.45, -0.27, 4.85, 0.74, 10.00, -6.02],
         [3.16, 7.98, 3.01, 5.80, 4.27, -5.31]]).T)
    printed(u.numpy(), [[-0.5911, 0.2632, 0.3554, 0.3143, 0.2299],
                        [-0.3976, 0.2438, -0.2224, -0.7535, -0.3636],
                        [-0.0335, -0.6003, -0.4508, 0.2334, -0.3055],
                        [-0.4297, 0.2362, -0.6859, 0.3319, 0.1649],
                        [-0.4697, -0.3509, 0.3874, 0.1587, -0.5183],
                        [0.2934, 0.5763, -0.0209, 0.3791, -0.6526]])
    printed(s.numpy(), [27.4687, 22.6432, 8.5584, 5.9857, 2.0149])
    printed(v.numpy(), [[-0.2514, 0.8148, -0.2606, 0.3967, -0.2180],
                        [-0.3968, 0.3587, 0.7008, -0.4507, 0.1402],
                        [-0.6922, -0.2489, -0.2208, 0.2513, 0.5891],
                        [-0.3662, -0.3686, 0.3859, 0.4342, -0.6265],
                        [-0.4076, -0.0980, -0.4933, -0.6227, -0.4396]])
    q, r = run("return torch.qr(...)",
               np.array([[12.0, -51, 4], [6, 167, -68], [-4, 24, -41]]))
    printed(q.numpy(), [[-0.8571, 0.3943, 0.3314], [-0.4286, -0.9029, -0.0343],
                        [0.2857, -0.1714, 0.9429]])
    printed(r.numpy(), [[-14, -21, 14], [0, -175, 70], [0, 0, -35]])
    e, v = run("return torch.symeig(..., 'V')", DOC_SYM)
    printed(e.numpy(), [-11.0656, -6.2287, 0.8640, 8.8655, 16.0948])
    printed(v.numpy(), [[-0.2981, -0.6075, 0.4026, -0.3745, 0.4896],
                        [-0.5078, -0.2880, -0.4066, -0.3572, -0.6053],
                        [-0.0816, -0.3843, -0.6600, 0.5008, 0.3991],
                        [-0.0036, -0.4467, 0.4553, 0.6204, -0.4564],
                        [-0.8041, 0.4480, 0.1725, 0.3108, 0.1622]])
    e, v = run("return torch.eig(..., 'V')", DOC_SYM + np.triu(DOC_SYM, 1).T)
    printed(e.numpy(), [[16.0948, 0], [-11.0656, 0], [-6.2287, 0], [0.8640, 0], [8.8655, 0]])
    printed(v.numpy(), [[-0.4896, 0.2981, -0.6075, -0.4026, -0.3745],
                        [0.6053, 0.5078, -0.2880, 0.4066, -0.3572],
                        [-0.3991, 0.0816, -0.3843, 0.6600, 0.5008],
                        [0.4564, 0.0036, -0.4467, -0.4553, 0.6204],
                        [-0.1622, 0.8041, 0.4480, -0.1725, 0.3108]])
    u, piv = run("return torch.pstrf(...)", DOC_SPD)
    printed(u.numpy(), [[1.1272, 0.4390, 0.2112, 0.8846, 0.1232],
                        [0, 0.9750, -0.0354, 0.2942, -0.0233],
                        [0, 0, 0.5915, -0.0961, 0.0435],
                        [0, 0, 0, 0.3439, -0.0854],
                        [0, 0, 0, 0, 0.0456]])
    np.testing.assert_array_equal(piv.numpy(), [1, 3, 5, 2, 4])
    inv = run("return torch.potri(torch.potrf(...))", DOC_SPD)
    printed(inv.numpy()[0], [42.2781, -39.0824, 8.3019, -133.4998, 2.8980])


# ------------------------------------------------------------------------------------------
# errors: the original's messages, never a crash

SINGULAR = "torch.Tensor{{1, 2}, {2, 4}}"


@pytest.mark.parametrize("code,message", [
    ("torch.gesv(torch.ones(2, 1), %s)" % SINGULAR,
     "Lapack Error in gesv : U(2,2) is zero, singular U."),
    ("torch.inverse(%s)" % SINGULAR, "Lapack Error getrf : U(2,2) is 0, U is singular"),
    ("torch.trtrs(torch.ones(2, 1), torch.Tensor{{1, 2}, {0, 0}})",
     "Lapack Error in trtrs : A(2,2) is zero, singular A"),
    ("torch.potrf(torch.Tensor{{1, 2}, {2, 1}})",
     "Lapack Error in potrf : the leading minor of order 2 is not positive definite"),
    ("torch.pstrf(torch.Tensor{{1, 1}, {1, 1}})",
     "Lapack Error pstrf : matrix is rank deficient or not positive semidefinite"),
    ("torch.gels(torch.ones(3, 1), torch.Tensor{{1, 0}, {2, 0}, {3, 0}})",
     "Lapack Error in gels : The 2-th diagonal element of the triangular factor of A is zero"),
    ("torch.gesv(torch.ones(2, 1), torch.ones(2, 3))",
     "bad argument #2 to 'gesv' (A should be square, but is 2x3)"),
    ("torch.gesv(torch.ones(3, 1), torch.ones(2, 2))",
     "bad argument #2 to 'gesv' (A,B size incompatible - A has 2 rows, B has 3)"),
    ("torch.gesv(torch.ones(2), torch.ones(2))",
     "bad argument #2 to 'gesv' (A should have 2 dimensions, but has 1)"),
    ("torch.gesv(torch.ones(2, 2, 2), torch.ones(2, 2))",
     "bad argument #1 to 'gesv' (B should have 1 or 2 dimensions, but has 3)"),
    ("torch.inverse(torch.ones(2, 3))", "bad argument #1 to 'inverse' (A should be square)"),
    ("torch.svd(torch.ones(3))", "bad argument #1 to 'svd' (A should be 2 dimensional)"),
    ("torch.symeig(torch.ones(2, 3))", "bad argument #1 to 'symeig' (A should be square)"),
    ("torch.potrf(torch.ones(2, 2), 'X')", "invalid arguments: DoubleTensor string \n"
     "expected arguments: *DoubleTensor* DoubleTensor [(U|L)] | DoubleTensor [(U|L)]"),
    ("torch.gesv(torch.ones(2, 2):float(), torch.ones(2, 2))",
     "invalid arguments: FloatTensor DoubleTensor"),
    ("torch.gesv(torch.IntTensor(2, 2), torch.IntTensor(2, 2))",
     "torch.IntTensor does not implement the torch.gesv() function"),
    ("local x = torch.Tensor(); torch.gesv(x, x, torch.ones(2, 1), torch.ones(2, 2))",
     "torch.gesv: the result tensors must be different tensors"),
    ("torch.orgqr(torch.ones(3, 2), torch.ones(3))",
     "torch.orgqr: 3 reflectors given (tau), the matrix holds at most 2"),
    ("torch.ormqr(torch.ones(3, 2), torch.ones(2), torch.ones(4, 4))",
     "torch.ormqr: the reflectors have 3 rows, Q must be 4 x 4"),
])
def test_errors(t7, code, message):
    with pytest.raises(t7.LuaError, match=re.escape(message)):
        t7.lua.execute(code)


def test_nan_input_to_eig_is_reported_without_lapack_printing():
    """LAPACK's geev calls a NaN an illegal argument and its handler prints that on C's
    stdout: the message must come as the error alone."""
    result = run_th("-e", "print(select(2, pcall(torch.eig, torch.Tensor{{0/0, 1}, {1, 1}})))")
    assert result.stdout == "Lapack Error in geev : Illegal Argument 4\n"
