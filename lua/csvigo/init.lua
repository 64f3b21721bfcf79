-- csvigo: CSV files as Lua tables.
--    csvigo.load{path=..., mode='tidy'}    -- {column = {values...}} (the default)
--    csvigo.load{path=..., mode='raw'}     -- a list of rows, each a list of strings
--    csvigo.load{path=..., mode='query'}   -- a function: query('all'), query('vars'),
--                                          -- query('union'|'inter', {var = {values}})
--    csvigo.load{path=..., mode='large'}   -- rows parsed when indexed (data[i])
--    csvigo.save{path=..., data=...}       -- raw, tidy or query data (found out if not given)
-- Values stay strings, as in the original; its progress messages are printed unless
-- verbose = false.

require 'torch'
require 'dok'

csvigo = rawget(_G, 'csvigo') or {}
local csvigo = csvigo

require 'csvigo.File'

local LOAD_DESCRIPTION = 'Load a CSV file, according to the specified mode:\n'
   .. ' - raw   : no clean up, return a raw list of lists, a 1-to-1 mapping to the CSV file\n'
   .. ' - tidy  : return a clean table, where each entry is a variable that points to its '
   .. 'values\n'
   .. ' - query : return the tidy table, as well as query operators'

local function printer(verbose)
   return function(...) if verbose then print('<csv>', ...) end end
end

local function expand_home(path)
   return (path:gsub('^~', os.getenv('HOME') or '~'))
end

-- Whether the first row names the columns: 'auto' guesses from its first value.
local function has_header(header, first_row)
   if type(header) == 'boolean' then return header end
   if header == 'auto' then return tonumber(first_row and first_row[1]) == nil end
   return type(header) ~= 'string' and header ~= nil
end

