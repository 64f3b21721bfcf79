-- Linear algebra through LAPACK (the core's t7_gesv ... t7_ormqr), on Float and Double
-- tensors, with the original's argument forms: every function takes its result tensors
-- first, or none (then new ones are made). As in the original these are functions only
-- (torch.svd(a), not a:svd()). Returned matrices are column-major (strides 1, rows).

local core = require 'torch.core'
local dispatch = require 'torch.dispatch'

local C = core.C
local check = core.check
local GIVEN, GIVEN_INT, NEW, NEW_INT = dispatch.GIVEN, dispatch.GIVEN_INT, dispatch.NEW,
   dispatch.NEW_INT
local TENSOR, NUMBER, CHAR = dispatch.TENSOR, dispatch.NUMBER, dispatch.CHAR
local FLOATING = dispatch.FLOATING

-- Declares a function whose forms are: all results given, or none.
local function declare(name, results, new_results, inputs, impl)
   local given, fresh = {}, {}
   for i, kind in ipairs(results) do given[i] = kind end
   for i, kind in ipairs(new_results) do fresh[i] = kind end
   for _, kind in ipairs(inputs) do
      given[#given + 1] = kind
      fresh[#fresh + 1] = kind
   end
   given.types, fresh.types = FLOATING, FLOATING
   given.impl, fresh.impl = impl, impl
   dispatch.define(name, {given, fresh}, {method = false})
end

local UPLO = CHAR({'U', 'L'}, 'U')

-- AX = B: X, and A's LU factors
declare('gesv', {GIVEN, GIVEN}, {NEW, NEW}, {TENSOR, TENSOR}, function(rb, ra, b, a)
   check(C.t7_gesv(rb, ra, b, a)); return rb, ra end)

-- AX = B for triangular A (upper or lower, transposed or not, unit diagonal or not)
declare('trtrs', {GIVEN, GIVEN}, {NEW, NEW},
   {TENSOR, TENSOR, UPLO, CHAR({'N', 'T'}, 'N'), CHAR({'N', 'U'}, 'N')},
   function(rb, ra, b, a, uplo, trans, diag)
      check(C.t7_trtrs(rb, ra, b, a, uplo, trans, diag)); return rb, ra end)

-- least squares (m >= n) or least norm (m < n) solution of AX = B, and A's QR factors
declare('gels', {GIVEN, GIVEN}, {NEW, NEW}, {TENSOR, TENSOR}, function(rb, ra, b, a)
   check(C.t7_gels(rb, ra, b, a)); return rb, ra end)

-- eigenvalues (ascending) and, with 'V', eigenvectors of a symmetric matrix
declare('symeig', {GIVEN, GIVEN}, {NEW, NEW}, {TENSOR, CHAR({'N', 'V'}, 'N'), UPLO},
   function(re, rv, a, jobz, uplo)
      check(C.t7_syev(re, rv, a, jobz, uplo)); return re, rv end)

-- eigenvalues (n x 2: real and imaginary parts) and, with 'V', right eigenvectors
declare('eig', {GIVEN, GIVEN}, {NEW, NEW}, {TENSOR, CHAR({'N', 'V'}, 'N')},
   function(re, rv, a, jobvr)
      check(C.t7_geev(re, rv, a, jobvr)); return re, rv end)

-- A = U diag(S) V^T; 'S': the min(m, n) leading vectors, 'A': all of them
declare('svd', {GIVEN, GIVEN, GIVEN}, {NEW, NEW, NEW}, {TENSOR, CHAR({'A', 'S'}, 'S')},
   function(ru, rs, rv, a, jobu)
      check(C.t7_gesvd(ru, rs, rv, a, jobu)); return ru, rs, rv end)

declare('inverse', {GIVEN}, {NEW}, {TENSOR}, function(ra, a)
   check(C.t7_getri(ra, a)); return ra end)

-- Cholesky factor: A = U^T U ('U') or L L^T ('L')
declare('potrf', {GIVEN}, {NEW}, {TENSOR, UPLO}, function(ra, a, uplo)
   check(C.t7_potrf(ra, a, uplo)); return ra end)

-- AX = B from A's Cholesky factor
declare('potrs', {GIVEN}, {NEW}, {TENSOR, TENSOR, UPLO}, function(rb, b, chol, uplo)
   check(C.t7_potrs(rb, b, chol, uplo)); return rb end)

-- A's inverse from its Cholesky factor
declare('potri', {GIVEN}, {NEW}, {TENSOR, UPLO}, function(ra, chol, uplo)
   check(C.t7_potri(ra, chol, uplo)); return ra end)

-- Cholesky factorization with complete pivoting: P^T A P = U^T U, P[piv[k]][k] = 1
declare('pstrf', {GIVEN, GIVEN_INT}, {NEW, NEW_INT}, {TENSOR, UPLO, NUMBER(-1)},
   function(ra, rpiv, a, uplo, tol)
      check(C.t7_pstrf(ra, rpiv, a, uplo, tol, 1)); return ra, rpiv end)

-- the thin QR factorization: Q (m x k, orthonormal columns) and R (k x n, upper triangular)
declare('qr', {GIVEN, GIVEN}, {NEW, NEW}, {TENSOR}, function(rq, rr, a)
   check(C.t7_qr(rq, rr, a)); return rq, rr end)

-- LAPACK's own form of QR: R and the reflectors in one matrix, and the reflectors' scales
declare('geqrf', {GIVEN, GIVEN}, {NEW, NEW}, {TENSOR}, function(ra, rtau, a)
   check(C.t7_geqrf(ra, rtau, a)); return ra, rtau end)

-- Q from geqrf's reflectors (in the first tau:size(1) columns)
declare('orgqr', {GIVEN}, {NEW}, {TENSOR, TENSOR}, function(ra, a, tau)
   check(C.t7_orgqr(ra, a, tau)); return ra end)

-- Q mat ('L') or mat Q ('R'), Q transposed with 'T', from geqrf's reflectors
declare('ormqr', {GIVEN}, {NEW}, {TENSOR, TENSOR, TENSOR, CHAR({'L', 'R'}, 'L'),
   CHAR({'N', 'T'}, 'N')}, function(ra, a, tau, c, side, trans)
      check(C.t7_ormqr(ra, a, tau, c, side, trans)); return ra end)
