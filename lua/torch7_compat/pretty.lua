-- Printing for the `th>` prompt, in the original REPL's (trepl's) layout: a table shows its
-- keys and values one per line, nested tables indented below their key down to a depth
-- limit (setprintlevel), tensors inside tables by type and size, strings inside tables
-- quoted. Keys come sorted here (numbers first), so the same table always prints the same.

local pretty = {}

local depth_limit = 5

function pretty.setprintlevel(n)
   if type(n) ~= 'number' or n < 0 then error('expected number [0,+)', 2) end
   depth_limit = math.floor(n)
end

local function is_plain_table(v)
   if type(v) ~= 'table' then return false end
   local mt = getmetatable(v)
   return not (type(mt) == 'table' and mt.__tostring)
end

-- 'DoubleTensor - size: 2x3', as the original showed a tensor or storage inside a table.
local function size_text(x)
   local short = torch.typename(x):match('torch%.(.+)')
   if torch.isStorage(x) then return short .. ' - size: ' .. x:size() end
   if x:dim() == 0 then return short .. ' - empty' end
   local sizes = {}
   for d = 1, x:dim() do sizes[d] = tostring(x:size(d)) end
   return short .. ' - size: ' .. table.concat(sizes, 'x')
end

local ESCAPES = {['\\'] = '\\\\', ['"'] = '\\"', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}

-- A string as a Lua literal that reads back to it.
function pretty.quote(s)
   return '"' .. s:gsub('[\\"\n\r\t]', ESCAPES):gsub('%c', function(c)
      return string.format('\\%03d', c:byte())
   end) .. '"'
end

pretty.size_text = size_text

-- One value on one line: inside a table, strings are quoted and tensors summarised.
local function inline(v, nested)
   if type(v) == 'string' then return nested and pretty.quote(v) or v end
   if nested and (torch.isTensor(v) or torch.isStorage(v)) then return size_text(v) end
   return tostring(v)
end

local function key_order(a, b)
   local ta, tb = type(a), type(b)
   if ta ~= tb then
      if ta == 'number' then return true end
      if tb == 'number' then return false end
      return ta < tb
   end
   if ta == 'number' or ta == 'string' then return a < b end
   return tostring(a) < tostring(b)
end

local function sorted_keys(t)
   local keys = {}
   for k in pairs(t) do keys[#keys + 1] = k end
   table.sort(keys, key_order)
   return keys
end

-- Appends the lines showing table t, `depth` levels down (4 spaces a level).
local function table_lines(t, depth, lines)
   local indent = string.rep(' ', depth * 4)
   if next(t) == nil then
      lines[#lines + 1] = indent .. '{}'
      return
   end
   lines[#lines + 1] = indent .. '{'
   for _, k in ipairs(sorted_keys(t)) do
      local v = t[k]
      local head = indent .. '  ' .. tostring(k) .. ' : '
      if is_plain_table(v) then
         if next(v) == nil then
            lines[#lines + 1] = head .. '{}'
         elseif depth >= depth_limit - 1 then
            lines[#lines + 1] = head .. '{...}'
         else
            lines[#lines + 1] = head
            table_lines(v, depth + 1, lines)
         end
      else
         -- a multi-line value (an nn container) keeps its lines under the key
         lines[#lines + 1] = head .. inline(v, true):gsub('\n', '\n' .. indent .. '  ')
      end
   end
   lines[#lines + 1] = indent .. '}'
end

-- The text showing values: plain ones on one line separated by tabs, tables (without their
-- own __tostring) on lines of their own. quote_strings quotes top-level strings as well.
local function show(quote_strings, n, ...)
   local out, line = {}, {}
   local function end_line()
      if #line > 0 then out[#out + 1] = table.concat(line, '\t') end
      line = {}
   end
   for i = 1, n do
      local v = select(i, ...)
      if is_plain_table(v) and depth_limit > 0 then
         end_line()
         table_lines(v, 0, out)
      else
         local quoted = quote_strings and type(v) == 'string'
         line[#line + 1] = quoted and pretty.quote(v) or tostring(v)
      end
   end
   end_line()
   return table.concat(out, '\n') .. '\n'
end

-- The REPL's print: as Lua's, but tables show their contents.
function pretty.print(...)
   io.write(show(false, select('#', ...), ...))
   io.stdout:flush()
end

-- Shows the values a typed expression gave ({n = count, ...}), strings quoted.
function pretty.show_results(results)
   io.write(show(true, results.n, unpack(results, 1, results.n)))
end

return pretty
