-- The paths package: file names, directories and where things are, as Torch7's paths
-- (Linux and macOS behaviour of its C half; there is no Windows branch).
--
-- The C calls go through LuaJIT's FFI to libc. Their names here carry a paths_ prefix
-- (bound to the libc symbol with __asm__) so that other packages may declare the same
-- libc functions with their own types without clashing.

local ffi = require 'ffi'

local paths = rawget(_G, 'paths') or {}
rawset(_G, 'paths', paths)

-- Declared once per Lua state even when this file runs again (a reload): LuaJIT refuses
-- to redefine a struct.
if not pcall(ffi.typeof, 'struct paths_dirent') then
   ffi.cdef [[
      struct paths_dirent {
         uint64_t d_ino;
         int64_t d_off;
         unsigned short d_reclen;
         unsigned char d_type;
         char d_name[256];
      };
      struct paths_utsname {
         char sysname[65];
         char nodename[65];
         char release[65];
         char version[65];
         char machine[65];
         char domainname[65];
      };
   ]]
end
ffi.cdef [[
   char *paths_getcwd(char *buf, size_t size) __asm__("getcwd");
   int paths_mkdir(const char *path, unsigned int mode) __asm__("mkdir");
   int paths_rmdir(const char *path) __asm__("rmdir");
   int paths_access(const char *path, int mode) __asm__("access");
   void *paths_opendir(const char *name) __asm__("opendir");
   struct paths_dirent *paths_readdir(void *dir) __asm__("readdir");
   int paths_closedir(void *dir) __asm__("closedir");
   int paths_uname(struct paths_utsname *buf) __asm__("uname");
   long paths_readlink(const char *path, char *buf, size_t size) __asm__("readlink");
   char *paths_strerror(int errnum) __asm__("strerror");
]]
local C = ffi.C

local F_OK = 0
local ERANGE = 34
local PATH_BUFFER = 4096

-- luaL_checkstring's rule: a number is accepted as its string form.
local function check_string(value, position, name)
   if type(value) == 'string' then return value end
   if type(value) == 'number' then return tostring(value) end
   error(string.format("bad argument #%d to '%s' (string expected, got %s)", position, name,
      type(value)), 3)
end

-- The C half wrote every path it built with forward slashes, also on Unix.
local function forward_slashes(s)
   return (s:gsub('\\', '/'))
end

-- (true) or (nil, 'path: reason', errno), as the original's mkdir and rmdir answer.
local function result_of(status, path)
   if status == 0 then return true end
   local errno = ffi.errno()
   return nil, path .. ': ' .. ffi.string(C.paths_strerror(errno)), errno
end

-------------------------------------------------------------------------------------------
-- file names

function paths.cwd()
   local size = PATH_BUFFER
   while true do
      local buffer = ffi.new('char[?]', size)
      if C.paths_getcwd(buffer, size) ~= nil then return forward_slashes(ffi.string(buffer)) end
      if ffi.errno() ~= ERANGE then return '.' end
      size = size * 2
   end
end

-- One step of concat: `name` read relative to the absolute path `from`. '.' parts vanish,
-- '..' drops the last part, repeated slashes collapse and no trailing slash survives.
local function join(from, name)
   local result = name:sub(1, 1) == '/' and '/' or from
   for part in name:gmatch('[^/]+') do
      if part == '..' then
         result = result:gsub('/*$', ''):gsub('[^/]*$', '')
      elseif part ~= '.' then
         if result:sub(-1) ~= '/' then result = result .. '/' end
         result = result .. part
      end
   end
   result = result:gsub('/+$', '')
   if result == '' then result = '/' end
   return result
end

function paths.concat(...)
   local result = paths.cwd()
   for i = 1, select('#', ...) do
      result = join(result, check_string((select(i, ...)), i, 'concat'))
   end
   return forward_slashes(result)
end

-- Where the last slash that has a name after it starts, or nil: `a/b//` has it before b.
local function last_separator(path)
   local position
   for i in path:gmatch('()/[^/]') do position = i end
   return position
end

function paths.dirname(path)
   path = check_string(path, 1, 'dirname')
   local separator = last_separator(path)
   if not separator then
      return path:sub(1, 1) == '/' and path or '.'
   end
   return forward_slashes(path:sub(1, math.max(separator - 1, 1)))