local function tidy_table(rows, header, skip)
   local start = 1 + skip
   local names = {}
   if has_header(header, rows[start]) then
      names = rows[start]
      start = start + 1
   else
      for i = 1, #(rows[start] or {}) do names[i] = 'var_' .. i end
   end
   local tidy = {}
   for _, name in ipairs(names) do tidy[name] = {} end
   for i = start, #rows do
      for column, value in ipairs(rows[i]) do
         local values = tidy[names[column]]
         if not values then
            error(string.format('csvigo.load: row %d has more values (%d) than there are '
               .. 'columns (%d)', i, #rows[i], #names), 3)
         end
         values[#values + 1] = value
      end
   end
   return tidy, names
end

-- The closure of query mode over a tidy table.
local function query_function(tidy)
   local positions = {}       -- variable -> value -> rows holding it
   for var, values in pairs(tidy) do
      local index = {}
      for i, value in ipairs(values) do
         index[value] = index[value] or {}
         table.insert(index[value], i)
      end
      positions[var] = index
   end

   local function rows_with(var, value)
      local index = positions[var]
      return index and index[tostring(value)] or {}
   end

   local function select_rows(kind, wanted)
      local counts, nvars = {}, 0
      for var, values in pairs(wanted) do
         if type(values) ~= 'table' then values = {values} end
         for _, value in ipairs(values) do
            for _, row in ipairs(rows_with(var, value)) do
               counts[row] = (counts[row] or 0) + 1
            end
         end
         nvars = nvars + 1
      end
      local rows = {}
      for row, count in pairs(counts) do
         if kind == 'union' or count == nvars then rows[#rows + 1] = row end
      end
      table.sort(rows)
      local filtered = {}
      for var, values in pairs(tidy) do
         local column = {}
         for i, row in ipairs(rows) do column[i] = values[row] end
         filtered[var] = column
      end
      return filtered
   end

   local query_usage
   local function query(...)
      local args, kind, wanted = dok.unpack({...}, 'query',
         'This closure was automatically generated to query your data.\n'
         .. "Example of query: query('union', {var1={1}, var2={2,3,4}})\n"
         .. 'returns the rows where var1 = 1 OR var2 = 2 or 3 or 4;\n'
         .. "query('inter', {var1={1}, var2={2,3,4}}): where var1 = 1 AND var2 = 2, 3 or 4;\n"
         .. "query('vars'): the variable names; query() or query('all'): everything",
         {arg = 'query', type = 'string', help = 'query: all | help | vars | inter | union',
          default = 'all'},
         {arg = 'vars', type = 'table', help = 'list of vars/vals'})
      query_usage = args.usage
      if kind == 'help' then
         print(query_usage)
         return
      elseif kind == 'vars' then
         local vars = {}
         for var in pairs(tidy) do vars[#vars + 1] = var end
         return vars
      elseif kind == 'all' then
         return tidy
      elseif kind == 'union' or kind == 'inter' then
         if type(wanted) ~= 'table' then
            error("query: '" .. kind .. "' needs a table of variables and values", 2)
         end
         return select_rows(kind, wanted)
      end
      error("query: unknown query '" .. tostring(kind) .. "' (all, help, vars, inter or union)",
         2)
   end
   return query
end

function csvigo.load(...)
   local args, path, separator, mode, header, verbose, skip = dok.unpack({...}, 'csvigo.load',
      LOAD_DESCRIPTION,
      {arg = 'path', type = 'string', help = 'path to file', req = true},
      {arg = 'separator', type = 'string', help = 'separator (one character)', default = ','},
      {arg = 'mode', type = 'string', help = 'load mode: raw | tidy | query | large',
       default = 'tidy'},
      {arg = 'header', type = 'string',
       help = 'file has a header (variable names): true | false | auto', default = 'auto'},
      {arg = 'verbose', type = 'boolean', help = 'verbose load', default = true},
      {arg = 'skip', type = 'number', help = 'skip this many lines at start of file',
       default = 0},
      {arg = 'column_order', type = 'boolean', help = "return csv's column order in tidy mode",
       default = false})
   if mode ~= 'raw' and mode ~= 'tidy' and mode ~= 'query' and mode ~= 'large' then
      print(args.usage)
      error('unknown mode', 2)
   end
   local say = printer(verbose)
   path = expand_home(path)
   say('parsing file: ' .. path)
   local opened, file = pcall(csvigo.File, path, 'r', separator)
   if not opened then error(file, 2) end
   local ok, rows = pcall(file.readall, file, mode)
   file:close()
   if not ok then error(rows, 2) end
   if mode == 'raw' or mode == 'large' then
      say('parsing done')
      return rows
   end
   say('tidying up entries')
   local tidy, names = tidy_table(rows, header, skip)
   if mode == 'tidy' then
      say('returning tidy table')
      if args.column_order then return names, tidy end
      return tidy
   end
   say('generating reversed index for fast queries')
   local query = query_function(tidy)
   say("returning query closure, type query('help') to get help")
   return query
end

function csvigo.save(...)
   local args, path, data, separator, mode, header, verbose = dok.unpack({...}, 'csvigo.save',
      'Save a table as a CSV file; the table is represented as:\n'
      .. ' - raw   : a list of rows\n'
      .. ' - tidy  : a table of columns, by variable name\n'
      .. ' - query : the query function of csvigo.load',
      {arg = 'path', type = 'string', help = 'path to file', req = true},
      {arg = 'data', type = 'table', help = 'table to save as a CSV file', req = true},
      {arg = 'separator', type = 'string', help = 'separator (one character)', default = ','},
      {arg = 'mode', type = 'string', help = 'table to save is represented as: raw | tidy | query',
       default = 'autodetect'},
      {arg = 'header', type = 'boolean', help = 'table has a header (variable names)',
       default = true},
      {arg = 'verbose', type = 'boolean', help = 'verbose load', default = true},
      {arg = 'column_order', type = 'table', help = 'Write csv according to given column order',
       default = nil},
      {arg = 'nan_as_missing', type = 'boolean', help = 'Save nan values (0/0) as missing',
       default = false})
   local say = printer(verbose)
   path = expand_home(path)
   if mode == 'autodetect' then
      if type(data) == 'function' then mode = 'query'
      elseif type(data) == 'table' then mode = #data == 0 and 'tidy' or 'raw'
      else error('cannot autodetect mode, incorrect data type', 2) end
   end
   if mode ~= 'raw' and mode ~= 'tidy' and mode ~= 'query' then
      print(args.usage)
      error('unknown mode', 2)
   end
   say('writing to file: ' .. path)
   local opened, file = pcall(csvigo.File, path, 'w', separator, args.nan_as_missing)
   if not opened then error(file, 2) end
   local rows = data
   if mode ~= 'raw' then
      if mode == 'query' then
         say('generating tidy table')
         data = data('all')
      end
      say('exporting tidy table to raw CSV')
      local names = {}
      if args.column_order then
         for _, var in ipairs(args.column_order) do names[#names + 1] = var end
      else
         for var in pairs(data) do names[#names + 1] = var end
      end
      rows = {}
      if header then rows[1] = names end
      local offset = #rows
      for column, var in ipairs(names) do
         for i, value in ipairs(data[var] or {}) do
            rows[offset + i] = rows[offset + i] or {}
            rows[offset + i][column] = value
         end
      end
   end
   local ok, message = pcall(file.writeall, file, rows)
   file:close()
   if not ok then error(message, 2) end
   say('writing done')
end

return csvigo
