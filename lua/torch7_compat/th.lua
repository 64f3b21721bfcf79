-- What the `th` command runs (torch7_compat/cli.py): scripts, -e statements and -l
-- libraries, each under xpcall so that an error comes back with Lua's traceback.

local th = {}

-- Always two results (ok, error), whatever the chunk returned.
local function outcome(ok, err)
   if ok then return true, nil end
   return false, err
end

-- An error as text with the stack from `level` frames above the caller (1: the caller),
-- down to the xpcall that caught it. Shared with the REPL (torch7_compat.repl).
function th.describe_error(err, level)
   if type(err) ~= 'string' then
      local ok, text = pcall(tostring, err)
      err = ok and text or '(error object is a ' .. type(err) .. ' value)'
   end
   -- the frames below the user's chunk are th's own: leave them out
   local trace = debug.traceback(err, level + 1)
   return (trace:gsub('\n\t%[C%]: in function \'xpcall\'.*$', ''))
end

local function traceback(err)
   return th.describe_error(err, 2)
end

-- Runs the script at `path` with `args` (arg[0] is the path, as in th); returns ok, error.
function th.run_file(path, args)
   local chunk, err = loadfile(path)
   if not chunk then return false, err end
   local arg = {[0] = path, [-1] = 'th'}
   for i = 1, #args do arg[i] = args[i] end
   rawset(_G, 'arg', arg)
   return outcome(xpcall(function() return chunk(unpack(arg, 1, #args)) end, traceback))
end

function th.run_string(code, name)
   local chunk, err = loadstring(code, name or '=(command line)')
   if not chunk then return false, err end
   return outcome(xpcall(chunk, traceback))
end

-- What the original th (trepl) loaded before any script: torch, then paths, sys and xlua
-- as globals when present (scripts use `sys.clock()` without requiring sys).
function th.preload()
   local ok, err = th.require('torch')
   if not ok then return ok, err end
   for _, name in ipairs({'paths', 'sys', 'xlua'}) do
      local found, package = pcall(require, name)
      if found then rawset(_G, name, package) end
   end
   return true, nil
end

function th.require(name)
   return outcome(xpcall(function() rawset(_G, name, require(name)) end, traceback))
end

return th
