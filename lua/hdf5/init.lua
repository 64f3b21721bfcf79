-- hdf5 (torch-hdf5): tensors in HDF5 files, which h5py, Matlab and R read too.
--    local f = hdf5.open('data.h5', 'w')
--    f:write('/path/to/data', torch.rand(5, 5))       -- tables of tensors make groups
--    local x = f:read('/path/to/data'):all()          -- or :partial({1, 2}, {3, 5})
--    f:close()
-- The file work is h5py's (torch7_compat/lua_packages/hdf5.py); this file keeps the
-- original's classes: HDF5File, HDF5Group, HDF5DataSet and DataSetOptions.

require 'torch'
local ops = require('torch7_compat.python').module('torch7_compat.lua_packages.hdf5')

hdf5 = rawget(_G, 'hdf5') or {}
local hdf5 = hdf5

local HDF5File = torch.class('hdf5.HDF5File')
local HDF5Group = torch.class('hdf5.HDF5Group')
local HDF5DataSet = torch.class('hdf5.HDF5DataSet')
local DataSetOptions = torch.class('hdf5.DataSetOptions')

-- '/a//b/' -> '/a/b'; relative paths are taken from `base`.
local function join(base, path)
   local parts = {}
   for part in ((path:sub(1, 1) == '/' and '' or base) .. '/' .. path):gmatch('[^/]+') do
      parts[#parts + 1] = part
   end
   return '/' .. table.concat(parts, '/')
end

local function check_path(path, method)
   if type(path) ~= 'string' then
      error(string.format('%s() requires a string (data path) as its first parameter', method),
         3)
   end
end

-------------------------------------------------------------------------------------------
-- options for new datasets

function DataSetOptions:__init()
   self._chunking = nil
   self._deflate = nil
end

-- setChunked(size1, size2, ...): one size per dimension of the data. Chunked datasets can be
-- compressed, read in parts efficiently, and appended to.
function DataSetOptions:setChunked(...)
   self._chunking = {...}
   return self
end

-- setDeflate([level]): zlib compression, level 1 to 9 (6 by default).
function DataSetOptions:setDeflate(level)
   self._deflate = level or 6
   return self
end

function DataSetOptions:__tostring()
   local chunks = self._chunking and table.concat(self._chunking, 'x') or 'none'
   return string.format('[DataSetOptions: chunking=%s deflate=%s]', chunks,
      tostring(self._deflate or 'off'))
end

-------------------------------------------------------------------------------------------
-- writing (files and groups)

local function write_or_append(file, method, path, data, options)
   if torch.isTensor(data) then
      local chunks = options and options._chunking
      ops[method](file._id, path, data, chunks and torch.LongTensor(chunks) or nil,
         options and options._deflate)
   elseif type(data) == 'table' and not torch.typename(data) then
      for k, v in pairs(data) do
         write_or_append(file, method, join(path, tostring(k)), v, options)
      end
   elseif type(data) == 'table' or type(data) == 'cdata' or type(data) == 'userdata' then
      error('torch-hdf5: writing non-Tensor userdata is not supported', 3)
   else
      error('torch-hdf5: writing data of type ' .. type(data) .. ' is not supported', 3)
   end
end

local function writer(method)
   return function(self, path, data, options)
      local name = torch.typename(self):match('[^.]+$') .. ':' .. method
      check_path(path, name)
      path = join(self._path, path)
      if data == nil then
         error(name .. '() requires a tensor or table as its second parameter', 2)
      end
      if path == '/' and torch.isTensor(data) then
         error(name .. '() - must provide a table when writing to the root location', 2)
      end
      if options ~= nil and torch.typename(options) ~= 'hdf5.DataSetOptions' then
         error(name .. '() - options must be an hdf5.DataSetOptions', 2)
      end
      write_or_append(self._file, method, path, data, options)
   end
end

-------------------------------------------------------------------------------------------
-- files

-- hdf5.open(filename [, mode]): mode 'r' (read), 'r+' (read and write), 'w' (create,
-- replacing), 'w-' (create, failing if it exists), 'a' (the default: read and write,
-- created if missing).
function HDF5File.open(filename, mode)
   if type(filename) ~= 'string' then
      error('HDF5File.open() requires a filename (a string)', 2)
   end
   mode = mode or 'a'
   local modes = {r = true, ['r+'] = true, w = true, ['w-'] = true, a = true}
   if not modes[mode] then
      error("HDF5File.open: invalid mode '" .. tostring(mode) .. "' (r, r+, w, w- or a)", 2)
   end
   if filename:sub(1, 2) == '~/' then filename = os.getenv('HOME') .. filename:sub(2) end
   return hdf5.HDF5File(filename, ops.open_file(filename, mode))
end
hdf5.open = HDF5File.open

function HDF5File:__init(filename, id)
   self._filename, self._id = filename, id
   self._file, self._path = self, '/'
end

function HDF5File:filename()
   return self._filename
end

function HDF5File:__tostring()
   return '[HDF5File: ' .. self._filename .. ']'
end

function HDF5File:close()
   ops.close_file(self._id)
end

HDF5File.write = writer('write')
HDF5File.append = writer('append')

local function read_object(owner, path, method)
   local file = owner._file
   local kind = ops.kind(file._id, path)
   if kind == 'none' then
      error(string.format("%s() - no such data path '%s' in %s", method, path, file._filename),
         3)
   end
   if kind == 'group' then return hdf5.HDF5Group(file, path) end
   return hdf5.HDF5DataSet(file, path)
end

-- read([path]): the group or dataset at path (the root group by default).
function HDF5File:read(path)
   if path ~= nil then check_path(path, 'HDF5File:read') end
   return read_object(self, join('/', path or '/'), 'HDF5File:read')
end

-- Every dataset of the file, as nested tables of tensors.
function HDF5File:all()
   return self:read('/'):all()
end

-------------------------------------------------------------------------------------------
-- groups

function HDF5Group:__init(file, path)
   self._file, self._path = file, path
end

function HDF5Group:__tostring()
   return '[HDF5Group ' .. self._path .. ' of ' .. self._file._filename .. ']'
end

function HDF5Group:read(path)
   if path ~= nil then check_path(path, 'HDF5Group:read') end
   return read_object(self, join(self._path, path or ''), 'HDF5Group:read')
end

function HDF5Group:all()
   local result = {}
   for name in ops.children(self._file._id, self._path):gmatch('[^%z]+') do
      result[name] = self:read(name):all()
   end
   return result
end

HDF5Group.write = writer('write')
HDF5Group.append = writer('append')

-- Objects are opened per call; closing one leaves nothing to release.
function HDF5Group:close() end

-------------------------------------------------------------------------------------------
-- datasets

function HDF5DataSet:__init(file, path)
   self._file, self._path = file, path
end

function HDF5DataSet:__tostring()
   return '[HDF5DataSet ' .. self._path .. ' of ' .. self._file._filename .. ']'
end

function HDF5DataSet:all()
   return ops.read(self._file._id, self._path)
end

-- partial({first1, last1}, {first2, last2}, ...): one inclusive range (or one index) for
-- each dimension.
function HDF5DataSet:partial(...)
   local bounds = {}
   for i, range in ipairs({...}) do
      if type(range) == 'number' then range = {range, range} end
      if type(range) ~= 'table' or type(range[1]) ~= 'number' or type(range[2]) ~= 'number' then
         error(string.format('HDF5DataSet:partial() - argument %d must be {first, last} or an '
            .. 'index', i), 2)
      end
      bounds[#bounds + 1], bounds[#bounds + 2] = range[1], range[2]
   end
   return ops.read_part(self._file._id, self._path, unpack(bounds))
end

-- The sizes, as a table, without reading the data.
function HDF5DataSet:dataspaceSize()
   return {ops.size(self._file._id, self._path)}
end

-- The factory of the tensor type all() returns.
function HDF5DataSet:getTensorFactory()
   return torch.factory(ops.tensor_type(self._file._id, self._path))
end

function HDF5DataSet:close() end

return hdf5
