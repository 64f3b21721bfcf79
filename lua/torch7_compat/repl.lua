-- The Lua half of the `th>` prompt (its Python half, torch7_compat/repl.py, reads the lines).
--
-- A typed chunk is compiled as an expression first (so that its values print), then as a
-- statement. It runs with the JIT off and every trace flushed, under a count hook that polls
-- the core's SIGINT flag: LuaJIT runs no hook inside compiled code, so this is what lets
-- Ctrl-C stop even `while true do end`.

require 'torch'
local core = require 'torch.core'
local pretty = require 'torch7_compat.pretty'
local help = require 'torch7_compat.help'
local describe_error = require('torch7_compat.th').describe_error
local C = core.C

local repl = {}

local CHUNK_NAME = '=stdin'
local HOOK_EVERY = 1000          -- VM instructions between two looks at the SIGINT flag

local KEYWORDS = {
   'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if',
   'in', 'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while',
}

-------------------------------------------------------------------------------------------
-- compiling

-- Lua reports a chunk cut short as an error at the end of the input.
local function is_incomplete(err)
   return err:match("near '<eof>'$") ~= nil
end

-- The chunk for `code` and whether it is an expression (whose values print); or nil and
-- 'incomplete' when more lines would complete it, or nil and the syntax error. A trailing
-- `;` (which only keeps the values from printing) is no part of an expression.
function repl.compile(code)
   -- through select, the expression is no tail call: an error in it names stdin's line
   local expression = code:gsub(';%s*$', '')
   local chunk = loadstring('return select(1, ' .. expression .. '\n)', CHUNK_NAME)
   if chunk then return chunk, true end
   local err
   chunk, err = loadstring(code, CHUNK_NAME)
   if chunk then return chunk, false end
   if is_incomplete(err) then return nil, 'incomplete' end
   return nil, err
end

-- Whether the prompt should wait for more lines before running `code`.
function repl.incomplete(code)
   local _, err = repl.compile(code)
   return err == 'incomplete'
end

-------------------------------------------------------------------------------------------
-- running, interruptible

local interrupted = false

local OWN_SOURCE = debug.getinfo(1, 'S').source

local poll_interrupt
function poll_interrupt()
   if not interrupted then
      if C.t7_sigint_pending() == 0 then return end
      -- From now until the chunk ends the hook runs at every instruction and raises the
      -- interrupt again: a pcall in the loop cannot swallow it for good.
      interrupted = true
      debug.sethook(poll_interrupt, '', 1)
   end
   -- the prompt's own code, which runs once the chunk has stopped, is left alone
   if debug.getinfo(2, 'S').source == OWN_SOURCE then return end
   error('interrupted!', 2)
end

local function traceback(err)
   -- an interrupt's trace starts at the code it stopped, below error and the hook
   return describe_error(err, interrupted and 4 or 2)
end

local function pack(ok, ...)
   return ok, {n = select('#', ...), ...}
end

-- Runs `chunk`; returns true and its results packed with n, or false and the error.
function repl.call(chunk)
   interrupted = false
   C.t7_sigint_clear()
   core.check(C.t7_sigint_catch(1))
   jit.off()
   jit.flush()
   debug.sethook(poll_interrupt, '', HOOK_EVERY)
   local ok, results = pack(xpcall(chunk, traceback))
   debug.sethook()
   jit.on()
   C.t7_sigint_catch(0)
   C.t7_sigint_clear()
   if not ok then return false, results[1] end
   return true, results
end

-------------------------------------------------------------------------------------------
-- one line (or chunk) as typed

local function report(message)
   io.stdout:flush()
   io.stderr:write(message, '\n')
   io.stderr:flush()
end

local function run_shell(command)
   local pipe = io.popen(command)
   if not pipe then return report('cannot run ' .. command) end
   io.write(pipe:read('*a'))
   pipe:close()
end

-- Runs what the user typed: `?name` asks for help, `$ command` goes to the shell, a
-- trailing `;` keeps the values from printing; the rest is Lua. The first value lands in _.
function repl.execute(line)
   if line:match('^%s*$') then return end
   local topic = line:match('^%s*%?%s*(.-)%s*$')
   if topic then
      if topic == '' then help.intro() else help.topic(topic) end
      io.stdout:flush()
      return
   end
   local command = line:match('^%s*%$(.*)$')
   if command then return run_shell(command) end
   line = line:gsub('^%s*=', '')
   local quiet = line:match(';%s*$') ~= nil
   local chunk, how = repl.compile(line)
   if not chunk then
      return report(how == 'incomplete' and CHUNK_NAME:sub(2) .. ': unfinished chunk' or how)
   end
   local ok, results = repl.call(chunk)
   if not ok then return report(results) end
   if how and results.n > 0 then
      rawset(_G, '_', results[1])
      if not quiet then
         -- a value whose __tostring fails is reported like any other error
         local shown, err = xpcall(pretty.show_results, traceback, results)
         if not shown then report(err) end
      end
   end
   io.stdout:flush()
