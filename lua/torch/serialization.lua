-- The .t7 object format: File:writeObject/readObject, torch.save/load/serialize/deserialize,
-- and the write/read methods of storages and tensors (generators have theirs in random.lua).
-- The byte layout is the original's (a type tag, then a payload; tables, torch objects and
-- functions carry an index so that an object met twice is written once), so files go both
-- ways between this and the original Torch7.
--
-- Loading never runs code from the file unless asked: a Lua function in a file is refused
-- (see read_function). Class names are resolved by torch/serialization_classes.lua (GPU
-- classes become CPU ones, unknown classes are reported with their place in the file).

local core = require 'torch.core'
local C, ffi = core.C, core.ffi

local serialization = {}
torch.serialization = serialization
local classes = require 'torch.serialization_classes'

local File = torch.getmetatable('torch.File')

local TYPE_NIL, TYPE_NUMBER, TYPE_STRING, TYPE_TABLE = 0, 1, 2, 3
local TYPE_TORCH, TYPE_BOOLEAN, TYPE_FUNCTION = 4, 5, 6
local TYPE_LEGACY_RECUR_FUNCTION, TYPE_RECUR_FUNCTION = 7, 8

local CHAR, INT, LONG = core.DTYPE.Char, core.DTYPE.Int, core.DTYPE.Long

-- Functions may be read back from files when this is set: TORCH7_COMPAT_ALLOW_FUNCTIONS=1
-- in the environment (for legacy scripts that cannot change), or per load (options).
serialization.allowFunctions = os.getenv('TORCH7_COMPAT_ALLOW_FUNCTIONS') == '1'

-------------------------------------------------------------------------------------------
-- primitives: errors always raise here, whatever quiet() says: an object read from a
-- failed read would be garbage.

local scalar = ffi.new('double[1]')

local function read_scalar(file, dtype)
   if C.t7_file_read_scalar(file._cfile, dtype, scalar) ~= 1 then error(core.last_error(), 0) end
   return scalar[0]
end

local function write_scalar(file, dtype, value)
   if C.t7_file_write_scalar(file._cfile, dtype, value) ~= 1 then error(core.last_error(), 0) end
end

local function read_into(file, dtype, pointer, n)
   if n > 0 and C.t7_file_read(file._cfile, dtype, pointer, n) ~= n then
      error(core.last_error(), 0)
   end
end

local function write_from(file, dtype, pointer, n)
   if n > 0 and C.t7_file_write(file._cfile, dtype, pointer, n) ~= n then
      error(core.last_error(), 0)
   end
end

-- An int length, then that many raw bytes (strings, class names, bytecode).
local function read_chars(file)
   local n = read_scalar(file, INT)
   if C.t7_file_check_count(file._cfile, CHAR, n) ~= 0 then error(core.last_error(), 0) end
   if n == 0 then return '' end
   local buffer = ffi.new('char[?]', n)
   read_into(file, CHAR, buffer, n)
   return ffi.string(buffer, n)
end