end

function paths.basename(path, suffix)
   path = check_string(path, 1, 'basename')
   if suffix ~= nil then suffix = check_string(suffix, 2, 'basename') end
   local separator = last_separator(path)
   local name = path:sub(separator and separator + 1 or 1):match('^[^/]*')
   suffix = suffix and suffix:gsub('^%.', '')
   if suffix and suffix ~= '' and #name > #suffix
         and name:sub(-#suffix - 1) == '.' .. suffix then
      name = name:sub(1, -#suffix - 2)
   end
   return forward_slashes(name)
end

-- Everything after the last dot of the whole path; nothing at all when there is no dot.
function paths.extname(path)
   path = check_string(path, 1, 'extname')
   local extension = path:match('.*%.(.*)$')
   if extension then return extension end
end

-- A trailing slash makes the kernel accept the name only if it is a directory (or a link
-- to one), with no struct stat to lay out and no read permission needed.
function paths.dirp(path)
   path = check_string(path, 1, 'dirp')
   return path ~= '' and C.paths_access(path .. '/', F_OK) == 0
end

function paths.filep(path)
   path = check_string(path, 1, 'filep')
   return path ~= '' and C.paths_access(path, F_OK) == 0 and not paths.dirp(path)
end

-------------------------------------------------------------------------------------------
-- directories

-- Makes the missing parents first, as the original did (their failures are not reported).
function paths.mkdir(path)
   path = check_string(path, 1, 'mkdir')
   local parent = paths.dirname(path)
   if parent ~= path and not paths.dirp(parent) then paths.mkdir(parent) end
   return result_of(C.paths_mkdir(path, tonumber('777', 8)), path)
end

function paths.rmdir(path)
   path = check_string(path, 1, 'rmdir')
   return result_of(C.paths_rmdir(path), path)
end

-- Every entry of the directory (. and .. included), in the order the system lists them,
-- or nil when it cannot be opened.
function paths.dir(path)
   path = check_string(path, 1, 'dir')
   local handle = C.paths_opendir(path)
   if handle == nil then return nil end
   local names = {}
   while true do
      local entry = C.paths_readdir(handle)
      if entry == nil then break end
      names[#names + 1] = ffi.string(entry.d_name)
   end
   C.paths_closedir(handle)
   return names
end

function paths.files(path, include)
   local names = paths.dir(path)
   if type(include) == 'string' then
      local pattern = include
      include = function(name) return name:find(pattern) end
   elseif include ~= nil and type(include) ~= 'function' then
      local type_of = rawget(_G, 'torch') and torch.type or type
      error('Expecting optional arg 2 to be function or string. Got : ' .. type_of(include))
   end
   local position = 0
   return function()
      if not names then return nil end
      while position < #names do
         position = position + 1
         local name = names[position]
         if not include or include(name) then return name end
      end
   end
end

function paths.iterdirs(path)
   return paths.files(path, function(name)
      return name ~= '.' and name ~= '..' and paths.dirp(paths.concat(path, name))
   end)
end

function paths.iterfiles(path)
   return paths.files(path, function(name)
      return name ~= '.' and name ~= '..' and paths.filep(paths.concat(path, name))
   end)
end

local function is_symlink(path)
   local buffer = ffi.new('char[1]')
   return C.paths_readlink(path, buffer, 1) >= 0
end

-- rm -r, only when the second argument is the string 'yes'. Returns true, or nil, a reason
-- and the path that could not be removed. Unlike the original, a symbolic link is removed
-- as a link: its target's contents are left alone.
function paths.rmall(path, confirmation)
   if confirmation ~= 'yes' then
      return nil, "missing second argument ('yes')"
   end
   if is_symlink(path) or paths.filep(path) then
      return os.remove(path)
   end
   if not paths.dirp(path) then
      return nil, 'not a file or directory', path
   end
   for name in paths.files(path) do
      if name ~= '.' and name ~= '..' then
         local child = paths.concat(path, name)
         local ok, reason = paths.rmall(child, confirmation)
         if not ok then return ok, reason, child end
      end
   end
   return paths.rmdir(path)
end

-------------------------------------------------------------------------------------------
-- temporary names

local tmpnames = {}

-- The names paths.tmpname gave out are removed when the Lua state closes (lupa closes it
-- when the runtime is dropped), through the finalizer of a userdata the registry keeps
-- alive until then: a table cannot carry __gc in LuaJIT.
local tmpname_sweeper = newproxy(true)
getmetatable(tmpname_sweeper).__gc = function()
   for name in pairs(tmpnames) do os.remove(name) end
end
debug.getregistry().paths_tmpname_sweeper = tmpname_sweeper

-- Random letters from the system, so that handing out names leaves math.random's sequence
-- (which scripts seed) untouched.
local NAME_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
local function random_letters(count)
   local source = assert(io.open('/dev/urandom', 'rb'))
   local bytes = source:read(count)
   source:close()
   local letters = {}
   for i = 1, count do
      local k = bytes:byte(i) % #NAME_CHARACTERS + 1
      letters[i] = NAME_CHARACTERS:sub(k, k)
   end
   return table.concat(letters)
end

-- A fresh name under $TMPDIR (else /tmp) that nothing uses yet; like the original's
-- tempnam, the file itself is not made.
function paths.tmpname()
   local folder = os.getenv('TMPDIR')
   if not folder or not paths.dirp(folder) then folder = '/tmp' end
   folder = folder:gsub('/+$', '')
   while true do
      local name = folder .. '/luatmp' .. random_letters(6)
      if not tmpnames[name] and C.paths_access(name, F_OK) ~= 0 then
         tmpnames[name] = true
         return name
      end
   end
end

-------------------------------------------------------------------------------------------
-- the system

function paths.uname()
   local info = ffi.new('struct paths_utsname')
   if C.paths_uname(info) < 0 then return 'Unknown' end
   return ffi.string(info.sysname), ffi.string(info.nodename), ffi.string(info.machine)
end

function paths.is_win()
   return paths.uname():match('Windows')
end

function paths.is_mac()
   return paths.uname():match('Darwin')
end

function paths.getregistryvalue()
   error('This function exists only on windows', 2)
end

paths.home = os.getenv('HOME') or '.'

-- The folder of the program running Lua (here the Python interpreter), or nil.
function paths.execdir()
   local buffer = ffi.new('char[?]', PATH_BUFFER)
   local length = C.paths_readlink('/proc/self/exe', buffer, PATH_BUFFER)
   if length <= 0 or length >= PATH_BUFFER then return nil end
   return paths.dirname(ffi.string(buffer, length))
end

function paths.findprogram(...)
   local search = os.getenv('PATH') or '.'
   for i = 1, select('#', ...) do
      local program = select(i, ...)
      for folder in search:gmatch('[^:]+') do
         local candidate = paths.concat(folder, program)
         if paths.filep(candidate) then return candidate end
      end
   end
   return nil
end

-- The original loaded a C module with its symbols global; every module here is reached
-- through require, which is what the original itself fell back to without dlopen.
function paths.require(name)
   name = check_string(name, 1, 'require')
   local loaded = package.loaded[name]
   if loaded then return loaded end
   return require(name)
end

-------------------------------------------------------------------------------------------
-- files relative to the calling script

-- The absolute name of the file whose code is `depth` levels up (2: the caller), or nil
-- outside a file (the REPL, -e). With a string, that string taken relative to the file's
-- folder (or as it is when there is no file).
function paths.thisfile(name, depth)
   local info = debug.getinfo(depth or 2, 'S')
   local source = info and info.source
   local file
   if type(source) == 'string' and source:sub(1, 1) == '@' then
      file = paths.concat(source:sub(2))
   end
   if type(name) == 'string' then
      return file and paths.concat(paths.dirname(file), name) or name
   end
   return file
end

-- dofile, with `file` relative to the folder of the calling script (or to the working
-- directory when the caller is not a file).
function paths.dofile(file, depth)
   local caller = paths.thisfile(nil, 1 + (depth or 2))
   if caller then file = paths.concat(paths.dirname(caller), file) end
   return dofile(file)
end

-- The folder holding the Lua packages: the one above this package's own folder.
paths.install_lua_path = paths.dirname(paths.dirname(paths.thisfile()))

return paths
