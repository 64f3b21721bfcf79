-- help(f) and `?name` at the prompt: documentation kept as data.
--
-- Every *.md file in this folder documents one package. An entry starts with a level-2
-- heading giving the call as it is written (`## torch.randn([res,] m [, n, ...])`); the
-- entry's name is that heading up to the first '(' or space, and the lines down to the next
-- heading are its text. A later package documents itself by adding its own file here, or
-- from code with help.add(name, usage, text).

local help = {}

local entries = {}     -- name -> {usage = ..., text = ...}
local loaded = false

function help.add(name, usage, text)
   assert(type(name) == 'string', 'help.add: name expected')
   entries[name] = {usage = usage or name, text = text or ''}
end

local function trim(s)
   return (s:gsub('^%s+', ''):gsub('%s+$', ''))
end

function help.add_file(path)
   local file = assert(io.open(path))
   local usage, body = nil, {}
   local function finish()
      if usage then help.add(usage:match('^[^%(%s]+'), usage, trim(table.concat(body, '\n'))) end
      body = {}
   end
   for line in file:lines() do
      local heading = line:match('^##%s+(.-)%s*$')
      if heading and not line:match('^###') then
         finish()
         usage = heading
      elseif line:match('^#%s') then
         finish()
         usage = nil
      else
         body[#body + 1] = line
      end
   end
   finish()
   file:close()
end

local function load_files()
   if loaded then return end
   loaded = true
   local here = debug.getinfo(1, 'S').source:match('^@(.*)/[^/]*$')
   for name in paths.files(here, '%.md$') do help.add_file(here .. '/' .. name) end
end

-- The value a name stands for now (`torch.Tensor:add` is a method), or nil; indexing that
-- fails counts as nothing.
local function value_of(name)
   local value = _G
   for part in name:gmatch('[^%.:]+') do
      local ok, v = pcall(function() return value[part] end)
      if not ok or v == nil then return nil end
      value = v
   end
   return value
end
help.value_of = value_of

-- The documented name of a value: the entry naming it, checked against the live values.
local function name_of(value)
   local found
   for name in pairs(entries) do
      if rawequal(value_of(name), value) and (not found or #name < #found) then
         found = name
      end
   end
   return found
end

local function global_name_of(t)
   for k, v in pairs(_G) do
      if rawequal(v, t) and type(k) == 'string' then return k end
   end
end

local function print_entry(name)
   local entry = entries[name]
   io.write(entry.usage, '\n\n')
   if entry.text ~= '' then io.write(entry.text, '\n') end
   io.write('\n')
end

-- The entries under a package's name, sorted.
local function entries_under(prefix)
   local list = {}
   for name in pairs(entries) do
      local head = name:sub(1, #prefix + 1)
      if head == prefix .. '.' or head == prefix .. ':' then
         list[#list + 1] = name
      end
   end
   table.sort(list)
   return list
end

local function print_index(prefix)
   local list = entries_under(prefix)
   if #list == 0 then return false end
   io.write('Documented in ', prefix, ':\n')
   for _, name in ipairs(list) do io.write('   ', entries[name].usage, '\n') end
   io.write('Type ?name (e.g. ?', list[1], ') for one of them.\n')
   return true
end

-- help(value): the documentation of a function, class or package given by value, or by
-- name as a string ('torch.randn').
function help.show(value)
   load_files()
   if type(value) == 'string' and (entries[value] or value_of(value) ~= nil) then
      return help.topic(value)
   end
   local name = name_of(value)
   if name then return print_entry(name) end
   local package = type(value) == 'table' and global_name_of(value)
   if package and print_index(package) then return end
   io.write('no documentation for ', tostring(value), '\n')
end

-- `?text` at the prompt: `text` names what to document.
function help.topic(text)
   load_files()
   text = trim(text):gsub('^help%((.*)%)$', '%1')
   if entries[text] then return print_entry(text) end
   local value = value_of(text)
   if value ~= nil then
      local name = name_of(value)
      if name then return print_entry(name) end
   end
   if print_index(text) then return end
   io.write('no documentation for ', text, '\n')
end

-- What `?` alone prints.
function help.intro()
   io.write([[
th is the Torch7 prompt, running on LuaJIT inside torch7_compat.

   Statements run, expressions print their values; the first value lands in _.
   A line ending with ; runs without printing. An unfinished chunk goes on below.
   Tab completes names, table fields, obj:methods and file names in strings.
   Up/Down walk the history (kept in ~/.th_history), Ctrl-R searches it.
   Ctrl-C stops running code, even an endless loop; Ctrl-D or os.exit() leaves.
   ?torch.randn or help(torch.randn) documents a function; ?nn lists a package.
   $ ls runs a shell command. setprintlevel(n) sets how deep tables print.
   who() lists the globals you made; import 'nn' makes nn's fields globals.
]])
end

return help
