-- The classes that the names found in .t7 files stand for. A name declared here is itself.
-- Otherwise, in order: a package of ours that declares it is loaded (nn, nngraph, ...); a
-- GPU class becomes its CPU counterpart (torch.Cuda* types, cudnn.* modules,
-- nn.DataParallelTable), with a message saying what was mapped; anything else is unknown:
-- an error naming it, or, where the caller asks, a plain table of the object's fields.
--
-- torch.serialization.substitute(old, new[, after_read]) adds a mapping of one's own.

local classes = {}

-- Names from a file, fit for a message: other bytes than printable ASCII as \ddd (a
-- corrupt file's names would otherwise make messages that Python cannot decode).
function classes.printable(name)
   return (name:gsub('[^\32-\126]', function(c) return string.format('\\%03d', c:byte()) end))
end

-- Packages we ship, loaded on demand when a file names their classes. Only from our own
-- tree: loading a file must not run a module that happens to sit in the working directory.
local PACKAGES_OF_PREFIX = {nn = {'nn', 'nngraph'}, nngraph = {'nngraph'}, graph = {'graph'},
                            tds = {'tds'}}

local function our_lua_root()
   local torch_dir = torch.packageLuaPath('torch')
   return torch_dir and torch_dir:match('(.*)/[^/]*$')
end

local function load_our_package(package_name)
   if package.loaded[package_name] or not package.searchpath then return end
   local found = package.searchpath(package_name, package.path)
   local root = our_lua_root()
   if found and root and found:sub(1, #root + 1) == root .. '/' then require(package_name) end
end

local function declared(name)
   if torch.factory(name) then return true end
   local packages = PACKAGES_OF_PREFIX[name:match('^([^.]+)%.')]
   for _, package_name in ipairs(packages or {}) do
      load_our_package(package_name)
      if torch.factory(name) then return true end
   end
   return false
end

-------------------------------------------------------------------------------------------
-- GPU classes

-- cutorch wrote its tensors and storages in the CPU layout under Cuda names.
local function cpu_type_of(name)
   local element, kind = name:match('^torch%.Cuda(%a-)(Tensor)$')
   if not element then element, kind = name:match('^torch%.Cuda(%a-)(Storage)$') end
   if not element then return nil end
   return 'torch.' .. (element == '' and 'Float' or element) .. kind
end

-- cudnn modules are nn modules with GPU kernels; their nn counterparts take their fields,
-- with what cudnn did not store filled in.
local CUDNN_FIXES = {
   ReLU = function(m)
      m.threshold, m.val = m.threshold or 0, m.val or 0
      m.inplace = m.inplace or false
   end,
   SpatialAveragePooling = function(m)
      m.divide = true
      if m.count_include_pad == nil then
         m.count_include_pad = m.mode ~= 'CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING'
      end
   end,
   SpatialFullConvolution = function(m)
      m.adjW, m.adjH = m.adjW or 0, m.adjH or 0
   end,
   SpatialConvolution = function(m)
      if (m.groups or 1) ~= 1 then
         error(string.format('a cudnn.SpatialConvolution with %d groups has no CPU counterpart '
            .. '(nn.SpatialConvolution has no groups)', m.groups), 0)
      end
   end,
}

local CUDNN_RENAMED = {ClippedReLU = 'Clamp'}

local function after_cudnn(short)
   local fix = CUDNN_FIXES[short]
   if short == 'ClippedReLU' then
      fix = function(m)
         m.min_val, m.max_val = 0, m.ceiling
         m.inplace = m.inplace or false
      end
   end
   if not fix then return nil end
   return function(object)
      fix(object)
      return object
   end
end

-- nn.DataParallelTable (cunn) spread a module over GPUs; on one CPU, it is that module.
local function read_data_parallel_table(file, version, register)
   register({})        -- what the table's own fields may point back to
   if version >= 2 then file:readObject() end     -- the GPUs it ran on
   local fields = file:readObject()
   local inner = type(fields) == 'table' and type(fields.modules) == 'table' and fields.modules[1]
   if not inner then
      error('corrupt file: an nn.DataParallelTable without the module it wraps', 0)
   end
   return inner
end

local function read_fields_as_table(file, version, register)
   local object = {}
   register(object)
   local fields = file:readObject()
   if type(fields) == 'table' then
      for k, v in pairs(fields) do object[k] = v end
   end
   return object
end

-------------------------------------------------------------------------------------------
-- objects of unknown classes, read as plain tables (on request)

local unknown_metatables = {}

local function unknown_metatable(name, version)
   local key = name .. '\0' .. version
   local mt = unknown_metatables[key]
   if not mt then
      mt = {__unknownclass = name, __version = version,
            __tostring = function() return name .. ' (unknown class: a table of its fields)' end}
      unknown_metatables[key] = mt
   end
   return mt
end

local function plain_reader(name)
   return function(file, version, register)
      local object = setmetatable({}, unknown_metatable(name, version))
      register(object)
      local fields = file:readObject()
      if type(fields) ~= 'table' then
         error(string.format('cannot read an object of the unknown class <%s> as a table: its '
            .. 'data is not one (its class wrote its own format)', classes.printable(name)), 0)
      end
      for k, v in pairs(fields) do object[k] = v end
      return object
   end
end

-- The class an object read as a plain table had in its file (nil for other objects).
function torch.serialization.unknownClassOf(object)
   local mt = type(object) == 'table' and getmetatable(object)
   return type(mt) == 'table' and rawget(mt, '__unknownclass') or nil
end

-------------------------------------------------------------------------------------------
-- resolution

local substitutes = {}

function torch.serialization.substitute(old_name, new_name, after_read)
   assert(type(old_name) == 'string' and type(new_name) == 'string', 'class names expected')
   substitutes[old_name] = {name = new_name, after_read = after_read}
end

local function mapped(from, to, after_read)
   if not declared(to) then
      return nil, string.format(' (a GPU class: its CPU counterpart <%s> is not declared here)',
         to)
   end
   return {name = to, after_read = after_read, note = from .. ' as ' .. to}
end

local UNKNOWN_HINT = ' (no class of that name is declared: require the package that defines '
   .. 'it before loading, or load with {unknownClasses = \'table\'} to get the object\'s '
   .. 'fields as a plain table)'

-- What to build for a class name: {name = class to build, read = reader instead of the
-- class's own, after_read = fix-up, note = what was mapped}, or nil and why not.
local function find(name)
   local own = substitutes[name]
   if own then return mapped(name, own.name, own.after_read) end
   if declared(name) then return {name = name} end
   local cpu = cpu_type_of(name)
   if cpu then return mapped(name, cpu) end
   local short = name:match('^cudnn%.(%w+)$')
   if short then
      return mapped(name, 'nn.' .. (CUDNN_RENAMED[short] or short), after_cudnn(short))
   end
   if name == 'nn.DataParallelTable' then
      return {read = read_data_parallel_table, note = name .. ' as the module it wraps'}
   end
   if name == 'nn.DataParallelTable.Basic' or name == 'nn.DataParallelTable.Threads' then
      return {read = read_fields_as_table}
   end
   return nil, UNKNOWN_HINT
end

function classes.resolve(name, unknown_mode)
   local spec, why = find(name)
   if not spec and unknown_mode == 'table' then
      return {read = plain_reader(name),
              note = classes.printable(name) .. ' as a plain table (unknown class)'}
   end
   return spec, why
end

-- nn modules keep the type they were converted to as a name: a CUDA one says what it was,
-- and becomes a CPU one where no CUDA class is declared (cutorch not loaded).
function classes.after_any_read(object)
   if type(object) ~= 'table' then return nil end
   local kind = rawget(object, '_type')
   local cpu = type(kind) == 'string' and not torch.factory(kind) and cpu_type_of(kind)
   if cpu then
      object._type = cpu
      return '_type ' .. kind .. ' as ' .. cpu
   end
end

-- Functions from another VM (the original's LuaJIT 2.0 bytecode) cannot run here: loaded
-- with functions allowed, they become values that save back as they were.
classes.ForeignFunction = {
   __call = function()
      error('this function was read from a .t7 file written by another Lua VM (LuaJIT 2.0 '
         .. 'bytecode), which this runtime cannot run; it can only be saved back', 2)
   end,
   __tostring = function() return 'function (foreign bytecode, not callable here)' end,
}

function classes.foreign_function(tag, bytecode)
   return setmetatable({tag = tag, bytecode = bytecode}, classes.ForeignFunction)
end

-- One message per load for what was read as something else.
function classes.report(notes)
   if #notes == 0 then return end
   local counts, order = {}, {}
   for _, note in ipairs(notes) do
      if not counts[note] then order[#order + 1] = note end
      counts[note] = (counts[note] or 0) + 1
   end
   for i, note in ipairs(order) do
      order[i] = counts[note] > 1 and string.format('%s (%d)', note, counts[note]) or note
   end
   io.stderr:write('torch.load: read ' .. table.concat(order, ', ') .. '\n')
end

return classes
