-- torch.MemoryFile([storage][, mode = 'rw']): a file in memory, growing as it is written.
-- Given a CharStorage (ending with a NUL byte, as MemoryFile:storage() returns them), the
-- file reads that content.

local core = require 'torch.core'
local C = core.C

local MemoryFile

local CHAR = core.DTYPE.Char

local function open(a, b)
   local storage, mode
   if core.is_storage(a) then
      if a._dtype ~= CHAR then
         error("bad argument #1 to 'MemoryFile' (torch.CharStorage expected, got "
            .. torch.type(a) .. ')', 2)
      end
      storage, mode = a, b or 'rw'
   else
      if a ~= nil and type(a) ~= 'string' then
         error("bad argument #1 to 'MemoryFile' (torch.CharStorage or mode expected, got "
            .. torch.type(a) .. ')', 2)
      end
      mode = a or 'rw'
   end
   local cfile = C.t7_file_open_memory(storage, mode)
   if cfile == nil then error(core.last_error(), 2) end
   return core.new_file_object(MemoryFile, cfile)
end

MemoryFile = torch.newmetatable('torch.MemoryFile', 'torch.File', open)

-- The content as a CharStorage shared with the file, followed by a NUL byte.
function MemoryFile:storage()
   local s = C.t7_file_memory_storage(self._cfile)
   if s == nil then error(core.last_error(), 2) end
   return core.own_storage(s)
end

function MemoryFile:__tostring__()
   return string.format('torch.MemoryFile [status: %s -- mode: %s]',
      core.file_is_open(self) and 'open' or 'closed', core.file_mode_letters(self))
end

return MemoryFile
