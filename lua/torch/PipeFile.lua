-- torch.PipeFile(command[, mode = 'r'][, quiet]): the output ('r') or input ('w') of a shell
-- command, read and written like a torch.DiskFile.

local core = require 'torch.core'
local C = core.C

local PipeFile

local function open(command, mode, quiet)
   if type(command) ~= 'string' then
      error("bad argument #1 to 'PipeFile' (string expected, got " .. type(command) .. ')', 2)
   end
   mode = mode or 'r'
   local cfile = C.t7_file_open(C.T7_FILE_PIPE, command, mode)
   if cfile == nil then
      if quiet then return nil end
      local message = core.last_error()
      if not message:find('^file mode') then
         message = message .. '.  This might be because eg the executable doesn\'t exist, but '
            .. 'it could also be because you are out of memory.'
      end
      error(message, 2)
   end
   local self = core.new_file_object(PipeFile, cfile)
   self._name = command
   self._quiet = quiet and true or false
   return self
end

PipeFile = torch.newmetatable('torch.PipeFile', 'torch.DiskFile', open)

function PipeFile:__tostring__()
   return string.format('torch.PipeFile on <%s> [status: %s -- mode: %s]', self._name,
      core.file_is_open(self) and 'open' or 'closed', core.file_mode_letters(self))
end

return PipeFile
