-- nn.Serial(module[, tensortype]): decorates a module so that saving it leaves out what its
-- serial mode (module:lightSerial(), mediumSerial(), heavySerial()) names, and converts
-- the saved copy to tensortype (e.g. 'torch.FloatTensor'); the module itself is untouched.

local Serial, parent = torch.class('nn.Serial', 'nn.Decorator')

function Serial:__init(module, tensortype)
   parent.__init(self, module)
   if tensortype and not tensortype:find('torch.*Tensor') then
      error('Expecting tensortype (e.g. torch.LongTensor) at arg1', 2)
   end
   self.tensortype = tensortype
end

function Serial:write(file)
   local state = self:getSerialState()
   -- the state shares self's tensors, and some classes' type() clears their buffers first:
   -- converted, it is a copy
   if self.tensortype then state = nn.utils.deepCopy(state):type(self.tensortype) end
   local fields = {}
   for key, value in pairs(state) do fields[key] = value end
   file:writeObject(fields)
end

-- The original's clone went through write and read, so a clone is what saving would give:
-- without what the serial mode leaves out, converted to tensortype (nn.Module:clone deep-
-- copies instead, ten times faster, which would keep all of it).
function Serial:clone(...)
   local file = torch.MemoryFile('rw'):binary()
   file:writeObject(self)
   file:seek(1)
   local copy = file:readObject()
   file:close()
   if select('#', ...) > 0 then copy:share(self, ...) end
   return copy
end

return Serial
