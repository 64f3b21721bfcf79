-- optim.polyinterp(points[, xminBound][, xmaxBound]): the minimiser of the polynomial that
-- interpolates the points, an n x 3 tensor of (x, f(x), f'(x)) rows: the polynomial of
-- order 2n - 1 matching every value and derivative. The minimum is searched among the
-- bounds (default: the smallest and largest x), the points and the polynomial's real
-- critical points between the bounds. Returns the position (and, except in the common
-- case below, the polynomial's value there).
--
-- Common case (two points, no bounds): the cubic's minimiser in closed form, clamped to
-- the two points' interval; the points' mean when the cubic has no real minimiser.

local function cubic_minimiser(points)
   local lo = points[1][1] <= points[2][1] and 1 or 2
   local hi = 3 - lo
   local x1, f1, g1 = points[lo][1], points[lo][2], points[lo][3]
   local x2, f2, g2 = points[hi][1], points[hi][2], points[hi][3]
   local d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
   local d2 = math.sqrt(d1 * d1 - g1 * g2)
   if d2 ~= d2 then return (x1 + x2) / 2 end
   local t = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
   return math.min(math.max(t, x1), x2)
end

-- Solves the square system A p = b (Lua tables) by Gaussian elimination with partial
-- pivoting; the systems here are 2n x 2n for a handful of points.
local function solve(A, b)
   local n = #b
   for col = 1, n do
      local pivot = col
      for row = col + 1, n do
         if math.abs(A[row][col]) > math.abs(A[pivot][col]) then pivot = row end
      end
      A[col], A[pivot] = A[pivot], A[col]
      b[col], b[pivot] = b[pivot], b[col]
      for row = col + 1, n do
         local factor = A[row][col] / A[col][col]
         for k = col, n do A[row][k] = A[row][k] - factor * A[col][k] end
         b[row] = b[row] - factor * b[col]
      end
   end
   local p = {}
   for row = n, 1, -1 do
      local sum = b[row]
      for k = row + 1, n do sum = sum - A[row][k] * p[k] end
      p[row] = sum / A[row][row]
   end
   return p
end

-- The value at x of the polynomial with coefficients c (highest power first).
local function polyval(c, x)
   local value = 0
   for i = 1, #c do value = value * x + c[i] end
   return value
end

-- The roots of the polynomial c (highest power first) as {real, imaginary} pairs.
-- Coefficients below 1e-12 count as zero; degrees 1 and 2 are solved in closed form,
-- higher ones as the eigenvalues of the companion matrix.
local function roots(c)
   local coefficients = {}
   for i, v in ipairs(c) do coefficients[i] = math.abs(v) < 1e-12 and 0 or v end
   local first = 1
   while first <= #coefficients and coefficients[first] == 0 do first = first + 1 end
   if first > #coefficients then return {} end
   local last, zero_roots = #coefficients, 0
   while coefficients[last] == 0 do
      last = last - 1
      zero_roots = zero_roots + 1
   end
   local p = {}
   for i = first, last do p[#p + 1] = coefficients[i] end
   local found = {}
   local degree = #p - 1
   if degree == 1 then
      found[1] = {-p[2] / p[1], 0}
   elseif degree == 2 then
      local a, b, cc = p[1], p[2], p[3]
      local discriminant = b * b - 4 * a * cc
      if discriminant >= 0 then
         local s = math.sqrt(discriminant)
         found[1], found[2] = {(-b + s) / (2 * a), 0}, {(-b - s) / (2 * a), 0}
      else
         local s = math.sqrt(-discriminant)
         found[1], found[2] = {-b / (2 * a), s / (2 * a)}, {-b / (2 * a), -s / (2 * a)}
      end
   elseif degree > 2 then
      local companion = torch.zeros(degree, degree)
      for j = 1, degree do companion[1][j] = -p[j + 1] / p[1] end
      for i = 2, degree do companion[i][i - 1] = 1 end
      local eigenvalues = torch.eig(companion, 'N')
      for i = 1, degree do found[i] = {eigenvalues[i][1], eigenvalues[i][2]} end
   end
   for _ = 1, zero_roots do found[#found + 1] = {0, 0} end
   return found
end

function optim.polyinterp(points, xminBound, xmaxBound)
   local n = points:size(1)
   local order = 2 * n - 1
   if n == 2 and not xminBound and not xmaxBound then return cubic_minimiser(points) end

   local xs = {}
   for i = 1, n do xs[i] = points[i][1] end
   xminBound = xminBound or math.min(unpack(xs))
   xmaxBound = xmaxBound or math.max(unpack(xs))

   -- rows: p(x_i) = f_i, then p'(x_i) = g_i; unknowns: coefficients, highest power first
   local A, b = {}, {}
   for i = 1, n do
      local value_row, slope_row = {}, {}
      for j = 1, order + 1 do
         local power = order + 1 - j
         value_row[j] = xs[i] ^ power
         slope_row[j] = power > 0 and power * xs[i] ^ (power - 1) or 0
      end
      A[i], b[i] = value_row, points[i][2]
      A[n + i], b[n + i] = slope_row, points[i][3]
   end
   local params = solve(A, b)
   for i = 1, #params do
      if math.abs(params[i]) <= 1e-12 then params[i] = 0 end
   end

   local candidates = {xminBound, xmaxBound}
   for i = 1, n do candidates[#candidates + 1] = xs[i] end
   local derivative, finite = {}, true
   for i = 1, order do
      derivative[i] = params[i] * (order - i + 1)
      if derivative[i] ~= derivative[i] or derivative[i] == math.huge then finite = false end
   end
   if finite then
      for _, root in ipairs(roots(derivative)) do
         if root[2] == 0 then candidates[#candidates + 1] = root[1] end
      end
   end

   local minPos, fmin = (xminBound + xmaxBound) / 2, math.huge
   for _, x in ipairs(candidates) do
      if x >= xminBound and x <= xmaxBound then
         local value = polyval(params, x)
         if value < fmin then minPos, fmin = x, value end
      end
   end
   return minPos, fmin
end

return optim.polyinterp