local function write_chars(file, s)
   write_scalar(file, INT, #s)
   write_from(file, CHAR, s, #s)
end

-------------------------------------------------------------------------------------------
-- per-file bookkeeping (the original kept it in the file's environment)

local function state_of(file)
   local state = rawget(file, '_serialization')
   if not state then
      state = {
         force = false,              -- referenced(false): every occurrence in full
         written = {},               -- identity -> index
         kept = {},                  -- written objects kept alive: their addresses stay theirs
         count = 0,                  -- last index given
         read = {},                  -- index -> object
         upvalue_ids = {}, next_upvalue_id = 1, joined_upvalues = {},
         depth = 0, path = {}, owners = {},
         allow_functions = serialization.allowFunctions,
         unknown_classes = 'error',
         notes = {},
      }
      rawset(file, '_serialization', state)
   end
   return state
end

function File:referenced(ref)
   state_of(self).force = not ref
   return self
end

function File:isReferenced()
   return not state_of(self).force
end

-- Whether readObject may give back the functions a file holds (see read_function).
function File:allowFunctions(allow)
   state_of(self).allow_functions = allow and true or false
   return self
end

-- What readObject does with an object of a class nothing here declares: 'error' (the
-- default), or 'table': a plain table of its fields (see serialization.unknownClassOf).
function File:unknownClasses(mode)
   if mode ~= 'error' and mode ~= 'table' then
      error("bad argument #1 to 'unknownClasses' ('error' or 'table' expected)", 2)
   end
   state_of(self).unknown_classes = mode
   return self
end

-- The place in the object being read or written, as the original printed it:
-- <?>.modules.1.weight (names of torch objects' classes included).
local UPVALUES_TOKEN = {}

local function path_string(path)
   local parts = {}
   for i, name in ipairs(path) do
      if name ~= UPVALUES_TOKEN and path[i - 1] ~= UPVALUES_TOKEN then
         parts[#parts + 1] = name
      end
   end
   return table.concat(parts, '.')
end

local printable = classes.printable

local function key_name(key)
   local kind = type(key)
   if kind == 'string' then return printable(key) end
   if kind == 'number' then return tostring(key) end
   return '<' .. kind .. '>'
end

-------------------------------------------------------------------------------------------
-- key order: the original wrote tables in its pairs() order, which LuaJIT 2.1 does not
-- reproduce. A table read from a file remembers its order, and so does a torch object
-- whose fields were read as one table, so that saving what was loaded gives the same bytes.

local key_order = setmetatable({}, {__mode = 'k'})

local function same_keys(t, order, count)
   if #order ~= count then return false end
   for i = 1, count do
      if t[order[i]] == nil then return false end
   end
   return true
end

-- The keys of t in the order to write them.
local function keys_to_write(state, t)
   local count = 0
   for _ in pairs(t) do count = count + 1 end
   local order = key_order[t]
   if not order then
      local owner = state.owners[#state.owners]
      if owner and owner.depth == state.depth - 1 then order = key_order[owner.object] end
   end
   if order and same_keys(t, order, count) then return order end
   local keys = {}
   if #t == count then     -- a list: in order, as the original's array part
      for i = 1, count do
         if t[i] == nil then keys = nil break end
         keys[i] = i
      end
      if keys then return keys end
      keys = {}
   end
   for k in pairs(t) do keys[#keys + 1] = k end
   return keys
end

-------------------------------------------------------------------------------------------
-- writing

local trusted_bytecode = {}   -- string.dump results of this session: safe to load back

local function is_constructor_table(object, name)
   return torch.getconstructortable(name) == object
end

local function writable_kind(object)
   local kind = type(object)
   if kind == 'nil' then return TYPE_NIL end
   local mt = kind == 'table' and getmetatable(object)
   if mt == classes.ForeignFunction then return TYPE_RECUR_FUNCTION end
   if type(mt) == 'table' and rawget(mt, '__unknownclass') then return TYPE_TORCH end
   local name = torch.typename(object)
   if name and torch.factory(name) and not is_constructor_table(object, name) then
      return TYPE_TORCH
   end
   if kind == 'table' then return TYPE_TABLE end
   if kind == 'number' then return TYPE_NUMBER end
   if kind == 'string' then return TYPE_STRING end
   if kind == 'boolean' then return TYPE_BOOLEAN end
   if kind == 'function' and pcall(string.dump, object) then return TYPE_RECUR_FUNCTION end
end

function File:isWritableObject(object)
   return writable_kind(object)
end

-- What identifies an object met twice: the C address of tensors, storages and generators
-- (two Lua handles may reach one C object), the object itself otherwise.
local function identity(object)
   if type(object) == 'cdata' then return core.address(object) end
   return object
end

-- A class's serialization hook: __write (or __read) anywhere up its parents, else write.
local function class_method(object, name)
   local class = torch.getmetatable(torch.typename(object) or '')
   local method = core.find_in_chain(class, '__' .. name) or core.find_in_chain(class, name)
   if type(method) == 'function' then return method end
end

function torch.version(object)
   local class = torch.typename(object) and torch.getmetatable(torch.typename(object))
      or (type(object) == 'table' and getmetatable(object))
   if type(class) == 'table' then return rawget(class, '__version') end
end

local write_object

local function write_function(file, state, object, hook)
   local upvalues = {}
   for i = 1, math.huge do
      local name, value = debug.getupvalue(object, i)
      if not name then break end
      if name == '_ENV' then value = nil end
      local ref = debug.upvalueid(object, i)
      local id = state.upvalue_ids[ref]
      if not id then
         id = state.next_upvalue_id
         state.next_upvalue_id = id + 1
         state.upvalue_ids[ref] = id
      end
      upvalues[i] = {name = name, id = id, value = value}
   end
   local bytecode = string.dump(object)
   trusted_bytecode[bytecode] = true
   write_chars(file, bytecode)
   write_object(file, state, upvalues, UPVALUES_TOKEN, hook)
end

local function write_torch(file, state, object, hook)
   local mt = getmetatable(object)
   local name = type(mt) == 'table' and rawget(mt, '__unknownclass') or torch.typename(object)
   write_chars(file, 'V ' .. tostring(torch.version(object)))
   write_chars(file, name)
   state.owners[#state.owners + 1] = {object = object, depth = state.depth}
   local write = class_method(object, 'write')
   if write then
      write(object, file)
   elseif type(object) == 'table' then
      local fields = {}
      for k, v in pairs(object) do
         if writable_kind(v) then
            fields[k] = v
         else
            print(string.format('$ Warning: cannot write object field <%s> of <%s> %s',
               key_name(k), name, path_string(state.path)))
         end
      end
      write_object(file, state, fields, name, hook)
   else
      error(string.format('<%s> is a non-serializable Torch object %s', name,
         path_string(state.path)), 0)
   end
   state.owners[#state.owners] = nil
end

local function write_table(file, state, object, hook)
   local keys = keys_to_write(state, object)
   write_scalar(file, INT, #keys)
   local path = state.path
   local in_upvalue = path[#path - 1] == UPVALUES_TOKEN
   for i = 1, #keys do
      local k = keys[i]
      local name = key_name(k)
      if in_upvalue and k == 'value' and type(object.name) == 'string' then name = object.name end
      write_object(file, state, k, nil, hook)
      write_object(file, state, object[k], name, hook)
   end
end

local function write_foreign_function(file, state, object, hook)
   write_chars(file, object.bytecode)
   write_object(file, state, object.upvalues, UPVALUES_TOKEN, hook)
end

function write_object(file, state, object, name, hook)
   local kept = object
   if hook then object = hook(object) end
   if object == nil then
      write_scalar(file, INT, TYPE_NIL)
      return
   end
   local path = state.path
   path[#path + 1] = name or '<?>'
   local kind = writable_kind(object)
   if not kind then
      error(string.format('Unwritable object <%s> at %s', type(object), path_string(path)), 0)
   end
   local foreign = kind == TYPE_RECUR_FUNCTION and type(object) == 'table'
   write_scalar(file, INT, foreign and object.tag or kind)
   state.depth = state.depth + 1
   if kind == TYPE_NUMBER then
      write_scalar(file, core.DTYPE.Double, object)
   elseif kind == TYPE_BOOLEAN then
      write_scalar(file, INT, object and 1 or 0)
   elseif kind == TYPE_STRING then
      write_chars(file, object)
   elseif foreign and object.tag == TYPE_FUNCTION then    -- the legacy form has no index
      write_foreign_function(file, state, object, hook)
   else
      local key = identity(kept)
      local index = state.written[key]
      if index and not state.force then
         write_scalar(file, INT, index)
      else
         index = state.count + 1
         state.count = index
         if not state.force then
            state.written[key] = index
            state.kept[#state.kept + 1] = kept
            state.kept[#state.kept + 1] = object
         end
         write_scalar(file, INT, index)
         if foreign then
            write_foreign_function(file, state, object, hook)
         elseif kind == TYPE_RECUR_FUNCTION then
            write_function(file, state, object, hook)
         elseif kind == TYPE_TORCH then
            write_torch(file, state, object, hook)
         else
            write_table(file, state, object, hook)
         end
      end
   end
   state.depth = state.depth - 1
   path[#path] = nil
end

-- writeObject(object[, name][, hook]): hook(object) gives what is written in its place
-- (the original's way to save CUDA objects as CPU ones, say).
function File:writeObject(object, name, hook)
   local state = state_of(self)
   if state.depth > 0 then return write_object(self, state, object, name, hook) end
   state.path, state.owners = {}, {}
   local ok, message = pcall(write_object, self, state, object, name, hook)
   state.depth = 0
   if not ok then error(message, 0) end
end

-------------------------------------------------------------------------------------------
-- reading

-- Errors raised with the place they concern; others get it appended by readObject.
local function fail_at(state, message)
   state.failed_with_path = true
   error(message .. ' at ' .. path_string(state.path), 0)
end

local read_object

local function register(state, index, object)
   if index and not state.force then state.read[index] = object end
end

local OUR_BYTECODE_HEADER = string.dump(function() end):sub(1, 5)

-- Functions in files are bytecode that LuaJIT loads without checking: a crafted one can
-- corrupt memory, and a restored function runs whatever it holds when called. So they are
-- refused unless the caller allows them; bytecode this session wrote itself is loaded back
-- (serializing a closure and reading it back, in memory, keeps working). Allowed bytecode
-- of another VM (the original's LuaJIT 2.0) gives an opaque value that saves back as it
-- was and explains itself when called.
local function read_function(file, state, kind, index)
   local bytecode = read_chars(file)
   local trusted = trusted_bytecode[bytecode]
   if not (trusted or state.allow_functions) then
      fail_at(state, 'the file holds a Lua function (compiled code): loading functions is '
         .. 'refused by default, as their code could do anything. If you trust the file, '
         .. 'load it with functions allowed (torch.load(path, format, referenced, '
         .. '{allowFunctions = true}), file:allowFunctions(true) or, from Python, '
         .. 't7.load(path, allow_functions=True)). The function is')
   end
   local func
   if trusted or bytecode:sub(1, 5) == OUR_BYTECODE_HEADER then
      func = loadstring(bytecode)
   end
   if not func then
      local foreign = classes.foreign_function(kind, bytecode)
      register(state, index, foreign)
      foreign.upvalues = read_object(file, state, UPVALUES_TOKEN)
      return foreign
   end
   register(state, index, func)
   local upvalues = read_object(file, state, UPVALUES_TOKEN)
   if type(upvalues) ~= 'table' then fail_at(state, 'malformed function: no upvalue list') end
   for i, upvalue in ipairs(upvalues) do
      if kind ~= TYPE_RECUR_FUNCTION then
         debug.setupvalue(func, i, upvalue)
      elseif type(upvalue) == 'table' and upvalue.name ~= '_ENV' then
         debug.setupvalue(func, i, upvalue.value)
         local other = upvalue.id and state.joined_upvalues[upvalue.id]
         if other then
            debug.upvaluejoin(func, i, other.func, other.index)
         elseif upvalue.id then
            state.joined_upvalues[upvalue.id] = {func = func, index = i}
         end
      end
   end
   return func
end

local function read_table(file, state, index)
   local size = read_scalar(file, INT)
   if size < 0 then fail_at(state, string.format('corrupt file: a table of %d entries', size)) end
   local object = {}
   register(state, index, object)
   local path = state.path
   local order, listing = {}, true
   for i = 1, size do
      local k = read_object(file, state, '<key>')
      if k == nil or k ~= k then
         fail_at(state, 'corrupt file: a table key is ' .. tostring(k))
      end
      path[#path + 1] = key_name(k)
      object[k] = read_object(file, state)
      path[#path] = nil
      order[i] = k
      listing = listing and k == i
   end
   if not listing then
      key_order[object] = order
      local owner = state.owners[#state.owners]
      if owner and owner.depth == state.depth - 1 and not key_order[owner.object] then
         key_order[owner.object] = order
      end
   end
   return object
end

local function read_torch(file, state, index)
   local version_or_name = read_chars(file)
   local version = tonumber(version_or_name:match('^V (.*)$'))
   local name = version_or_name
   if version then name = read_chars(file) else version = 0 end
   local spec, why = classes.resolve(name, state.unknown_classes)
   if not spec then
      fail_at(state, string.format('unknown Torch class <%s>%s', printable(name), why or ''))
   end
   local path = state.path
   path[#path + 1] = printable(name)
   if spec.note then state.notes[#state.notes + 1] = spec.note end
   local object
   state.owners[#state.owners + 1] = {object = false, depth = state.depth}
   local owner = state.owners[#state.owners]
   if spec.read then
      object = spec.read(file, version, function(o)
         owner.object = o
         register(state, index, o)
      end)
      register(state, index, object)
   else
      object = torch.factory(spec.name)(file)
      owner.object = object
      register(state, index, object)
      local read = class_method(object, 'read')
      if read then
         read(object, file, version)
      elseif type(object) == 'table' then
         local fields = read_object(file, state)
         if type(fields) ~= 'table' then
            fail_at(state, string.format('corrupt file: the fields of a <%s> are a %s, not a '
               .. 'table', printable(name), type(fields)))
         end
         for k, v in pairs(fields) do object[k] = v end
      else
         fail_at(state, string.format('Cannot load object class <%s>', printable(name)))
      end
   end
   if spec.after_read then
      object = spec.after_read(object, version) or object
      register(state, index, object)
   end
   state.owners[#state.owners] = nil
   local note = classes.after_any_read(object)
   if note then state.notes[#state.notes + 1] = note end
   path[#path] = nil
   return object
end

function read_object(file, state, name)
   local path = state.path
   if name then path[#path + 1] = name end
   state.depth = state.depth + 1
   local kind = read_scalar(file, INT)
   local result
   if kind == TYPE_NUMBER then
      result = read_scalar(file, core.DTYPE.Double)
   elseif kind == TYPE_BOOLEAN then
      result = read_scalar(file, INT) == 1
   elseif kind == TYPE_STRING then
      result = read_chars(file)
   elseif kind == TYPE_TABLE or kind == TYPE_TORCH or kind == TYPE_RECUR_FUNCTION
         or kind == TYPE_LEGACY_RECUR_FUNCTION then
      local index = read_scalar(file, INT)
      result = not state.force and state.read[index]
      if result == nil or result == false then
         if kind == TYPE_TABLE then
            result = read_table(file, state, index)
         elseif kind == TYPE_TORCH then
            result = read_torch(file, state, index)
         else
            result = read_function(file, state, kind, index)
         end
      end
   elseif kind == TYPE_FUNCTION then
      result = read_function(file, state, kind, nil)
   elseif kind ~= TYPE_NIL then
      fail_at(state, string.format('unknown object (type tag %d): the file is corrupt or not a '
         .. '.t7 file in this mode (%s%s)', kind, file:isBinary() and 'binary' or 'ascii',
         file._cfile.long_size ~= 0 and (', ' .. file._cfile.long_size .. '-byte longs') or ''))
   end
   state.depth = state.depth - 1
   if name then path[#path] = nil end
   return result
end

-- Where an error happened: the object's path and the byte position in the file.
local function with_context(file, state, message)
   if type(message) ~= 'string' then return message end
   if message:find('stack overflow', 1, true) then
      message = 'the file nests objects too deeply for this reader (' .. message .. ')'
   end
   if state.failed_with_path then return message end
   local position = C.t7_file_position(file._cfile)
   return string.format('%s (reading %s%s)', message, path_string(state.path),
      position >= 0 and string.format(', at byte %d of the file', tonumber(position)) or '')
end

function File:readObject()
   local state = state_of(self)
   if state.depth > 0 then return read_object(self, state) end
   state.path, state.owners, state.notes, state.failed_with_path = {'<?>'}, {}, {}, false
   local ok, result = pcall(read_object, self, state)
   state.depth = 0
   if not ok then error(with_context(self, state, result), 0) end
   classes.report(state.notes)
   return result
end

-------------------------------------------------------------------------------------------
-- storages and tensors

-- The file argument of the write/read methods, checked: they reach C with it.
local function check_file(file, method)
   if type(file) ~= 'table' or type(rawget(file, '_cfile')) ~= 'cdata'
         or not torch.isTypeOf(file, 'torch.File') then
      error(string.format("bad argument #1 to '%s' (torch.File expected, got %s)", method,
         torch.type(file)), 3)
   end
end

local function write_storage(self, file)
   check_file(file, 'write')
   write_scalar(file, LONG, tonumber(self._size))
   write_from(file, self._dtype, self._data, self._size)
end

local function read_storage(self, file)
   check_file(file, 'read')
   local size = read_scalar(file, LONG)
   local f = file._cfile
   if C.t7_file_check_count(f, self._dtype, size) ~= 0
         or C.t7_file_read_storage(f, self, size) ~= size then
      error(core.last_error(), 0)
   end
end

for dtype = 0, 7 do
   local class = core.storage_classes[dtype]
   class.write, class.read = write_storage, read_storage
end

local function write_tensor(self, file)
   check_file(file, 'write')
   write_scalar(file, INT, self._ndim)
   write_from(file, LONG, self._size, self._ndim)
   write_from(file, LONG, self._stride, self._ndim)
   local offset = ffi.new('int64_t[1]', self._offset + 1)
   write_from(file, LONG, offset, 1)
   file:writeObject(self:storage())
end

local function read_tensor(self, file)
   check_file(file, 'read')
   local ndim = read_scalar(file, INT)
   if ndim < 0 or ndim > 32 then
      error(string.format('corrupt file: a tensor of %d dimensions (this reader allows 0 to 32)',
         ndim), 0)
   end
   local geometry = ffi.new('int64_t[65]')     -- sizes, strides, offset
   read_into(file, LONG, geometry, ndim)
   read_into(file, LONG, geometry + 32, ndim)
   read_into(file, LONG, geometry + 64, 1)
   local storage = file:readObject()
   if storage ~= nil and not core.is_storage(storage) then
      error(string.format('corrupt file: a tensor\'s storage is a %s', torch.type(storage)), 0)
   end
   if C.t7_tensor_set_storage(self, storage, geometry[64] - 1, ndim, geometry,
         geometry + 32) ~= 0 then
      error('corrupt file: ' .. core.last_error(), 0)
   end
end

core.add_tensor_method('write', write_tensor)
core.add_tensor_method('read', read_tensor)

-------------------------------------------------------------------------------------------
-- torch.save, torch.load, torch.serialize, torch.deserialize

-- Options of a load: {allowFunctions = bool, unknownClasses = 'error' | 'table'}.
local function apply_options(file, options)
   if options == nil then return end
   assert(type(options) == 'table', 'a table (or nil) expected for options')
   if options.allowFunctions ~= nil then file:allowFunctions(options.allowFunctions) end
   if options.unknownClasses ~= nil then file:unknownClasses(options.unknownClasses) end
end

local save_counter = 0

-- A new file next to `target`, for an atomic save: (file object, its name), or nothing
-- where none can be made there (a directory one may not write in, say).
local function create_beside(target, replacing)
   for _ = 1, 100 do
      save_counter = save_counter + 1
      local name = string.format('%s.%x-%x.tmp', target, os.time(), save_counter
         + (torch.pointer({}) % 65536) * 65536)
      local cfile = C.t7_file_create_new(name, replacing and target or nil)
      if cfile ~= nil then
         local file = core.new_file_object(torch.getmetatable('torch.DiskFile'), cfile)
         file._name = name
         return file, name
      end
      if not core.last_error():find('File exists', 1, true) then return end
   end
end

local resolved = ffi.new('char[4096]')

-- torch.save writes to a new file beside the target and renames it over the target when
-- everything went well, so that a failed save (an error in a write hook, a full disk, an
-- interruption) leaves any previous file as it was. Targets that are not regular files
-- (/dev/stdout, a named pipe), and files in folders where no other file can be made, are
-- written directly, as the original did.
function torch.save(filename, object, mode, referenced)
   assert(mode == nil or mode == 'binary' or mode == 'ascii',
      '"binary" or "ascii" (or nil) expected for mode')
   assert(referenced == nil or referenced == true or referenced == false,
      'true or false (or nil) expected for referenced')
   assert(type(filename) == 'string', 'a file name (string) expected')
   mode = mode or 'binary'
   local kind = C.t7_path_kind(filename, resolved, 4096)
   if kind < 0 then error(core.last_error(), 2) end
   local target = kind == 1 and ffi.string(resolved) or filename
   local file, temporary
   if kind ~= 2 then file, temporary = create_beside(target, kind == 1) end
   file = file or torch.DiskFile(filename, 'w')
   file[mode](file)
   file:referenced(referenced ~= false)
   local ok, message = pcall(function()
      file:writeObject(object)
      file:close()
   end)
   if ok and temporary then ok, message = os.rename(temporary, target) end
   if not ok then
      if core.file_is_open(file) then C.t7_file_close(file._cfile) end
      if temporary then os.remove(temporary) end
      error(message, 2)
   end
end

function torch.load(filename, mode, referenced, options)
   assert(mode == 'binary' or mode == 'b32' or mode == 'b64' or mode == nil or mode == 'ascii',
      '"binary", "b32", "b64" or "ascii" (or nil) expected for mode')
   assert(referenced == nil or referenced == true or referenced == false,
      'true or false (or nil) expected for referenced')
   local long_size
   if mode == 'b32' or mode == 'b64' then
      long_size = tonumber(mode:match('%d+')) / 8
      mode = 'binary'
   end
   mode = mode or 'binary'
   local file = torch.DiskFile(filename, 'r')
   file[mode](file)
   file:referenced(referenced ~= false)
   if long_size then file:longSize(long_size) end
   apply_options(file, options)
   local ok, object = pcall(file.readObject, file)
   file:close()
   if not ok then error(object, 2) end
   return object
end

function torch.serializeToStorage(object, mode)
   local file = torch.MemoryFile()
   file[mode or 'binary'](file)
   file:writeObject(object)
   local storage = file:storage()
   storage:resize(storage:size() - 1)     -- without the memory file's NUL
   file:close()
   return storage
end

function torch.serialize(object, mode)
   return torch.serializeToStorage(object, mode):string()
end

-- mode: 'binary', 'ascii', or (as torch.load) 'b32'/'b64' for 4- or 8-byte longs.
local function deserialize_bytes(pointer, n, mode, options)
   local storage = torch.CharStorage(n + 1)
   ffi.copy(storage._data, pointer, n)
   local file = torch.MemoryFile(storage, 'r')
   if mode == 'b32' or mode == 'b64' then
      file:longSize(mode == 'b32' and 4 or 8)
      mode = 'binary'
   end
   file[mode or 'binary'](file)
   apply_options(file, options)
   local object = file:readObject()
   file:close()
   return object
end

function torch.deserializeFromStorage(storage, mode, options)
   return deserialize_bytes(storage._data, tonumber(storage._size), mode, options)
end

function torch.deserialize(s, mode, options)
   assert(type(s) == 'string', 'a string expected')
   return deserialize_bytes(s, #s, mode, options)
end

-- public API (saveobj/loadobj are safe for global import)
torch.saveobj = torch.save
torch.loadobj = torch.load

return serialization
