-- require 'torch': the tensor library and what the original brought with it (paths,
-- torch.CmdLine, torch.Timer, torch.Tester).

local torch = rawget(_G, 'torch') or {}
rawset(_G, 'torch', torch)

-- The original ran on LuaJIT in 5.1 mode with these 5.2 names available.
string.gfind = string.gfind or string.gmatch
table.unpack = table.unpack or unpack

local core = require 'torch.core'
local dispatch = require 'torch.dispatch'
local C = core.C

require 'torch.class'
require 'torch.Storage'
require 'torch.Tensor'
require 'torch.TensorMath'
require 'torch.TensorShape'
require 'torch.TensorIndex'
require 'torch.TensorApply'
require 'torch.random'
require 'torch.print'
-- h3linalg: LAPACK and convolutions
require 'torch.linalg'
require 'torch.signal'
require 'torch.File'
require 'torch.DiskFile'
require 'torch.MemoryFile'
require 'torch.PipeFile'
require 'torch.serialization'
require 'torch.utility'

function torch.setdefaulttensortype(name)
   assert(type(name) == 'string', 'string expected')
   local dtype = name:match('^torch%.(%a+)Tensor$')
   dtype = dtype and core.DTYPE[dtype]
   if not dtype then
      error(string.format('<%s> is not a string describing a torch object', name), 2)
   end
   torch.Tensor = torch.getconstructortable(name)
   torch.Storage = torch.getconstructortable('torch.' .. core.TYPE_NAMES[dtype] .. 'Storage')
   dispatch.default_dtype = dtype
end

function torch.getdefaulttensortype()
   return 'torch.' .. core.TYPE_NAMES[dispatch.default_dtype] .. 'Tensor'
end

torch.setdefaulttensortype('torch.DoubleTensor')

function torch.setnumthreads(n)
   if type(n) ~= 'number' then core.argerror(1, 'setnumthreads', 'number expected', 2) end
   core.check(C.t7_set_num_threads(n))
end

function torch.getnumthreads()
   return C.t7_get_num_threads()
end

-- Whether making tensors runs the collector when their memory grows (on by default).
function torch.setheaptracking(enabled)
   core.heap_tracking = enabled and true or false
   torch._heaptracking = core.heap_tracking      -- read by the original's test suite
end

function torch.totable(obj)
   if torch.isTensor(obj) or torch.isStorage(obj) then return obj:totable() end
   error('obj must be a Storage or a Tensor', 2)
end

-- The folder a Lua package was found in, as the original (used by torch.include).
function torch.packageLuaPath(name)
   if not name then
      return (torch.packageLuaPath('torch'):match('(.*)/'))
   end
   for template in package.path:gmatch('[^;]+') do
      local path = template:gsub('%?', (name:gsub('%.', '/')))
      local f = io.open(path)
      if f then
         f:close()
         return path:match('(.*)/')
      end
   end
end

function torch.include(package_name, file)
   dofile(torch.packageLuaPath(package_name) .. '/' .. file)
end

-- torch.data(tensor or storage[, asnumber]): a typed pointer to the first element
function torch.data(obj, asnumber)
   local p = obj:data()
   if asnumber then return tonumber(core.ffi.cast('intptr_t', p)) end
   return p
end

function torch.cdata(obj, asnumber)
   if asnumber then return tonumber(core.ffi.cast('intptr_t', obj)) end
   return obj
end

require 'paths'
require 'torch.Timer'
require 'torch.CmdLine'
require 'torch.Tester'

return torch
