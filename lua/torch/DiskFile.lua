-- torch.DiskFile(name[, mode = 'r'][, quiet]): a file on disk, in ascii mode until told
-- otherwise (binary()). Modes 'r', 'w' and 'rw'; with quiet, a file that cannot be opened
-- gives nil instead of an error.

local core = require 'torch.core'
local C, ffi = core.C, core.ffi

local DiskFile

local function open(name, mode, quiet)
   local self, message = core.open_named_file(DiskFile, C.T7_FILE_DISK, name, mode, quiet,
      'DiskFile')
   if message then error(message, 2) end
   return self
end

DiskFile = torch.newmetatable('torch.DiskFile', 'torch.File', open)

local little_endian = ffi.abi('le')

local function check_open(self)
   if not core.file_is_open(self) then error('attempt to use a closed file', 3) end
end

function DiskFile.isLittleEndianCPU()
   return little_endian
end

function DiskFile.isBigEndianCPU()
   return not little_endian
end

-- Binary values in this machine's byte order (the default), or in a given one.
function DiskFile:nativeEndianEncoding()
   check_open(self)
   self._cfile.swap_bytes = 0
   return self
end

function DiskFile:littleEndianEncoding()
   check_open(self)
   self._cfile.swap_bytes = little_endian and 0 or 1
   return self
end

function DiskFile:bigEndianEncoding()
   check_open(self)
   self._cfile.swap_bytes = little_endian and 1 or 0
   return self
end

function DiskFile:noBuffer()
   if C.t7_file_no_buffer(self._cfile) ~= 0 then error(core.last_error(), 2) end
   return self
end

function DiskFile:__tostring__()
   return string.format('torch.DiskFile on <%s> [status: %s -- mode %s]', self._name,
      core.file_is_open(self) and 'open' or 'closed', core.file_mode_letters(self))
end

return DiskFile
