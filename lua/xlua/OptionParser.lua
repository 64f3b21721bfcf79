-- xlua.OptionParser: command-line options in the manner of Python's optparse.
--
--    local op = xlua.OptionParser('%prog [options] file')
--    op:option{'-n', '--count', action = 'store', dest = 'count', help = 'how many'}
--    local options, args = op:parse()
--
-- Actions: 'store' (the next argument, the default), 'store_true', 'store_false'.

local OptionParser = {}

function xlua.OptionParser(usage)
   local self = {usage = usage, option_descriptions = {}, option_of = {}}
   for k, v in pairs(OptionParser) do self[k] = v end
   self:option{'-h', '--help', action = 'store_true', dest = 'help',
               help = 'show this help message and exit'}
   return self
end

function OptionParser:fail(message)
   io.stderr:write(message .. '\n')
   self:help()
   os.exit(1)
end

function OptionParser:option(description)
   self.option_descriptions[#self.option_descriptions + 1] = description
   for _, flag in ipairs(description) do self.option_of[flag] = description end
end

local function takes_value(description)
   return description.action == nil or description.action == 'store'
end

-- Reads the global arg: returns the options table (defaults filled in, __main__ set) and
-- the list of the other arguments. -h prints the help and exits.
function OptionParser:parse(options)
   options = options or {}
   local rest = {}
   for _, d in ipairs(self.option_descriptions) do
      if d.default ~= nil and options[d.dest] == nil then options[d.dest] = d.default end
   end
   local arg = rawget(_G, 'arg')
   options.__main__ = arg ~= nil
   if not arg then
      self.options = options
      return options, rest
   end
   -- '--name=value' counts as '--name', 'value'
   local words = {}
   for i = 1, #arg do
      local flag, value = arg[i]:match('^(%-%-%w+)=(.*)')
      if flag then
         words[#words + 1] = flag
         words[#words + 1] = value
      else
         words[#words + 1] = arg[i]
      end
   end
   local i = 1
   while i <= #words do
      local word = words[i]
      local d = self.option_of[word]
      if d then
         local value = d.default
         if takes_value(d) then
            i = i + 1
            value = words[i] or d.default
            if not value then self:fail('option requires an argument ' .. word) end
         elseif d.action == 'store_true' then
            value = true
         elseif d.action == 'store_false' then
            value = false
         end
         options[d.dest] = value
      else
         if word:match('^%-') then self:fail('invalid option ' .. word) end
         rest[#rest + 1] = word
      end
      i = i + 1
   end
   for flag, d in pairs(self.option_of) do
      if d.req and not options[d.dest] then
         self:fail('option ' .. flag .. ' requires an argument ')
      end
   end
   if options.help then
      self:help()
      os.exit()
   end
   self.options = options
   return options, rest
end

-- '-n COUNT, --count=COUNT' for an option taking a value, the bare flags otherwise.
function OptionParser:flags(description)
   local shown = {}
   for _, flag in ipairs(description) do
      local value = ''
      if takes_value(description) then
         local metavar = description.metavar or description.dest:upper()
         value = (#flag == 2 and ' ' or '=') .. metavar
      end
      shown[#shown + 1] = flag .. value
   end
   return table.concat(shown, ', ')
end

local function program_name()
   local arg = rawget(_G, 'arg')
   if arg and arg[-1] then return arg[-1] .. ' ' .. arg[0] end
   if arg and arg[0] then return arg[0] end
   return 'THISPROG'
end

function OptionParser:help()
   local out = io.stdout
   out:write('Usage: ' .. self.usage:gsub('%%prog', program_name()) .. '\n\n')
   out:write('Options:\n')
   local width = 0
   for _, d in ipairs(self.option_descriptions) do width = math.max(width, #self:flags(d)) end
   for _, d in ipairs(self.option_descriptions) do
      local note = ''
      if d.req then note = ' [REQUIRED]'
      elseif d.default then note = ' [default = ' .. tostring(d.default) .. ']' end
      local flags = self:flags(d)
      out:write('  ' .. flags .. string.rep(' ', width - #flags) .. '  ' .. d.help .. note
         .. '\n')
   end
end

-- The parsed options as text: a configuration listing, or (generatefilename) a compact
-- 'flag=value,...' fit for a file name, limited to the flags in params when given.
function OptionParser:tostring(generatefilename, params)
   if not generatefilename then
      local arg = rawget(_G, 'arg')
      local name = ((arg and arg[0]) or 'interpreted.lua'):gsub('.lua', '')
      local text = '<' .. name .. '> configuration:\n'
      for k, v in pairs(self.options) do
         text = text .. ' + ' .. k .. ' = ' .. tostring(v) .. '\n'
      end
      return text
   end
   local wanted
   if params and #params > 0 then
      wanted = {}
      for _, p in ipairs(params) do wanted[p] = true end
   end
   local parts = {}
   for _, d in ipairs(self.option_descriptions) do
      local flag, value = d[1], self.options[d.dest]
      if value and (not wanted or wanted[flag]) then
         parts[#parts + 1] = flag .. '=' .. tostring(value)
      end
   end
   return (table.concat(parts, ','):gsub('/', '|'):gsub(' ', '_'))
end

function OptionParser:summarize(compact)
   io.write(self:tostring(compact))
end

return OptionParser