end

-------------------------------------------------------------------------------------------
-- completion

local function is_identifier(name)
   return type(name) == 'string' and name:match('^[%a_][%w_]*$') ~= nil
end

-- The value an expression like `a.b.c` names, read without calling anything but __index;
-- nil when it names nothing.
local function resolve(path)
   for name in path:gmatch('[^%.:]+') do
      if not is_identifier(name) then return nil end
   end
   return help.value_of(path)
end

-- The names reachable from `value` with `.` (or only its methods, with `:`): its own fields
-- when it is a table, then its class's methods (tensors are FFI cdata: their class is
-- found by type name), then what metatables' __index tables hold.
local function field_names(value, methods_only)
   local names, seen = {}, {}
   local function add_fields(t)
      if type(t) ~= 'table' or seen[t] then return end
      seen[t] = true
      for k, v in pairs(t) do
         if is_identifier(k) and (not methods_only or type(v) == 'function') then
            names[k] = true
         end
      end
   end
   local function add_chain(mt)
      while type(mt) == 'table' and not seen[mt] do
         add_fields(mt)
         local index = rawget(mt, '__index')
         if type(index) == 'table' then add_chain(index) end
         mt = getmetatable(mt)
      end
   end
   if type(value) == 'table' and not methods_only then add_fields(value) end
   local typename = torch.typename(value)
   if typename then add_chain(torch.getmetatable(typename)) end
   if type(value) ~= 'cdata' then add_chain(getmetatable(value)) end
   return names
end

local function sorted_keys(set)
   local list = {}
   for k in pairs(set) do list[#list + 1] = k end
   table.sort(list)
   return list
end

-- Completions of `word` (a name, or a dotted or colon path ending in a partial name): the
-- whole words that could stand in its place, sorted. Names starting with `_` show only
-- when the partial name does.
function repl.complete(word)
   local base, separator, partial = word:match('^(.*)([%.:])([%w_]*)$')
   local names
   if base then
      local value = resolve(base)
      if value == nil then return {} end
      names = field_names(value, separator == ':')
   else
      base, separator, partial = '', '', word
      names = field_names(_G, false)
      for _, k in ipairs(KEYWORDS) do names[k] = true end
   end
   local matches = {}
   for _, name in ipairs(sorted_keys(names)) do
      local shown = partial:sub(1, 1) == '_' or name:sub(1, 1) ~= '_'
      if shown and name:sub(1, #partial) == partial then
         matches[#matches + 1] = base .. separator .. name
      end
   end
   return matches
end

-------------------------------------------------------------------------------------------
-- who() and import(), as the original REPL had them

local preloaded = {}     -- filled once the prompt's own globals are in place (below)

-- A variable's description in who(): its type and size, or its value when short.
local function described(v)
   if torch.isTensor(v) or torch.isStorage(v) then return pretty.size_text(v) end
   if type(v) == 'table' then
      if torch.typename(v) then return torch.typename(v) end
      return 'table - size: ' .. #v
   end
   if type(v) == 'string' then
      local text = v:gsub('\n', '\\n')
      if #text > 40 then text = text:sub(1, 40) .. '...' end
      return 'string : "' .. text .. '"'
   end
   return tostring(v)
end

-- Lists the globals defined since the prompt started (all of them with `system`).
function repl.who(system)
   local names = {}
   for k in pairs(_G) do
      if type(k) == 'string' and (system or not preloaded[k]) then names[#names + 1] = k end
   end
   table.sort(names)
   local width = 0
   -- trepl's alignment: labels padded to the longest name (brackets left out of the count)
   for _, k in ipairs(names) do width = math.max(width, #k) end
   io.write('== ', system and 'All' or 'User', ' Variables ==\n')
   for _, k in ipairs(names) do
      local label = '[' .. k .. ']'
      io.write(label, string.rep(' ', width - #label + 2), ' = ', described(_G[k]), '\n')
   end
   io.write('==\n')
end

-- Requires a package and makes its fields globals (those not taken already, unless forced).
function repl.import(name, forced)
   local package = require(name)
   if type(package) ~= 'table' then package = rawget(_G, name) end
   if type(package) ~= 'table' then error(name .. ' is not a table of symbols', 2) end
   for k, v in pairs(package) do
      if rawget(_G, k) == nil or forced then rawset(_G, k, v) end
   end
end

-------------------------------------------------------------------------------------------
-- the REPL's globals

-- print shows tables with their contents, as the original REPL did.
rawset(_G, 'print', pretty.print)
rawset(_G, 'setprintlevel', pretty.setprintlevel)
rawset(_G, 'help', help.show)
rawset(_G, 'who', repl.who)
rawset(_G, 'import', repl.import)
for k in pairs(_G) do preloaded[k] = true end

return repl
