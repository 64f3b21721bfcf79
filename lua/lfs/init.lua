-- lfs (LuaFileSystem 1.8): file attributes, directories, links, times and locks, with
-- LuaFileSystem's results: a value, or nil, a message and the error number. The system
-- calls are Python's os (torch7_compat/lua_packages/lfs.py).

local ffi = require 'ffi'
local ops = require('torch7_compat.python').module('torch7_compat.lua_packages.lfs')

-- a global too, as the original's luaL_register made it on Lua 5.1
local lfs = {
   _VERSION = 'LuaFileSystem 1.8.0',
   _COPYRIGHT = 'Copyright (C) 2003-2017 Kepler Project',
   _DESCRIPTION = 'LuaFileSystem is a Lua library developed to complement the set of '
      .. 'functions related to file systems offered by the standard Lua distribution',
}
rawset(_G, 'lfs', lfs)

local function check_string(value, position, name)
   local kind = type(value)
   if kind == 'number' then return tostring(value) end
   if kind ~= 'string' then
      error(string.format("bad argument #%d to '%s' (string expected, got %s)", position, name,
         value == nil and 'no value' or kind), 3)
   end
   return value
end

local ATTRIBUTE_NAMES = {mode = true, dev = true, ino = true, nlink = true, uid = true,
   gid = true, rdev = true, access = true, modification = true, change = true, size = true,
   permissions = true, blocks = true, blksize = true}

-- attributes(path [, name | table]) and symlinkattributes, over stat or lstat.
local function file_info(name, path, request, follow_links)
   path = check_string(path, 1, name)
   local result = {ops.attributes(path, follow_links)}
   if not result[1] then return nil, result[2], result[3] end
   if type(request) == 'string' or type(request) == 'number' then
      request = tostring(request)
      if not ATTRIBUTE_NAMES[request] then
         error(string.format("invalid attribute name '%s'", request), 3)
      end
   end
   local into = type(request) == 'table' and request or {}
   for i = 2, #result, 2 do
      if result[i] == request then return result[i + 1] end
      into[result[i]] = result[i + 1]
   end
   return into
end

function lfs.attributes(path, request)
   return file_info('attributes', path, request, true)
end

function lfs.symlinkattributes(path, request)
   if request == 'target' then
      return ops.link_target(check_string(path, 1, 'symlinkattributes'))
   end
   local info, message, code = file_info('symlinkattributes', path, request, false)
   if info == nil then return nil, message, code end
   if type(info) == 'table' then
      local target = ops.link_target(path)
      if target then info.target = target end
   end
   return info
end

function lfs.currentdir()
   return ops.currentdir()
end

function lfs.chdir(path)
   return ops.chdir(check_string(path, 1, 'chdir'))
end

function lfs.mkdir(path)
   return ops.mkdir(check_string(path, 1, 'mkdir'))
end

function lfs.rmdir(path)
   return ops.rmdir(check_string(path, 1, 'rmdir'))
end

function lfs.link(target, name, symbolic)
   return ops.link(check_string(target, 1, 'link'), check_string(name, 2, 'link'),
      symbolic and true or false)
end

-- touch(path [, atime [, mtime]]): both times now when only the path is given; mtime
-- defaults to atime.
function lfs.touch(path, access, modification)
   path = check_string(path, 1, 'touch')
   if access == nil and modification == nil then return ops.touch(path, nil, nil) end
   access = tonumber(access) or 0
   return ops.touch(path, access, tonumber(modification) or access)
end

-------------------------------------------------------------------------------------------
-- directories: for name in lfs.dir(path) do ... end, or the directory object's next/close

local Directory = {}
Directory.__index = Directory
Directory.__tostring = function(self) return 'directory (' .. self._path .. ')' end

function Directory:next()
   if getmetatable(self) ~= Directory then
      error(string.format("bad argument #1 to 'next' (directory metatable expected, got %s)",
         type(self)), 2)
   end
   if self._closed then error("bad argument #1 to 'next' (closed directory)", 2) end
   local i = self._position + 1
   self._position = i
   local name = self._names[i]
   if name == nil then self._closed = true end
   return name
end

function Directory:close()
   self._closed = true
end

function lfs.dir(path)
   path = check_string(path, 1, 'dir')
   local names = {}
   for name in ops.entries(path):gmatch('[^%z]+') do names[#names + 1] = name end
   local directory = setmetatable({_names = names, _position = 0, _closed = false,
                                   _path = path}, Directory)
   return Directory.next, directory
end

-------------------------------------------------------------------------------------------
-- files: the io library's handles

ffi.cdef [[ int fileno(void *stream); ]]

-- The C stream of an io file (LuaJIT's FFI converts a file handle to its FILE pointer).
local function stream_of(file, name)
   local kind = io.type(file)
   if kind == nil then
      error(string.format("bad argument #1 to '%s' (FILE* expected, got %s)", name,
         file == nil and 'no value' or type(file)), 3)
   end
   if kind == 'closed file' then error(name .. ': closed file', 3) end
   return ffi.cast('void *', file)
end

-- Files have no text mode on POSIX systems: every handle is binary.
function lfs.setmode(file, mode)
   stream_of(file, 'setmode')
   if mode ~= 'binary' and mode ~= 'text' then
      error(string.format("bad argument #2 to 'setmode' (invalid option '%s')",
         tostring(mode)), 2)
   end
   return true, 'binary'
end

local function file_lock(name, file, mode, start, length)
   local fd = ffi.C.fileno(stream_of(file, name))
   if mode ~= 'r' and mode ~= 'w' and mode ~= 'u' then error(name .. ': invalid mode', 3) end
   return ops.lock(fd, mode, tonumber(start) or 0, tonumber(length) or 0)
end

-- lock(file, 'r' | 'w' [, start [, length]]): a record lock, refused rather than waited for.
function lfs.lock(file, mode, start, length)
   mode = check_string(mode, 2, 'lock'):sub(1, 1)
   return file_lock('lock', file, mode, start, length)
end

function lfs.unlock(file, start, length)
   return file_lock('unlock', file, 'u', start, length)
end

ffi.cdef [[ int unlink(const char *path); ]]

-- lock_dir(path): a lock on a directory (a link inside it), held until :free() or until the
-- lock is collected (removed through the FFI: a finalizer may run anywhere).
function lfs.lock_dir(path)
   local name, message = ops.lock_dir(check_string(path, 1, 'lock_dir'))
   if not name then return nil, message end
   local function free()
      if name then
         ffi.C.unlink(name)
         name = nil
      end
   end
   local lock = newproxy(true)
   getmetatable(lock).__index = {free = free}
   getmetatable(lock).__gc = free
   return lock
end

return lfs
