-- The sys package: wall-clock time, sleeping, shell commands and terminal colours, with the
-- original's names (clock, tic/toc, execute, fexecute, usleep, sleep, uname, COLORS...).

local ffi = require 'ffi'
local paths = require 'paths'

local sys = rawget(_G, 'sys') or {}
rawset(_G, 'sys', sys)

-- Bound with a sys_ prefix (through __asm__) so that other packages may declare the same
-- libc functions with their own types.
if not pcall(ffi.typeof, 'struct sys_timeval') then
   ffi.cdef [[
      struct sys_timeval { long tv_sec; long tv_usec; };
      int sys_gettimeofday(struct sys_timeval *tv, void *tz) __asm__("gettimeofday");
      int sys_usleep(unsigned int usec) __asm__("usleep");
   ]]
end
local C = ffi.C
local now = ffi.new('struct sys_timeval')

-- Seconds since the epoch, to the microsecond.
function sys.clock()
   C.sys_gettimeofday(now, nil)
   return tonumber(now.tv_sec) + tonumber(now.tv_usec) * 1e-6
end

-- usleep takes less than a second's worth of microseconds on some systems: sleep in slices.
function sys.usleep(microseconds)
   local left = math.floor(microseconds)
   while left > 0 do
      local slice = math.min(left, 999999)
      C.sys_usleep(slice)
      left = left - slice
   end
end

function sys.sleep(seconds)
   sys.usleep(seconds * 1e6)
end

-- A stopwatch shared by all callers, as Matlab's tic/toc.
local started
function sys.tic()
   started = sys.clock()
end

function sys.toc(verbose)
   local elapsed = sys.clock() - (started or sys.clock())
   if verbose then print(elapsed) end
   return elapsed
end

local function trimmed(s)
   return (s:gsub('^%s*', ''):gsub('%s*$', ''))
end

-- The output (stdout and stderr) of a shell command, trimmed.
function sys.execute(command)
   local pipe = io.popen(command .. ' 2>&1')
   local output = pipe:read('*all')
   pipe:close()
   return trimmed(output)
end

-- As execute, through a temporary file; `what` says what to read of it ('*all' by default).
function sys.fexecute(command, what)
   local file_name = os.tmpname()
   os.execute(command .. ' >' .. file_name .. ' 2>&1')
   local file = assert(io.open(file_name))
   local output = file:read(what or '*all')
   file:close()
   os.remove(file_name)
   return trimmed(output or '')
end

-- 'linux', 'macos' or 'windows' (or '?'), from what LuaJIT was built for.
function sys.uname()
   if ffi.os == 'Windows' then return 'windows' end
   if ffi.os == 'Linux' then return 'linux' end
   if ffi.os == 'OSX' then return 'macos' end
   return '?'
end
sys.OS = sys.uname()

function sys.ls(d) return sys.execute('ls ' .. (d or ' ')) end
function sys.ll(d) return sys.execute('ls -l ' .. (d or ' ')) end
function sys.la(d) return sys.execute('ls -a ' .. (d or ' ')) end
function sys.lla(d) return sys.execute('ls -la ' .. (d or ' ')) end

-- The installation prefix of the running Lua: nothing here, Lua lives inside Python.
sys.prefix = ''

-- The folder and the name of the file calling it.
function sys.fpath()
   local source = debug.getinfo(2, 'S').source:gsub('^@', '')
   if source:sub(1, 1) ~= '/' then source = paths.concat(paths.cwd(), source) end
   return paths.dirname(source), paths.basename(source)
end

-- The pieces of str between the matches of the pattern pat; a leading empty piece is
-- dropped, as the original did.
function sys.split(str, pat)
   local pieces = {}
   local position = 1
   while true do
      local first, last = str:find(pat, position)
      if not first or last < first then break end
      local piece = str:sub(position, first - 1)
      if first ~= 1 or piece ~= '' then pieces[#pieces + 1] = piece end
      position = last + 1
   end
   if position <= #str then pieces[#pieces + 1] = str:sub(position) end
   return pieces
end

function sys.isNaN(number)
   return number ~= number
end

-- ANSI escape sequences: lower case for normal, capitalised for bold, _name for backgrounds.
local FOREGROUND = {'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'}
sys.COLORS = {none = '\27[0m'}
for i, name in ipairs(FOREGROUND) do
   sys.COLORS[name] = string.format('\27[0;%dm', 29 + i)
   sys.COLORS[name:sub(1, 1):upper() .. name:sub(2)] = string.format('\27[1;%dm', 29 + i)
   sys.COLORS['_' .. name] = string.format('\27[%dm', 39 + i)
end

sys.dirname = paths.dirname
sys.concat = paths.concat

return sys
