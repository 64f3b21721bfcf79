-- torch.PipeFile(command[, mode = 'r'][, quiet]): the output ('r') or input ('w') of a shell
-- command, read and written like a torch.DiskFile.

local core = require 'torch.core'
local C = core.C

local PipeFile

local function open(command, mode, quiet)
   local self, message = core.open_named_file(PipeFile, C.T7_FILE_PIPE, command, mode, quiet,
      'PipeFile')
   if message and not message:find('^file mode') then
      message = message .. '.  This might be because eg the executable doesn\'t exist, but '
         .. 'it could also be because you are out of memory.'
   end
   if message then error(message, 2) end
   return self
end

PipeFile = torch.newmetatable('torch.PipeFile', 'torch.DiskFile', open)

function PipeFile:__tostring__()
   return string.format('torch.PipeFile on <%s> [status: %s -- mode: %s]', self._name,
      core.file_is_open(self) and 'open' or 'closed', core.file_mode_letters(self))
end

return PipeFile
