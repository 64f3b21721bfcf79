-- xlua.Profiler([mode] [, verbose]): named stopwatches for real (sys.clock) and CPU
-- (os.clock) time. p:start(name [, 'fps']), p:lap(name [, divider]) gives both times since
-- the start, p:printAll() reports every one in the original's format. Mode 'off' keeps it
-- from printing.

local sys = require 'sys'

local Profiler = {}
Profiler.__index = Profiler

function xlua.Profiler(mode, verbose)
   return setmetatable({events = {}, list = {}, off = mode == 'off',
                        verbose = verbose or false}, Profiler)
end

function Profiler:start(name, fps)
   local event = self.events[name]
   if not event then
      event = {name = name}
      self.events[name] = event
      self.list[#self.list + 1] = event
   end
   event.cpu, event.real = os.clock(), sys.clock()
   if fps == 'fps' then event.fps = true end
   if self.verbose then
      io.write('<' .. name .. '>')
      io.flush()
   end
end

local function event_of(self, name)
   local event = self.events[name]
   if not event then
      error('# ERROR: There is no such profiler - ' .. name .. ', create it first', 3)
   end
   return event
end

function Profiler:setColor(name, color)
   event_of(self, name).color = color
end

function Profiler:cpu(name, divider)
   local event = event_of(self, name)
   event.cpud = (os.clock() - event.cpu) / (divider or 1)
   return event.cpud
end

function Profiler:real(name, divider)
   local event = event_of(self, name)
   event.reald = (sys.clock() - event.real) / (divider or 1)
   return event.reald
end

function Profiler:lap(name, divider)
   local real, cpu = self:real(name, divider), self:cpu(name, divider)
   if self.verbose then
      io.write('\r')
      self:print(name)
   end
   return real, cpu
end

function Profiler:format(name)
   local event = event_of(self, name)
   return string.format('$ real | cpu: %f | %f <%s>', event.reald or -1, event.cpud or -1, name)
end

function Profiler:print(name)
   if not self.off then print(self:format(name)) end
end

function Profiler:formatAll()
   local lines = {'$ profiler report:'}
   for _, event in ipairs(self.list) do
      local line = string.format('$ real %f | cpu %f <%s>', event.reald or -1, event.cpud or -1,
         event.name)
      if event.fps then line = line .. string.format(' = %f fps', 1 / event.reald) end
      lines[#lines + 1] = line
   end
   return table.concat(lines, '\n')
end

function Profiler:printAll()
   if not self.off then print(self:formatAll()) end
end

return Profiler
