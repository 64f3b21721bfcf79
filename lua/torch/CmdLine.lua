-- torch.CmdLine: options and positional arguments for experiment scripts, their help text,
-- a directory-name string built from the options that differ from their defaults, and a
-- log that copies everything print writes into a file.
--
-- Options are named with their dashes ('-lr'); the parsed table uses the name without them
-- (params.lr). A boolean option takes no value: giving it flips its default.

local CmdLine = torch.class('torch.CmdLine')

local function without_dashes(key)
   return (key:match('^%-*(.*)'))
end

local function padded(text, width)
   return text .. string.rep(' ', width - #text)
end

-- The original separated the message from the help with blank lines on stdout and wrote
-- the message itself to stderr.
function CmdLine:error(message)
   print('')
   io.stderr:write(message)
   print('')
   self:help()
   os.exit(1)
end

function CmdLine:__init(argument_separator, key_separator)
   self.argseparator = argument_separator or ','
   self.keyseparator = key_separator or '='
   self.options = {}
   self.arguments = {}
   self.helplines = {}
   self.dateformat = nil
   self.silentio = false
end

-- Only the log file gets what print writes after this.
function CmdLine:silent()
   self.silentio = true
end

-- Prefixes each log file line with the date (os.date's format) and an optional name.
function CmdLine:addTime(name, format)
   format = format or '%Y-%m-%d %H:%M:%S'
   if type(format) ~= 'string' then
      error('Argument has to be string')
   end
   self.dateformat = format .. (name ~= nil and '[' .. name .. ']: ' or '')
end

function CmdLine:argument(key, help, value_type)
   local argument = {key = key, help = help, type = value_type}
   table.insert(self.arguments, argument)
   table.insert(self.helplines, argument)
end

function CmdLine:option(key, default, help, value_type)
   if default == nil then
      error('option ' .. key .. ' has no default value')
   end
   value_type = value_type or type(default)
   if type(default) ~= value_type then
      error('option ' .. key .. ' has wrong default type value')
   end
   local option = {key = key, default = default, help = help, type = value_type}
   self.options[key] = option
   table.insert(self.helplines, option)
end

function CmdLine:text(text)
   text = text or ''
   assert(type(text) == 'string')
   table.insert(self.helplines, text)
end

function CmdLine:default()
   local params = {}
   for key, option in pairs(self.options) do
      params[without_dashes(key)] = option.default
   end
   return params
end

-- Reads the option at arg[i] into params; returns how many words it used.
function CmdLine:__readOption__(params, arg, i)
   local key = arg[i]
   local option = self.options[key]
   if not option then
      self:error('unknown option ' .. key)
   end
   if option.type == 'boolean' then
      params[without_dashes(key)] = not option.default
      return 1
   end
   local value = arg[i + 1]
   if not value then
      self:error('missing argument for option ' .. key)
   end
   if option.type == 'number' then
      value = tonumber(value)
   elseif option.type ~= 'string' then
      self:error('unknown required option type ' .. option.type)
   end
   if not value then
      self:error('invalid type for option ' .. key .. ' (should be ' .. option.type .. ')')
   end
   params[without_dashes(key)] = value
   return 2
end

-- Reads arg[i] as the n-th positional argument; returns how many words it used.
function CmdLine:__readArgument__(params, arg, i, n)
   local value = arg[i]
   local argument = self.arguments[n]
   if n > #self.arguments then
      self:error('invalid argument: ' .. value)
   end
   if argument.type and type(value) ~= argument.type then
      self:error('invalid argument type for argument ' .. argument.key
         .. ' (should be ' .. argument.type .. ')')
   end
   params[without_dashes(argument.key)] = value
   return 1
end

-- The options and arguments in `arg` (a script's arg table) over the defaults. -h, -help
-- and --help print the help and end the program.
function CmdLine:parse(arg)
   local params = self:default()
   local count = 0
   local i = 1
   while i <= #arg do
      local word = arg[i]
      if word == '-help' or word == '-h' or word == '--help' then
         self:help(arg)
         os.exit(0)
      end
      if self.options[word] then
         i = i + self:__readOption__(params, arg, i)
      else
         count = count + 1
         i = i + self:__readArgument__(params, arg, i, count)
      end
   end
   if count ~= #self.arguments then
      self:error('not enough arguments')
   end
   return params
end

-- `prefix`, then the arguments and the options that differ from their defaults, as
-- key=value joined by commas (options sorted): a name for the experiment's directory.
-- Keys set in `ignore` are left out. Like the original, it prints what it skips and
-- each option it keeps.
function CmdLine:string(prefix, params, ignore)
   prefix = prefix or ''
   ignore = ignore or {}
   local arguments, options = {}, {}
   for key, value in pairs(params) do
      local option = self.options['-' .. key]
      if ignore[key] then
         print('-- ignore option ' .. key)
      elseif option then
         if value ~= option.default or ignore[key] == false then
            if type(value) == 'boolean' then value = value and 't' or 'f' end
            table.insert(options, key .. self.keyseparator .. value)
            print(key, value, option.default)
         end
      else
         local position
         for n, argument in ipairs(self.arguments) do
            if without_dashes(argument.key) == key then position = n end
         end
         if position then
            arguments[position] = key .. self.keyseparator .. value
         else
            print('WARNING: unknown option/argument: ' .. key
               .. ' IGNORING for DIRECTORY NAME')
         end
      end
   end
   table.sort(options)
   local parts = table.concat(arguments, self.argseparator)
   local options_text = table.concat(options, self.argseparator)
   if parts == '' then
      parts = options_text
   else
      parts = parts .. self.argseparator .. options_text
   end
   if parts == '' then return prefix end
   return prefix .. self.argseparator .. parts
end

-- The print in force before the first log: every log's print writes to the screen
-- through it, also after a second log replaced the global print again.
local screen_print

-- From now on print also writes each line to `file` (a name, or an open file), with the
-- date prefix of addTime. Starts the log with the time and the parameters.
function CmdLine:log(file, params)
   local output = io.type(file) == 'file' and file or io.open(file, 'w')
   screen_print = screen_print or print
   local function logging_print(...)
      if not self.silentio then screen_print(...) end
      local words = {}
      if self.dateformat then words[1] = os.date(self.dateformat) end
      for i = 1, select('#', ...) do
         words[#words + 1] = tostring((select(i, ...)))
      end
      -- the original's layout: words, date included, and the newline all joined by spaces
      words[#words + 1] = '\n'
      output:write(table.concat(words, ' '))
      output:flush()
   end
   rawset(_G, 'print', logging_print)
   print('[program started on ' .. os.date() .. ']')
   print('[command line arguments]')
   if params then
      for key, value in pairs(params) do print(key, value) end
   end
   print('[----------------------]')
end

-- Usage line, then each option and argument with its help (options with their default)
-- and the text lines, in the order they were declared.
function CmdLine:help(arg)
   io.write('Usage: ')
   if arg then io.write(arg[0] .. ' ') end
   io.write('[options]')
   for _, argument in ipairs(self.arguments) do
      io.write(' <' .. without_dashes(argument.key) .. '>')
   end
   io.write('\n')

   local width = 0
   for _, line in ipairs(self.helplines) do
      if type(line) == 'table' then
         local shown = line.default ~= nil and #line.key or #without_dashes(line.key) + 2
         width = math.max(width, shown)
      end
   end

   for _, line in ipairs(self.helplines) do
      if type(line) == 'table' then
         io.write('  ')
         if line.default ~= nil then
            io.write(padded(line.key, width))
            if line.help then io.write(' ' .. line.help) end
            io.write(' [' .. tostring(line.default) .. ']')
         else
            io.write(padded('<' .. without_dashes(line.key) .. '>', width))
            if line.help then io.write(' ' .. line.help) end
         end
      else
         io.write(line)
      end
      io.write('\n')
   end
end

return CmdLine
