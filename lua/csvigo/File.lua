-- csvigo.File(path, mode[, separator[, nan_as_missing]]): a CSV file read or written row
-- by row (rows are lists of strings), or all at once. The parsing and quoting are Python's
-- csv (torch7_compat/lua_packages/csvigo.py).

local ops = require('torch7_compat.python').module('torch7_compat.lua_packages.csvigo')
local python_values = require 'torch7_compat.python_values'

local File = torch.class('csvigo.File')

local function bytes_of(s)
   if #s == 0 then return nil end
   return torch.ByteTensor(torch.ByteStorage():string(s))
end

function File:__init(filepath, mode, separator, nan_as_missing)
   self.filepath = filepath
   self.separator = separator or ','
   self.nan_as_missing = nan_as_missing or false
   local file, message = io.open(filepath, mode)
   if not file then error(message, 0) end
   self.file = file
end

function File:close()
   self.file:close()
end

function File:lines()
   return self.file:lines()
end

local function parse_line(line, separator)
   return python_values.unpack(ops.read_line(bytes_of(line), separator))
end

-- The next row, or nil at the end of the file.
function File:read()
   local line = self.file:read('*l')
   if not line then return nil end
   return parse_line(line, self.separator)
end

-- 'large' mode: the file's text is held once and a row is parsed when it is indexed. Lines
-- end at \n, \r or \r\n, as the original's line table had them.
function File:largereadall()
   local text = self.file:read('*a')
   local starts, stops = {}, {}
   local position = 1
   while position <= #text do
      local stop = text:find('[\r\n]', position)
      starts[#starts + 1], stops[#stops + 1] = position, (stop or #text + 1) - 1
      if not stop then break end
      position = stop + ((text:sub(stop, stop + 1) == '\r\n') and 2 or 1)
   end
   local separator = self.separator
   return setmetatable({}, {
      __index = function(_, i)
         assert(type(i) == 'number', 'index has to be given')
         assert(i > 0 and i <= #starts, 'index out of bounds: ' .. tostring(i))
         return parse_line(text:sub(starts[i], stops[i]), separator)
      end,
      __newindex = function() error('attempt to update a read-only table', 2) end,
   })
end

-- Every row of the file.
function File:readall(mode)
   if mode == 'large' then return self:largereadall() end
   return python_values.unpack(ops.read_file(self.filepath, self.separator))
end

-- Rows as '<length>:<bytes>' fields, each row ended by ';' (what the Python side reads).
local function encode_rows(rows, nan_as_missing)
   local parts = {}
   for _, row in ipairs(rows) do
      for _, value in ipairs(row) do
         if nan_as_missing and value ~= value then value = '' end
         value = tostring(value)
         parts[#parts + 1] = #value .. ':' .. value
      end
      parts[#parts + 1] = ';'
   end
   return table.concat(parts)
end

function File:writeall(rows)
   local text = ops.format_rows(bytes_of(encode_rows(rows, self.nan_as_missing)),
      self.separator)
   local ok, message = self.file:write(text)
   if not ok then error(message, 2) end
   return true
end

function File:write(row)
   self:writeall({row})
end
