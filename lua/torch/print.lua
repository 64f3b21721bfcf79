-- tostring of tensors and storages in Torch7's layout: one number format chosen from all
-- the elements, an optional common scale, matrices in column blocks that fit 80 columns,
-- higher dimensions as (i,j,.,.) slices, and the `[torch.DoubleTensor of size 2x3]` footer.

local core = require 'torch.core'
local ffi = core.ffi

local log10 = math.log10

-- The elements as doubles, in row-major order.
local function values_of(t)
   local n = t:nElement()
   local values = ffi.new('double[?]', math.max(n, 1))
   if n > 0 then
      local flat = torch.DoubleTensor(torch.DoubleStorage(n), 1, n)
      flat:copy(t)
      ffi.copy(values, flat:data(), n * 8)
      for i = 0, n - 1 do values[i] = core.load_double(values + i) end   -- NaN payloads
   end
   return values, n
end

local function exponent(x)
   if x == 0 then return 1 end
   return math.floor(log10(x)) + 1
end

-- The format, scale and width for a set of values (Torch7's rules, TORCH7_NOTES.md §3).
local function choose_format(values, n)
   if n == 0 then return '', nil, 0 end
   local integers = true
   local lo, hi = math.huge, -math.huge
   for i = 0, n - 1 do
      local x = values[i]
      if x ~= math.ceil(x) then integers = false end
      local a = math.abs(x)
      if a ~= a then                     -- NaN wins, as in the original's min and max
         lo, hi = a, a
         break
      end
      if a < lo then lo = a end
      if a > hi then hi = a end
   end
   local exp_min, exp_max = exponent(lo), exponent(hi)
   local format, scale, width
   if integers then
      if exp_max > 9 then
         format, width = '%11.4e', 11
      else
         width = exp_max + 1
         format = '%' .. width .. 'd'
      end
   elseif exp_max - exp_min > 4 then
      width = 11
      if math.abs(exp_max) > 99 or math.abs(exp_min) > 99 then width = 12 end
      format = '%' .. width .. '.4e'
   elseif exp_max > 5 or exp_max < 0 then
      width = 7
      scale = 10 ^ (exp_max - 1)
      format = '%7.4f'
   else
      width = exp_max == 0 and 7 or exp_max + 6
      format = '%' .. width .. '.4f'
   end
   if width ~= width then format = '%f' end          -- NaN exponents: a plain %f
   if scale == 1 then scale = nil end
   return format, scale, width
end

local format_value = string.format

local function vector_lines(out, values, n, format, scale)
   if scale then out[#out + 1] = string.format('%g', scale) .. ' *\n' end
   for i = 0, n - 1 do
      out[#out + 1] = format_value(format, scale and values[i] / scale or values[i]) .. '\n'
   end
end

-- A matrix (rows x cols of `values` from `first`), split in blocks of columns.
local function matrix_lines(out, values, first, rows, cols, format, scale, width, indent)
   scale = scale or 1
   local per_line = math.floor((80 - #indent) / (width + 1))
   out[#out + 1] = indent
   local c1 = 1
   while c1 <= cols do
      local c2 = math.min(c1 + per_line - 1, cols)
      if per_line < cols then
         if c1 ~= 1 then out[#out + 1] = '\n' end
         out[#out + 1] = 'Columns ' .. c1 .. ' to ' .. c2 .. '\n' .. indent
      end
      if scale ~= 1 then out[#out + 1] = string.format('%g', scale) .. ' *\n ' .. indent end
      for r = 1, rows do
         for c = c1, c2 do
            out[#out + 1] = format_value(format, values[first + (r - 1) * cols + c - 1] / scale)
            if c == c2 then
               out[#out + 1] = '\n'
               if r ~= rows then out[#out + 1] = scale ~= 1 and indent .. ' ' or indent end
            else
               out[#out + 1] = ' '
            end
         end
      end
      c1 = c2 + 1
   end
end

local function size_string(t)
   local parts = {}
   for d = 1, t:dim() do parts[d] = tostring(t:size(d)) end
   return table.concat(parts, 'x')
end

-- Slices of a tensor of 3 or more dimensions: the first index runs fastest.
local function slices_lines(out, t, values, format, scale, width)
   local ndim = t:dim()
   local sizes = {}
   for d = 1, ndim do sizes[d] = t:size(d) end
   local rows, cols = sizes[ndim - 1], sizes[ndim]
   local counter = {}
   for d = 1, ndim - 2 do counter[d] = 1 end
   local first_slice = true
   while true do
      if not first_slice then out[#out + 1] = '\n' end
      first_slice = false
      local label = {'('}
      local offset = 0
      for d = 1, ndim - 2 do
         label[#label + 1] = counter[d] .. ','
         local stride = 1
         for e = d + 1, ndim do stride = stride * sizes[e] end
         offset = offset + (counter[d] - 1) * stride
      end
      label[#label + 1] = '.,.) = \n'
      out[#out + 1] = table.concat(label)
      matrix_lines(out, values, offset, rows, cols, format, scale, width, ' ')
      local d = 1
      while d <= ndim - 2 do
         counter[d] = counter[d] + 1
         if counter[d] <= sizes[d] then break end
         counter[d] = 1
         d = d + 1
      end
      if d > ndim - 2 then break end
   end
end

local function tensor_tostring(t)
   local name = torch.typename(t)
   local ndim = t:dim()
   if ndim == 0 then return '[' .. name .. ' with no dimension]\n' end
   local values, n = values_of(t)
   local format, scale, width = choose_format(values, n)
   local out = {}
   if ndim == 1 then
      vector_lines(out, values, n, format, scale)
   elseif ndim == 2 then
      matrix_lines(out, values, 0, t:size(1), t:size(2), format, scale, width, '')
   else
      slices_lines(out, t, values, format, scale, width)
   end
   out[#out + 1] = '[' .. name .. ' of size ' .. size_string(t) .. ']\n'
   return table.concat(out)
end

local function storage_tostring(s)
   local n = s:size()
   local values = ffi.new('double[?]', math.max(n, 1))
   for i = 1, n do values[i - 1] = s[i] end
   local format, scale = choose_format(values, n)
   local out = {}
   vector_lines(out, values, n, format, scale)
   out[#out + 1] = '[' .. torch.typename(s) .. ' of size ' .. n .. ']\n'
   return table.concat(out)
end

for code = 0, 7 do
   rawset(core.tensor_classes[code], '__tostring__', tensor_tostring)
   rawset(core.storage_classes[code], '__tostring__', storage_tostring)
end

return {tensor = tensor_tostring, storage = storage_tostring, choose_format = choose_format}
