-- The xlua package: the progress bar of training loops, table printing, named-argument
-- unpacking and small helpers, with the original's names and output.

local ffi = require 'ffi'
require 'torch'
local sys = require 'sys'

local xlua = rawget(_G, 'xlua') or {}
rawset(_G, 'xlua', xlua)

-- The globals present before the user's own (xlua.clearall and xlua.who leave them alone).
local preexisting = {}
for k in pairs(_G) do preexisting[k] = true end

-------------------------------------------------------------------------------------------
-- printing

local function short_value(v)
   if type(v) == 'userdata' then return '<userdata>' end
   local text = tostring(v):gsub('\n', '\\n')
   if #text > 40 then return text:sub(1, 40) .. sys.COLORS.none .. ' ... ' end
   return text
end

-- Prints a table as `{[key] = value, ...}` one entry a line (values cut at 40 characters);
-- an object with __tostring__ prints through it; more arguments follow after four spaces.
function xlua.print(obj, ...)
   if type(obj) == 'table' then
      local mt = getmetatable(obj)
      if mt and mt.__tostring__ then
         io.write(mt.__tostring__(obj))
      else
         local name = tostring(obj)
         if name and not name:find('table: ') then
            if type(obj.usage) == 'string' then
               io.write(obj.usage, '\n\nFIELDS:\n')
            else
               io.write(name, ':\n')
            end
         end
         local lines = {}
         for k, v in pairs(obj) do
            lines[#lines + 1] = '[' .. tostring(k) .. '] = ' .. short_value(v)
         end
         io.write('{', table.concat(lines, ',\n '), '}')
      end
   else
      io.write(tostring(obj))
   end
   if select('#', ...) > 0 then
      io.write('    ')
      print(...)
   else
      io.write('\n')
   end
end
rawset(_G, 'xprint', xlua.print)

-- Copies everything written through io.write (and xlua.print) into `file` as well.
function xlua.log(file, append)
   local folder = sys.dirname(file)
   if folder ~= '' then paths.mkdir(folder) end
   local log = assert(io.open(file, append and 'a' or 'w'))
   local write = io.write
   rawset(_G, 'print', xlua.print)
   io.write = function(...)
      write(...)
      for i = 1, select('#', ...) do log:write((select(i, ...))) end
      log:flush()
   end
end

-------------------------------------------------------------------------------------------
-- globals

function xlua.clearall()
   for k in pairs(_G) do
      if not preexisting[k] then
         if package.loaded[k] then package.loaded[k] = nil end
         _G[k] = nil
      end
   end
   collectgarbage()
end

function xlua.clear(name)
   _G[name] = nil
   collectgarbage()
end

function xlua.who()
   local libraries, variables = {}, {}
   for k, v in pairs(_G) do
      if package.loaded[k] and k ~= '_G' then
         libraries[#libraries + 1] = k
      elseif not preexisting[k] then
         variables[k] = v
      end
   end
   xlua.print('')
   xlua.print('Global Libs:')
   xlua.print(libraries)
   xlua.print('')
   xlua.print('Global Vars:')
   xlua.print(variables)
   xlua.print('')
end

-------------------------------------------------------------------------------------------
-- time and the progress bar

-- The two largest units of a duration among D, h, m, s and ms ('1m5s', '3s200ms'), or '0ms'.
function xlua.formatTime(seconds)
   local units = {{'D', math.floor(seconds / 86400)}}
   seconds = seconds - units[1][2] * 86400
   units[2] = {'h', math.floor(seconds / 3600)}
   seconds = seconds - units[2][2] * 3600
   units[3] = {'m', math.floor(seconds / 60)}
   seconds = seconds - units[3][2] * 60
   units[4] = {'s', math.floor(seconds)}
   units[5] = {'ms', math.floor((seconds - units[4][2]) * 1000)}
   local text, shown = '', 0
   for _, unit in ipairs(units) do
      if unit[2] > 0 and shown < 2 then
         text = text .. unit[2] .. unit[1]
         shown = shown + 1
      end
   end
   return text == '' and '0ms' or text
end

if not pcall(ffi.typeof, 'struct xlua_winsize') then
   ffi.cdef [[
      struct xlua_winsize { unsigned short rows, cols, xpixels, ypixels; };
      int xlua_ioctl(int fd, unsigned long request, struct xlua_winsize *size) __asm__("ioctl");
      int xlua_isatty(int fd) __asm__("isatty");
   ]]
end
local TIOCGWINSZ = ffi.os == 'OSX' and 0x40087468 or 0x5413

local function terminal_width()
   local size = ffi.new('struct xlua_winsize')
   if ffi.C.xlua_ioctl(1, TIOCGWINSZ, size) == 0 and size.cols > 0 then return size.cols end
   return 80
end

local function repeated(s, n)
   return string.rep(s, math.max(0, math.floor(n)))
end

local SMOOTHING = 100         -- steps the ETA is averaged over
local bar = {done = true, previous = -1}

-- The bar itself: ' [====>....] ' for `filled` of `length` cells.
local function bar_cells(filled, length)
   local cells = {}
   for i = 1, length do
      cells[i] = i < filled and '=' or (i == filled and '>' or '.')
   end
   return ' [' .. table.concat(cells) .. '] '
end

-- xlua.progress(current, goal): the original's bar, redrawn in place on a terminal, with the
-- time left (or the total once done) and the time per step; when the output is not a
-- terminal, one plain line each time the bar moves on.
function xlua.progress(current, goal)
   local width = math.min(bar.width or terminal_width(), 120)
   bar.width = width
   local length = width - 34
   local filled = math.floor(current * length / goal)
   local on_terminal = ffi.C.xlua_isatty(1) == 1

   if bar.done and (bar.previous == -1 or filled < bar.previous) then
      bar.done = false
      bar.previous = -1
      bar.timer = torch.Timer()
      bar.times = {bar.timer:time().real}
      bar.indices = {current}
   elseif on_terminal then
      io.write('\r')
   end
   if bar.done then return end
   local moved = filled ~= bar.previous
   bar.previous = filled

   local elapsed = bar.timer:time().real
   local step = 0
   if current ~= bar.indices[1] then
      step = (elapsed - bar.times[1]) / (current - bar.indices[1])
   end
   local remaining = math.max(0, (goal - current) * step)
   bar.indices[#bar.indices + 1] = current
   bar.times[#bar.times + 1] = elapsed
   if #bar.indices > SMOOTHING then
      table.remove(bar.indices, 1)
      table.remove(bar.times, 1)
   end
   local timing = filled < length and ' ETA: ' .. xlua.formatTime(remaining)
      or ' Tot: ' .. xlua.formatTime(elapsed)
   timing = timing .. ' | Step: ' .. xlua.formatTime(step)
   local finished = filled == length
   if finished then bar.done = true end

   if on_terminal then
      -- draw, clear the rest of the line, then write the count over the bar's middle
      io.write(bar_cells(filled, length))
      io.write(repeated(' ', width - length - 4), repeated('\b', width - length - 4))
      io.write(timing)
      io.write(repeated('\b', 5 + #timing + length / 2))
      io.write(' ', current, '/', goal, ' ')
      if finished then io.write('\n') end
      io.write('\r')
   elseif moved or finished then
      io.write(bar_cells(filled, length), current, '/', goal, timing, '\n')
   end
   io.flush()
end

-------------------------------------------------------------------------------------------
-- errors and packages

-- error() with the message in red, after `<domain> ` when a domain is given.
function xlua.error(message, domain, usage)
   if domain then message = '<' .. domain .. '> ' .. message end
   local text = sys.COLORS.Red .. tostring(message) .. sys.COLORS.none
   if usage then text = text .. '\n' .. usage end
   error(text)
end
rawset(_G, 'xerror', xlua.error)

function xlua.trycatch(try, catch)
   local ok, err = pcall(try)
   if not ok then catch(err) end
end

-- Whether a package can be found on package.path or package.cpath, and where.
function xlua.installed(name)
   local search = package.path .. ';' .. package.cpath
   for template in search:gmatch('[^;]+') do
      local candidate = template:gsub('%?', (name:gsub('%.', '/')))
      if paths.filep(candidate) then return true, candidate end
   end
   return false, search
end

-- require that reports instead of failing: the package, or false after printing why.
-- (The original could also install a missing package with luarocks; packages come with
-- torch7_compat here, so that argument is accepted and ignored.)
function xlua.require(name, luarocks, server)
   local ok, result = pcall(require, name)
   if not ok then
      print(result)
      print('warning: <' .. name .. '> could not be loaded (is it installed?)')
      return false
   end
   return result
end
rawset(_G, 'xrequire', xlua.require)

-------------------------------------------------------------------------------------------
-- tables as text

local value_text

local function key_text(k)
   if type(k) == 'string' and k:match('^[_%a][_%w]*$') then return k end
   return '[' .. value_text(k) .. ']'
end

function value_text(v)
   if type(v) == 'string' then
      v = v:gsub('\n', '\\n')
      -- a string whose only quotes are double quotes reads best between single quotes
      if v:gsub('[^\'"]', ''):match('^"+$') then return "'" .. v .. "'" end
      return '"' .. v:gsub('"', '\\"') .. '"'
   end
   if type(v) == 'table' then return xlua.table2string(v) end
   return tostring(v)
end

-- A table as Lua-like text: the array part first, then key=value pairs; with newline,
-- one entry a line with ' : ' between key and value.
function xlua.table2string(t, newline)
   local parts, listed = {}, {}
   for i, v in ipairs(t) do
      parts[#parts + 1] = value_text(v)
      listed[i] = true
   end
   local between = newline and ' : ' or '='
   for k, v in pairs(t) do
      if not listed[k] then parts[#parts + 1] = key_text(k) .. between .. value_text(v) end
   end
   if newline then return '{\n   ' .. table.concat(parts, '\n   ') .. '\n}' end
   return '{' .. table.concat(parts, ',') .. '}'
end

-------------------------------------------------------------------------------------------
-- named arguments

local BANNER = string.rep('+', 69)

local function padded(s, width)
   return s .. string.rep(' ', width - #s)
end

local function default_text(param)
   if type(param.default) == 'table' then
      return '  [default = ' .. xlua.table2string(param.default) .. ']'
   elseif param.default ~= nil then
      return '  [default = ' .. tostring(param.default) .. ']'
   elseif param.defaulta then
      return '  [default == ' .. param.defaulta .. ']'
   end
   return ''
end

-- The help text of a function taking the arguments described by `...` (each {arg=, type=,
-- help=, req=, default=}), as xlua.unpack shows it on a bad call.
function xlua.usage(funcname, description, example, ...)
   local c = sys.COLORS
   local params = {...}
   if params[1] and params[1].tabled then params = params[1].tabled end
   local out = {BANNER, '\n', c.Magenta, funcname, c.none, '\n'}
   local function add(...) for _, s in ipairs({...}) do out[#out + 1] = s end end
   if description then add('\n', description, '\n') end
   add('\n', c.blue, '> ', c.none, 'usage:\n', c.cyan)
   if params[1] and params[1].arg then
      add(funcname, '{\n')
      for _, p in ipairs(params) do
         local key = p.req and '    ' .. p.arg .. ' = ' .. p.type
            or '    [' .. p.arg .. ' = ' .. p.type .. ']'
         add(padded(key, 40), '-- ', p.help, default_text(p), '\n')
      end
      add('}\n')
   else
      -- positional forms, separated by '' entries
      local i = 1
      repeat
         add(funcname, '(\n')
         local p
         while true do
            p = params[i]
            i = i + 1
            if not p or p == '' then break end
            local key = p.req and '    ' .. p.type or '    [' .. p.type .. ']'
            add(padded(key, 40), '-- ', p.help, '\n')
         end
         add(')\n')
      until not p
   end
   add(c.none)
   if example then add('\n', c.cyan, example, c.none, '\n') end
   add(BANNER)
   return table.concat(out)
end

-- Reads a function's arguments, given in order or as one table of names, against their
-- descriptions: fills in defaults, fails with the usage when a required one is missing.
-- Returns the table of values (by name and position, with .usage) and the values.
function xlua.unpack(args, funcname, description, ...)
   local defs = {...}
   local usage = setmetatable({}, {__tostring = function()
      local example
      if #defs > 1 then
         example = funcname .. '{' .. defs[2].arg .. '=' .. defs[2].type .. ', '
            .. defs[1].arg .. '=' .. defs[1].type .. '}\n'
            .. funcname .. '(' .. defs[1].type .. ', ...)'
      end
      return xlua.usage(funcname, description, example, {tabled = defs})
   end})
   local given = {}
   if #args == 0 then
      print(usage)
      xlua.error('error')
   elseif #args == 1 and type(args[1]) == 'table' and #args[1] == 0
         and torch.typename(args[1]) == nil then
      given = args[1]
   else
      for i = 1, #defs do given[defs[i].arg] = args[i] end
   end
   local values = {}
   for i, def in ipairs(defs) do
      if def.req and given[def.arg] == nil then
         print(sys.COLORS.Red .. 'missing argument: ' .. def.arg .. sys.COLORS.none)
         print(usage)
         xlua.error('error')
      end
      local v = given[def.arg]
      if v == nil then v = def.default end
      if v == nil and def.defaulta then v = values[def.defaulta] end
      values[def.arg] = v
      values[i] = v
   end
   values.usage = usage
   return values, unpack(values, 1, #defs)
end

-- xlua.unpack, storing the named values in `object`.
function xlua.unpack_class(object, args, funcname, description, ...)
   local values = xlua.unpack(args, funcname, description, ...)
   for k, v in pairs(values) do
      if type(k) ~= 'number' then object[k] = v end
   end
end

-- Gives a package a tostring showing its name and description.
function xlua.usage_module(module, name, description)
   local c = sys.COLORS
   local text = c.magenta .. BANNER .. '\nPACKAGE:\n' .. name .. '\n'
   if description then text = text .. '\nDESC:\n' .. description .. '\n' end
   text = text .. BANNER .. '+' .. c.none
   local mt = getmetatable(module) or {}
   mt.__tostring = function() return text end
   setmetatable(module, mt)
   return text
end

-- Options from environment variables: each key of `defaults` read from the variable of
-- that name when set, converted to the default's type.
function xlua.envparams(defaults)
   local params = {}
   for k, v in pairs(defaults) do
      local text = os.getenv(k)
      if text == nil then
         params[k] = v
      elseif type(v) == 'number' then
         params[k] = assert(tonumber(text), k .. ' must be a number')
      elseif type(v) == 'boolean' and (text == 'false' or text == 'False') then
         params[k] = false
      elseif type(v) == 'boolean' and (text == 'true' or text == 'True') then
         params[k] = true
      else
         params[k] = text
      end
   end
   return params
end

-------------------------------------------------------------------------------------------
-- additions to table and string, as the original made them

-- The table without the `length` elements from `start` (1, 1 by default), and those.
function table.splice(t, start, length)
   start, length = start or 1, length or 1
   local kept, removed = {}, {}
   for i, v in ipairs(t) do
      if i >= start and i < start + length then removed[#removed + 1] = v
      else kept[#kept + 1] = v end
   end
   return kept, removed
end

-- The elements of t without duplicates (by hash(v) when given; merge(v, kept) combines
-- duplicates, else the last one stays).
function table.prune(t, hash, merge)
   hash = hash or function(v) return v end
   local by_hash = {}
   for _, v in ipairs(t) do
      local h = hash(v)
      if merge and by_hash[h] ~= nil then by_hash[h] = merge(v, by_hash[h])
      else by_hash[h] = v end
   end
   local result = {}
   for _, v in pairs(by_hash) do result[#result + 1] = v end
   return result
end

string.split = sys.split

-- The value a dotted name refers to ('nn.Linear'), or an error.
function string.tosymbol(s)
   local ok, result = pcall(loadstring('return ' .. s))
   if not ok then error(result) end
   if not result then error('symbol "' .. s .. '" does not exist') end
   return result
end

require 'xlua.OptionParser'
require 'xlua.Profiler'

return xlua
