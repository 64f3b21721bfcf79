-- torch.File: the base class of torch.DiskFile, torch.PipeFile and torch.MemoryFile, with
-- the reads and writes of every element type, strings, and the mode switches. A file object
-- is a Lua table holding the core's T7File (cython_ext/file_io.pxi does the byte work);
-- writeObject/readObject, torch.save and torch.load are in torch/serialization.lua.

local core = require 'torch.core'
local C, ffi = core.C, core.ffi

local File = torch.newmetatable('torch.File', nil, function()
   error('torch.File is abstract: make a torch.DiskFile, torch.MemoryFile or torch.PipeFile', 2)
end)

-- A file object of class `mt` around an open T7File (a pointer the object now owns).
function core.new_file_object(mt, cfile)
   local self = setmetatable({}, mt)
   self._cfile = ffi.gc(cfile, C.t7_file_free)
   self._quiet = false
   return self
end

-- A disk file or pipe (kind) named `name`, as an object of class mt: DiskFile and PipeFile
-- take (name[, mode = 'r'][, quiet]); quiet gives nil for a file that cannot be opened.
function core.open_named_file(mt, kind, name, mode, quiet, what)
   if type(name) ~= 'string' then
      error(string.format("bad argument #1 to '%s' (string expected, got %s)", what,
         type(name)), 3)
   end
   local cfile = C.t7_file_open(kind, name, mode or 'r')
   if cfile == nil then
      if quiet then return nil end
      return nil, core.last_error()
   end
   local self = core.new_file_object(mt, cfile)
   self._name = name
   self._quiet = quiet and true or false
   return self
end

-- Raises the core's message for a failed call: always for misuse (status < 0), and for a
-- read or write error (a short count, a failed seek) unless the file is quiet.
local function fail(self, status, level)
   if status < 0 or not self._quiet then error(core.last_error(), (level or 2) + 1) end
end
core.file_fail = fail

local scalar = ffi.new('double[1]')

-- readX(), readX(n), readX(storage); writeX(number), writeX(storage) for every element type.
local function define_transfers(dtype)
   local name = core.TYPE_NAMES[dtype]

   File['read' .. name] = function(self, what)
      local f = self._cfile
      if what == nil then
         local status = C.t7_file_read_scalar(f, dtype, scalar)
         if status ~= 1 then fail(self, status) end
         return scalar[0]
      elseif type(what) == 'number' then
         local storage = core.new_storage(dtype, 0)
         local got = C.t7_file_read_storage(f, storage, what)
         if got < 0 then fail(self, -1) end
         if got ~= what then
            storage:resize(tonumber(got))
            fail(self, 1)
         end
         return storage
      elseif core.is_storage(what) and what._dtype == dtype then
         local got = C.t7_file_read(f, dtype, what._data, what._size)
         if got ~= what._size then fail(self, got < 0 and -1 or 1) end
         return tonumber(got)
      end
      error('nothing, number, or ' .. name .. 'Storage expected', 2)
   end

   File['write' .. name] = function(self, what)
      local f = self._cfile
      if type(what) == 'number' then
         local status = C.t7_file_write_scalar(f, dtype, what)
         if status ~= 1 then fail(self, status) end
         return
      elseif core.is_storage(what) and what._dtype == dtype then
         local wrote = C.t7_file_write(f, dtype, what._data, what._size)
         if wrote ~= what._size then fail(self, wrote < 0 and -1 or 1) end
         return tonumber(wrote)
      end
      error('number, or ' .. name .. 'Storage expected', 2)
   end
end

for dtype = 0, 7 do define_transfers(dtype) end

function File:readBool()
   return self:readInt() == 1
end

function File:writeBool(value)
   self:writeInt(value and 1 or 0)
end

local text = ffi.new('char *[1]')

-- readString('*l'): the next line, without its newline; readString('*a'): the rest.
function File:readString(format)
   if type(format) ~= 'string' or not (format:sub(1, 2) == '*a' or format:sub(1, 2) == '*l') then
      error("bad argument #1 to 'readString' (format must be '*a' or '*l')", 2)
   end
   local n = C.t7_file_read_text(self._cfile, format:sub(2, 2) == 'a' and 1 or 0, text)
   if n < 0 then fail(self, -1) end
   if text[0] == nil then       -- at the end of the file
      fail(self, 1)
      return ''
   end
   local s = ffi.string(text[0], n)
   C.t7_file_free_text(text[0])
   return s
end

function File:writeString(s)
   if type(s) ~= 'string' then
      error("bad argument #1 to 'writeString' (string expected, got " .. type(s) .. ')', 2)
   end
   local wrote = C.t7_file_write_text(self._cfile, s, #s)
   if wrote ~= #s then fail(self, wrote < 0 and -1 or 1) end
   return tonumber(wrote)
end

-------------------------------------------------------------------------------------------
-- modes and state

local function flag(field)
   return function(self) return self._cfile[field] ~= 0 end
end

File.isBinary = flag('binary')
File.isAutoSpacing = flag('auto_spacing')
File.hasError = flag('has_error')
File.isReadable = flag('_readable')
File.isWritable = flag('_writable')

function File:isQuiet()
   return self._quiet
end

local function setter(field, value)
   return function(self)
      self._cfile[field] = value
      return self
   end
end

File.binary = setter('binary', 1)
File.ascii = setter('binary', 0)
File.autoSpacing = setter('auto_spacing', 1)
File.noAutoSpacing = setter('auto_spacing', 0)
File.clearError = setter('has_error', 0)

function File:quiet()
   self._quiet = true
   return self
end

function File:pedantic()
   self._quiet = false
   return self
end

-- Bytes of a long in binary files: 0 (this machine's), 4 (32-bit and Windows builds) or 8.
-- The original had it on DiskFile and MemoryFile, that is on every concrete file.
function File:longSize(size)
   if size ~= 0 and size ~= 4 and size ~= 8 then
      error("bad argument #1 to 'longSize' (Invalid long size specified)", 2)
   end
   self._cfile.long_size = size
   return self
end

function File:synchronize()
   local status = C.t7_file_flush(self._cfile)
   if status ~= 0 then fail(self, status) end
   return self
end

-- Positions count from 1, as everything in Lua.
function File:seek(position)
   if type(position) ~= 'number' then
      error("bad argument #1 to 'seek' (number expected, got " .. type(position) .. ')', 2)
   end
   if position < 1 then
      error("bad argument #1 to 'seek' (position has to be greater than 0!)", 2)
   end
   local status = C.t7_file_seek(self._cfile, position - 1)
   if status ~= 0 then fail(self, status) end
   return self
end

function File:seekEnd()
   local status = C.t7_file_seek_end(self._cfile)
   if status ~= 0 then fail(self, status) end
   return self
end

function File:position()
   local position = C.t7_file_position(self._cfile)
   if position < 0 then fail(self, -1) end
   return tonumber(position) + 1
end

function File:close()
   local status = C.t7_file_close(self._cfile)
   if status ~= 0 then fail(self, status) end
end

function core.file_is_open(self)
   local f = self._cfile
   if f._kind == C.T7_FILE_MEMORY then return f._storage ~= nil end
   return f._handle ~= nil
end

function core.file_mode_letters(self)
   return (self:isReadable() and 'r' or ' ') .. (self:isWritable() and 'w' or ' ')
end

return File
